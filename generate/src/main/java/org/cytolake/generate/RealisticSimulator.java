package org.cytolake.generate;

import java.util.List;
import java.util.SplittableRandom;
import org.cytolake.generate.EventSimulator.FloatList;
import org.cytolake.generate.EventSimulator.Tracked;
import org.cytolake.generate.PanelModel.Panel;
import org.cytolake.generate.PanelModel.Population;
import org.cytolake.generate.RealisticModel.Shape;

/**
 * Draws the events of one file with the realistic model ({@link RealisticModel}): the
 * populations, per-file fractions and cells of {@link PopulationSimulator}, with untruncated, skewed and
 * heavy-tailed levels, the realistic instrument (spillover applied to a noisy emission, photon
 * noise, per-detector gains with drift), a wobbling flow rate in Time and the file's {@link
 * Anomaly}. Deterministic for given random streams; not thread-safe.
 *
 * <p>Event layout: FSC-A, FSC-H, SSC-A, the 10 detectors, Time (float32 values). Each event's
 * anomaly code ({@link Anomaly.Kind#code}) goes to a parallel array: clog and bubble from the
 * segment, margin where this class saturates a channel; {@link Anomaly#markMargins} adds the
 * events that saturate on their own once the values are final.
 */
final class RealisticSimulator extends PopulationSimulator {
  private final SplittableRandom anomalyRng;
  private final Anomaly anomaly;

  /** {@link RealisticModel#skewNormal} of each node × detector level, null where normal. */
  private final double[][] skew;

  private final double wobble;
  private final double periodTicks;
  private final double phase;
  private int index;

  private final double[] emitted = new double[DETECTORS];
  private final double[] jitter = new double[DETECTORS];

  /**
   * @param rng the file's event stream
   * @param anomalyRng the stream of the anomaly's per-event choices
   */
  RealisticSimulator(
      Panel panel,
      Biology.SampleState state,
      double[] gains,
      double eventsPerSecond,
      Anomaly anomaly,
      List<Tracked> tracked,
      SplittableRandom rng,
      SplittableRandom anomalyRng) {
    super(
        panel,
        state,
        gains,
        eventsPerSecond,
        tracked,
        rng,
        RealisticModel::phenotype,
        RealisticModel.SCATTER_SD_FACTOR,
        RealisticModel.SINGLET_RATIO,
        RealisticModel.SINGLET_RATIO_SD);
    this.anomalyRng = anomalyRng;
    this.anomaly = anomaly;
    skew = new double[TREE.size() * DETECTORS][];
    int[] markerOf = markersOf(panel);
    for (Population p : TREE) {
      int i = p.index();
      Shape[] levels = RealisticModel.phenotype(i);
      for (int c = 0; c < DETECTORS; c++) {
        double alpha = levels[markerOf[c]].skew();
        skew[i * DETECTORS + c] = alpha == 0 ? null : RealisticModel.skewNormal(alpha);
      }
    }
    wobble = rng.nextDouble(RealisticModel.FLOW_WOBBLE_MIN, RealisticModel.FLOW_WOBBLE_MAX);
    periodTicks =
        100 * rng.nextDouble(RealisticModel.FLOW_PERIOD_MIN_S, RealisticModel.FLOW_PERIOD_MAX_S);
    phase = rng.nextDouble(0, 2 * Math.PI);
  }

  @Override
  public void next(int n, float[] out, int[] labels, byte[] anomalies, List<FloatList> values) {
    for (int e = 0; e < n; e++, index++) {
      drawEvent(e, labels, values);
      anomalies[e] = disturb();
      instrument(out, e * WIDTH);
      if (anomaly.kind == Anomaly.Kind.MARGIN && anomalyRng.nextDouble() < anomaly.marginShare) {
        int[] ch = anomaly.marginChannels;
        out[e * WIDTH + ch[ch.length == 1 ? 0 : anomalyRng.nextInt(ch.length)]] =
            PanelModel.MAX_VALUE;
        anomalies[e] = Anomaly.Kind.MARGIN.code();
      }
    }
  }

  @Override
  double levelDeviate(int slot) {
    return RealisticModel.deviate(rng, skew[slot]);
  }

  @Override
  double scatterDeviate() {
    return rng.nextGaussian();
  }

  /** Areas add; the height of a doublet depends on how the two cells pass the beam. */
  @Override
  double doubletHeightRatio() {
    return RealisticModel.DOUBLET_RATIO + RealisticModel.DOUBLET_RATIO_SD * rng.nextGaussian();
  }

  @Override
  double deadViabilityLevel() {
    Shape v = RealisticModel.DEAD_VIABILITY;
    return v.mean() + v.sd() * RealisticModel.deviate(rng, v.skew());
  }

  /** Applies the clog or bubble to the current event's signals; returns its anomaly code. */
  private byte disturb() {
    if (!anomaly.inSegment(index)) {
      return Anomaly.Kind.NONE.code();
    }
    double f;
    if (anomaly.kind == Anomaly.Kind.CLOG) {
      f = 1 - (1 - anomaly.signal) * anomaly.clogProfile(index);
    } else {
      if (index == anomaly.first) {
        time += 100 * anomaly.gapSeconds;
      }
      f = anomalyRng.nextDouble(Anomaly.BUBBLE_SIGNAL_MIN, 1);
    }
    for (int c = 0; c < DETECTORS; c++) {
      signal[c] *= f;
    }
    for (int c = 0; c < SCATTER; c++) {
      scatter[c] *= f;
    }
    return anomaly.kind.code();
  }

  /**
   * observed_j = Σ_i g_i·x_i·S_ij·(1 + κ·ε_i [i ≠ j]) + √(P·λ_j)·z_j (see {@link
   * RealisticModel}), then clamping and the Time channel.
   */
  private void instrument(float[] out, int at) {
    for (int i = 0; i < DETECTORS; i++) {
      emitted[i] = signal[i] * gain[i];
      jitter[i] = emitted[i] * RealisticModel.SPILL_EVENT_CV * rng.nextGaussian();
    }
    out[at] = clamp(scatter[0] + SCATTER_NOISE * rng.nextGaussian());
    out[at + 1] = clamp(scatter[1] + SCATTER_NOISE * rng.nextGaussian());
    out[at + 2] = clamp(scatter[2] + SCATTER_NOISE * rng.nextGaussian());
    for (int j = 0; j < DETECTORS; j++) {
      double o = 0;
      for (int i = 0; i < DETECTORS; i++) {
        double s = spill[i][j];
        if (s != 0) {
          o += i == j ? emitted[i] : (emitted[i] + jitter[i]) * s;
        }
      }
      if (o > 0) {
        o += Math.sqrt(Instrument.PHOTON_NOISE * o) * rng.nextGaussian();
      }
      out[at + SCATTER + j] = clamp(o);
    }
    double rate = 1 + wobble * Math.sin(2 * Math.PI * time / periodTicks + phase);
    double clog = anomaly.clogProfile(index);
    if (clog > 0) {
      rate *= 1 - (1 - anomaly.rate) * clog;
    }
    time += -Math.log(1 - rng.nextDouble()) * ticksPerEvent / rate;
    out[at + WIDTH - 1] = (float) time;
  }
}
