package org.cytolake.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cytolake.generate.PanelModel.Level;
import org.cytolake.generate.PanelModel.Panel;
import org.cytolake.generate.PanelModel.PanelTree;
import org.cytolake.generate.PanelModel.Population;
import org.cytolake.generate.PanelModel.Scatter;
import org.cytolake.stats.Quantiles;

/**
 * Draws the events of one file in blocks: each event's population (per-file debris, doublet and
 * dead fractions, then the visit's live populations), its stained signal per detector in
 * arcsinh space (mapped back with 150·sinh and scaled by the visit's intensity effects), its
 * scatter, then the instrument: daily gains, spillover, photon noise, clamping, and the Time
 * channel. Every normal deviate is truncated at ±{@link PanelModel#TRUNCATION} SD, which makes the
 * populations separable (see {@link PanelModel}): the separable model ({@code --separable});
 * {@link RealisticSimulator} draws the realistic one. Deterministic for a given random stream; not
 * thread-safe.
 *
 * <p>Event layout: FSC-A, FSC-H, SSC-A, the 10 detectors, Time (float32 values).
 */
final class EventSimulator implements EventSource {
  private static final List<Population> TREE = PanelModel.tree();
  private static final int DETECTORS = PanelModel.DETECTORS.size();
  private static final int SCATTER = PanelModel.SCATTER.size();
  private static final int WIDTH = PanelModel.CHANNELS;
  private static final int DEAD = PanelModel.population(PanelModel.DEAD).index();
  private static final int DEBRIS = PanelModel.population(PanelModel.DEBRIS).index();
  private static final int DOUBLETS = PanelModel.population(PanelModel.DOUBLETS).index();
  private static final double VIABILITY_DEAD_MEAN =
      PanelModel.phenotype(DEAD)[PanelModel.marker("Viability")].mean();
  private static final double VIABILITY_DEAD_SD =
      PanelModel.phenotype(DEAD)[PanelModel.marker("Viability")].sd();
  /** SD of the additive scatter noise (linear units, truncated like every deviate). */
  private static final double SCATTER_NOISE = 40;

  /** A median statistic to collect: linear true signal of a detector on a population. */
  record Tracked(int label, int detector) {}

  private final PanelTree tree;
  private final SplittableRandom rng;
  private final double[] mean;
  private final double[] sd;
  private final double[] mult;
  private final double[] fsc;
  private final double[] fscSd;
  private final double[] ssc;
  private final double[] sscSd;
  private final int[] labelOf;
  private final int viabilityChannel;
  private final double[] gain;
  private final double[][] spill = Instrument.SPILLOVER;
  private final double pDebris;
  private final double pDoublet;
  private final double pDead;
  private final int[] leaves;
  private final double[] aliasProb;
  private final int[] aliasIdx;
  private final int cd45neg;
  private final double ticksPerEvent;
  private final List<Tracked> tracked;
  private final boolean[][] trackedOn;
  private double time;

  /** The true linear signal of the current event's detectors (before gain). */
  private final double[] signal = new double[DETECTORS];
  private final double[] other = new double[DETECTORS];
  private final double[] scatter = new double[SCATTER];
  private final double[] otherScatter = new double[SCATTER];
  private final double[] observed = new double[DETECTORS];

  EventSimulator(Panel panel, Biology.SampleState state, double[] gains, double eventsPerSecond,
      List<Tracked> tracked, SplittableRandom rng) {
    this.tree = PanelModel.treeOf(panel);
    this.rng = rng;
    this.gain = gains.clone();
    this.tracked = List.copyOf(tracked);
    int nodes = TREE.size();
    mean = new double[nodes * DETECTORS];
    sd = new double[nodes * DETECTORS];
    mult = new double[nodes * DETECTORS];
    fsc = new double[nodes];
    fscSd = new double[nodes];
    ssc = new double[nodes];
    sscSd = new double[nodes];
    labelOf = new int[nodes];
    int[] markerOf = new int[DETECTORS];
    for (int c = 0; c < DETECTORS; c++) {
      markerOf[c] = PanelModel.marker(panel.markers().get(c));
    }
    viabilityChannel = panel.markers().indexOf("Viability");
    for (Population p : TREE) {
      int i = p.index();
      Level[] levels = PanelModel.phenotype(i);
      for (int c = 0; c < DETECTORS; c++) {
        mean[i * DETECTORS + c] = levels[markerOf[c]].mean();
        sd[i * DETECTORS + c] = levels[markerOf[c]].sd();
        mult[i * DETECTORS + c] = state.intensity()[i][markerOf[c]];
      }
      Scatter s = PanelModel.scatter(i);
      if (s != null) {
        fsc[i] = s.fsc();
        fscSd[i] = s.fscSd();
        ssc[i] = s.ssc();
        sscSd[i] = s.sscSd();
      }
      labelOf[i] = i == 0 ? -1 : tree.labelOf(i);
    }
    trackedOn = new boolean[tree.labels().size()][this.tracked.size()];
    for (int l = 0; l < tree.labels().size(); l++) {
      for (int t = 0; t < this.tracked.size(); t++) {
        trackedOn[l][t] = tree.within(l, this.tracked.get(t).label());
      }
    }
    pDebris = fraction(TREE.get(DEBRIS));
    pDoublet = fraction(TREE.get(DOUBLETS));
    pDead = fraction(TREE.get(DEAD));
    leaves = Biology.LIVE_LEAVES;
    cd45neg = Biology.cd45NegIndex();
    double[] p = state.leafProbability();
    aliasProb = new double[p.length];
    aliasIdx = new int[p.length];
    buildAlias(p, aliasProb, aliasIdx);
    ticksPerEvent = 100.0 / eventsPerSecond; // Time in 0.01 s ticks ($TIMESTEP 0.01)
  }

  private double fraction(Population p) {
    return rng.nextDouble(p.perFile().minPct(), p.perFile().maxPct()) / 100;
  }

  /** {@inheritDoc} The separable model has no anomalies: {@code anomalies} is left as it is. */
  @Override
  public void next(int n, float[] out, int[] labels, byte[] anomalies, List<FloatList> values) {
    for (int e = 0; e < n; e++) {
      int node;
      double u = rng.nextDouble();
      if (u < pDebris) {
        node = DEBRIS;
        drawCell(DEBRIS, signal, scatter);
      } else if (rng.nextDouble() < pDoublet) {
        node = DOUBLETS;
        drawCell(liveLeaf(), signal, scatter);
        drawCell(liveLeaf(), other, otherScatter);
        for (int c = 0; c < DETECTORS; c++) {
          signal[c] += other[c];
        }
        // Two cells in one pulse: FSC-A and SSC-A add up; the pulse is longer, not higher, so
        // FSC-H / FSC-A falls to a range well below every singlet's (PanelModel).
        scatter[0] = scatter[0] + otherScatter[0];
        scatter[1] = scatter[0] * rng.nextDouble(PanelModel.DOUBLET_HEIGHT_RATIO_MIN,
            PanelModel.DOUBLET_HEIGHT_RATIO_MAX);
        scatter[2] = 0.95 * (scatter[2] + otherScatter[2]);
      } else if (rng.nextDouble() < pDead) {
        node = DEAD;
        int leaf;
        do {
          leaf = liveLeaf();
        } while (leaf == cd45neg);
        drawCell(leaf, signal, scatter);
        for (int c = 0; c < DETECTORS; c++) {
          signal[c] *= 0.6;
        }
        if (viabilityChannel >= 0) {
          signal[viabilityChannel] = PanelModel.COFACTOR
              * sinh(VIABILITY_DEAD_MEAN + VIABILITY_DEAD_SD * z());
        }
        scatter[0] *= 0.55;
        scatter[1] *= 0.55;
        scatter[2] *= 0.85;
      } else {
        node = liveLeaf();
        drawCell(node, signal, scatter);
      }
      int label = labelOf[node];
      labels[e] = label;
      if (node != DEBRIS && node != DOUBLETS && node != DEAD) {
        boolean[] on = trackedOn[label];
        for (int t = 0; t < on.length; t++) {
          if (on[t]) {
            values.get(t).add((float) signal[tracked.get(t).detector()]);
          }
        }
      }
      instrument(out, e * WIDTH);
    }
  }

  /** A standard-normal deviate truncated to ±{@link PanelModel#TRUNCATION} (redrawn beyond). */
  private double z() {
    return PanelModel.truncatedGaussian(rng);
  }

  private int liveLeaf() {
    int i = rng.nextInt(aliasProb.length);
    return leaves[rng.nextDouble() < aliasProb[i] ? i : aliasIdx[i]];
  }

  private void drawCell(int node, double[] sig, double[] scat) {
    int base = node * DETECTORS;
    for (int c = 0; c < DETECTORS; c++) {
      double level = mean[base + c] + sd[base + c] * z();
      sig[c] = PanelModel.COFACTOR * sinh(level) * mult[base + c];
    }
    double a = fsc[node] * Math.exp(fscSd[node] * z());
    double ratio = node == DEBRIS ? 0.9 + 0.05 * z()
        : PanelModel.SINGLET_HEIGHT_RATIO + PanelModel.SINGLET_HEIGHT_RATIO_SD * z();
    scat[0] = a;
    scat[1] = a * ratio;
    scat[2] = ssc[node] * Math.exp(sscSd[node] * z());
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

  /** sinh via one exp (StrictMath.sinh is a slow native call on Java 17). */
  static double sinh(double z) {
    double e = Math.exp(z);
    return 0.5 * (e - 1 / e);
  }

  private static float clamp(double v) {
    if (v < PanelModel.MIN_VALUE) {
      return PanelModel.MIN_VALUE;
    }
    if (v > PanelModel.MAX_VALUE) {
      return PanelModel.MAX_VALUE;
    }
    return (float) v;
  }

  /** Vose's alias method: O(1) draws from a discrete distribution. */
  static void buildAlias(double[] p, double[] prob, int[] alias) {
    int n = p.length;
    double total = 0;
    for (double x : p) {
      total += x;
    }
    double[] scaled = new double[n];
    int[] small = new int[n];
    int[] large = new int[n];
    int ns = 0;
    int nl = 0;
    for (int i = 0; i < n; i++) {
      scaled[i] = p[i] / total * n;
      if (scaled[i] < 1) {
        small[ns++] = i;
      } else {
        large[nl++] = i;
      }
    }
    while (ns > 0 && nl > 0) {
      int s = small[--ns];
      int l = large[--nl];
      prob[s] = scaled[s];
      alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      if (scaled[l] < 1) {
        small[ns++] = l;
      } else {
        large[nl++] = l;
      }
    }
    while (nl > 0) {
      int l = large[--nl];
      prob[l] = 1;
      alias[l] = l;
    }
    while (ns > 0) {
      int s = small[--ns];
      prob[s] = 1;
      alias[s] = s;
    }
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
