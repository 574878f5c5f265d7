package org.cytolake.qc;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A simulated acquisition the QC tests build themselves: Poisson arrivals at a constant rate,
 * Time in ticks of 10 ms ({@code $TIMESTEP 0.01}, as BD FACSDiva), linear scatter (FSC-A, FSC-H,
 * SSC-A) and a pulse width, four fluorescence channels with three populations (50%, 30%, 20%)
 * and a negative spread around 0, all on an 18-bit range (262144). Disturbances multiply the
 * arrival rate and the signals within a time window; the events recorded inside a window are the
 * truth the QC is measured against.
 */
final class SyntheticAcquisition {
  static final double RANGE = 262144;
  static final double TIMESTEP = 0.01;
  static final String[] FLUORESCENCE = {"FITC-A", "PE-A", "APC-A", "BV421-A"};

  /** Population means per fluorescence channel: rows = populations. */
  private static final double[][] MEANS = {
    {0, 0, 3000, 200}, {8000, 0, 0, 1500}, {2500, 20000, 500, 0}
  };

  private static final double[] WEIGHTS = {0.5, 0.3, 0.2};

  /** A time window where the rate and the signals change. */
  record Disturbance(
      double from, double to, double rateFactor, double scatterFactor, double fluorescenceFactor) {}

  private final long seed;
  private final double rate;
  private final double seconds;
  private final List<Disturbance> disturbances = new ArrayList<>();

  SyntheticAcquisition(long seed, double eventsPerSecond, double seconds) {
    this.seed = seed;
    this.rate = eventsPerSecond;
    this.seconds = seconds;
  }

  SyntheticAcquisition with(Disturbance d) {
    disturbances.add(d);
    return this;
  }

  /** The simulated events. */
  Events simulate() {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<double[]> rows = new ArrayList<>();
    List<Boolean> truth = new ArrayList<>();
    double t = 0;
    while (true) {
      Disturbance d = at(t);
      double r = rate * (d == null ? 1 : d.rateFactor);
      t += -Math.log(1 - rnd.nextDouble()) / r;
      if (t >= seconds) {
        break;
      }
      d = at(t);
      double scatter = d == null ? 1 : d.scatterFactor;
      double fluo = d == null ? 1 : d.fluorescenceFactor;
      double[] row = new double[9];
      double fscA = 80_000 * Math.exp(0.25 * rnd.nextGaussian()) * scatter;
      double fscH = fscA * 0.8 * Math.exp(0.05 * rnd.nextGaussian());
      row[0] = fscA;
      row[1] = fscH;
      row[2] = 30_000 * Math.exp(0.4 * rnd.nextGaussian()) * scatter;
      row[3] = 65_536 * fscA / fscH / 1.25;
      double u = rnd.nextDouble();
      int pop = u < WEIGHTS[0] ? 0 : u < WEIGHTS[0] + WEIGHTS[1] ? 1 : 2;
      for (int c = 0; c < 4; c++) {
        double mean = MEANS[pop][c];
        double level = mean == 0 ? 0 : mean * Math.exp(0.3 * rnd.nextGaussian());
        row[4 + c] = level * fluo + 60 * rnd.nextGaussian();
      }
      row[8] = Math.floor(t / TIMESTEP);
      rows.add(row);
      truth.add(d != null);
    }
    return new Events(rows, truth);
  }

  private Disturbance at(double t) {
    for (Disturbance d : disturbances) {
      if (t >= d.from && t < d.to) {
        return d;
      }
    }
    return null;
  }

  /** Simulated events, column-wise, with the truth (inside a disturbance) per event. */
  static final class Events {
    final int n;
    final float[][] columns;
    final boolean[] truth;

    Events(List<double[]> rows, List<Boolean> truthList) {
      n = rows.size();
      columns = new float[9][n];
      truth = new boolean[n];
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < 9; c++) {
          columns[c][i] = (float) rows.get(i)[c];
        }
        truth[i] = truthList.get(i);
      }
    }

    /** Channel names, Time last. */
    static String[] names() {
      return new String[] {
        "FSC-A",
        "FSC-H",
        "SSC-A",
        "FSC-W",
        FLUORESCENCE[0],
        FLUORESCENCE[1],
        FLUORESCENCE[2],
        FLUORESCENCE[3],
        "Time"
      };
    }

    QcSample sample(String source) {
      QcSample.Builder b = QcSample.builder(source, n).timeStep(TIMESTEP);
      String[] names = names();
      for (int c = 0; c < names.length; c++) {
        b.channel(names[c], RANGE, columns[c].clone());
      }
      return b.build();
    }
  }
}
