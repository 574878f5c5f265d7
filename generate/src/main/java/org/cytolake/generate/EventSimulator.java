package org.cytolake.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cytolake.generate.PanelModel.Panel;
import org.cytolake.generate.PanelModel.PanelTree;
import org.cytolake.stats.Quantiles;

/**
 * Draws the events of one file in blocks: each event's population, stained signal and scatter
 * ({@link PopulationSimulator}), then the instrument: daily gains, spillover, photon noise, clamping, and the Time
 * channel. Every normal deviate is truncated at ±{@link PanelModel#TRUNCATION} SD, which makes the
 * populations separable (see {@link PanelModel}): the separable model ({@code --separable});
 * {@link RealisticSimulator} draws the realistic one. Deterministic for a given random stream; not
 * thread-safe.
 *
 * <p>Event layout: FSC-A, FSC-H, SSC-A, the 10 detectors, Time (float32 values).
 */
final class EventSimulator extends PopulationSimulator {
  private static final double VIABILITY_DEAD_MEAN =
      PanelModel.phenotype(DEAD)[PanelModel.marker("Viability")].mean();
  private static final double VIABILITY_DEAD_SD =
      PanelModel.phenotype(DEAD)[PanelModel.marker("Viability")].sd();

  /** A median statistic to collect: linear true signal of a detector on a population. */
  record Tracked(int label, int detector) {}

  private final double[] observed = new double[DETECTORS];

  EventSimulator(
      Panel panel,
      Biology.SampleState state,
      double[] gains,
      double eventsPerSecond,
      List<Tracked> tracked,
      SplittableRandom rng) {
    super(
        panel,
        state,
        gains,
        eventsPerSecond,
        tracked,
        rng,
        PanelModel::phenotype,
        1,
        PanelModel.SINGLET_HEIGHT_RATIO,
        PanelModel.SINGLET_HEIGHT_RATIO_SD);
  }

  /** {@inheritDoc} The separable model has no anomalies: {@code anomalies} is left as it is. */
  @Override
  public void next(int n, float[] out, int[] labels, byte[] anomalies, List<FloatList> values) {
    for (int e = 0; e < n; e++) {
      drawEvent(e, labels, values);
      instrument(out, e * WIDTH);
    }
  }

  @Override
  double levelDeviate(int slot) {
    return z();
  }

  @Override
  double scatterDeviate() {
    return z();
  }

  /**
   * Uniform in [{@link PanelModel#DOUBLET_HEIGHT_RATIO_MIN}, {@link
   * PanelModel#DOUBLET_HEIGHT_RATIO_MAX}): well below every singlet's (see {@link PanelModel}).
   */
  @Override
  double doubletHeightRatio() {
    return rng.nextDouble(PanelModel.DOUBLET_HEIGHT_RATIO_MIN, PanelModel.DOUBLET_HEIGHT_RATIO_MAX);
  }

  @Override
  double deadViabilityLevel() {
    return VIABILITY_DEAD_MEAN + VIABILITY_DEAD_SD * z();
  }

  /** A standard-normal deviate truncated to ±{@link PanelModel#TRUNCATION} (redrawn beyond). */
  private double z() {
    return PanelModel.truncatedGaussian(rng);
  }

  private void instrument(float[] out, int at) {
    for (int j = 0; j < DETECTORS; j++) {
      double sum = 0;
      for (int i = 0; i < DETECTORS; i++) {
        double s = spill[i][j];
        if (s != 0) {
          sum += signal[i] * gain[i] * s;
        }
      }
      observed[j] = sum;
    }
    out[at] = clamp(scatter[0] + SCATTER_NOISE * z());
    out[at + 1] = clamp(scatter[1] + SCATTER_NOISE * z());
    out[at + 2] = clamp(scatter[2] + SCATTER_NOISE * z());
    for (int j = 0; j < DETECTORS; j++) {
      double o = observed[j];
      if (o > 0) {
        o += Math.sqrt(Instrument.PHOTON_NOISE * o) * z();
      }
      out[at + SCATTER + j] = clamp(o);
    }
    time += -Math.log(1 - rng.nextDouble()) * ticksPerEvent;
    out[at + WIDTH - 1] = (float) time;
  }

  /** The tracked statistics of a panel: every median feature of {@link EffectModel#FEATURES}. */
  static List<Tracked> trackedFor(Panel panel) {
    PanelTree t = PanelModel.treeOf(panel);
    List<Tracked> out = new ArrayList<>();
    for (EffectModel.Feature f : EffectModel.FEATURES) {
      if (f.isMedian() && f.panel().equals(panel.id())) {
        out.add(new Tracked(t.indexOf(f.population()), panel.markers().indexOf(f.marker())));
      }
    }
    return out;
  }

  /** A growable float array. */
  static final class FloatList {
    private float[] a = new float[64];
    private int n;

    void add(float v) {
      if (n == a.length) {
        a = java.util.Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    int size() {
      return n;
    }

    /** The median (mean of the two middle values for an even count); NaN when empty. */
    double median() {
      double[] s = new double[n];
      for (int i = 0; i < n; i++) {
        s[i] = a[i];
      }
      return Quantiles.medianInPlace(s, n, Quantiles.NaNs.ORDERED_LAST);
    }
  }
}
