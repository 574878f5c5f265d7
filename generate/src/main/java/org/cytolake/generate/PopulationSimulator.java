package org.cytolake.generate;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.cytolake.generate.EventSimulator.FloatList;
import org.cytolake.generate.EventSimulator.Tracked;
import org.cytolake.generate.PanelModel.Panel;
import org.cytolake.generate.PanelModel.PanelTree;
import org.cytolake.generate.PanelModel.Population;
import org.cytolake.generate.PanelModel.Scatter;
import org.cytolake.generate.PanelModel.Spread;

/**
 * What both models draw alike, the part of an event before the instrument: its population
 * (per-file debris, doublet and dead fractions, then the visit's live leaves by Vose's alias
 * method), its cells' stained signal per detector in arcsinh space (mapped back with 150·sinh and
 * scaled by the visit's intensity effects) and scatter, its label, and the true signals of the
 * tracked medians. The models differ only in their deviates and ratios: {@link EventSimulator}
 * (separable: every deviate truncated) and {@link RealisticSimulator} (skewed, heavy-tailed,
 * untruncated), each adding its own instrument. Random draws happen in one fixed order, so a
 * model's output depends only on its random stream. Not thread-safe.
 *
 * <p>Event layout: FSC-A, FSC-H, SSC-A, the 10 detectors, Time (float32 values).
 */
abstract sealed class PopulationSimulator implements EventSource
    permits EventSimulator, RealisticSimulator {
  static final List<Population> TREE = PanelModel.tree();
  static final int DETECTORS = PanelModel.DETECTORS.size();
  static final int SCATTER = PanelModel.SCATTER.size();
  static final int WIDTH = PanelModel.CHANNELS;
  static final int DEAD = PanelModel.population(PanelModel.DEAD).index();
  static final int DEBRIS = PanelModel.population(PanelModel.DEBRIS).index();
  static final int DOUBLETS = PanelModel.population(PanelModel.DOUBLETS).index();

  /** SD of the additive scatter noise (linear units). */
  static final double SCATTER_NOISE = 40;

  /** The file's event stream: every draw of both models. */
  final SplittableRandom rng;

  final double[] gain;
  final double[][] spill = Instrument.SPILLOVER;

  /** Mean time between events in Time ticks (0.01 s, $TIMESTEP 0.01). */
  final double ticksPerEvent;

  /** The Time of the last event, in ticks. */
  double time;

  /** The true linear signal of the current event's detectors (before gain). */
  final double[] signal = new double[DETECTORS];

  /** The current event's FSC-A, FSC-H and SSC-A (before noise). */
  final double[] scatter = new double[SCATTER];

  private final double[] mean;
  private final double[] sd;
  private final double[] mult;
  private final double[] fsc;
  private final double[] fscSd;
  private final double[] ssc;
  private final double[] sscSd;
  private final double singletRatio;
  private final double singletRatioSd;
  private final int[] labelOf;
  private final int viabilityChannel;
  private final double pDebris;
  private final double pDoublet;
  private final double pDead;
  private final int[] leaves;
  private final double[] aliasProb;
  private final int[] aliasIdx;
  private final int cd45neg;
  private final List<Tracked> tracked;
  private final boolean[][] trackedOn;
  private final double[] other = new double[DETECTORS];
  private final double[] otherScatter = new double[SCATTER];

  /**
   * Builds the per-node tables of {@code panel} and draws the file's debris, doublet and dead
   * fractions from {@code rng} (in that order).
   *
   * @param phenotype each population's marker levels (indexed by {@link PanelModel#marker})
   * @param scatterSdFactor the factor of {@link Scatter}'s FSC and SSC log-SDs
   * @param singletRatio mean FSC-H/FSC-A of a singlet
   * @param singletRatioSd its SD
   */
  PopulationSimulator(
      Panel panel,
      Biology.SampleState state,
      double[] gains,
      double eventsPerSecond,
      List<Tracked> tracked,
      SplittableRandom rng,
      IntFunction<? extends Spread[]> phenotype,
      double scatterSdFactor,
      double singletRatio,
      double singletRatioSd) {
    PanelTree tree = PanelModel.treeOf(panel);
    this.rng = rng;
    this.gain = gains.clone();
    this.tracked = List.copyOf(tracked);
    this.singletRatio = singletRatio;
    this.singletRatioSd = singletRatioSd;
    int nodes = TREE.size();
    mean = new double[nodes * DETECTORS];
    sd = new double[nodes * DETECTORS];
    mult = new double[nodes * DETECTORS];
    fsc = new double[nodes];
    fscSd = new double[nodes];
    ssc = new double[nodes];
    sscSd = new double[nodes];
    labelOf = new int[nodes];
    int[] markerOf = markersOf(panel);
    viabilityChannel = panel.markers().indexOf("Viability");
    for (Population p : TREE) {
      int i = p.index();
      Spread[] levels = phenotype.apply(i);
      for (int c = 0; c < DETECTORS; c++) {
        mean[i * DETECTORS + c] = levels[markerOf[c]].mean();
        sd[i * DETECTORS + c] = levels[markerOf[c]].sd();
        mult[i * DETECTORS + c] = state.intensity()[i][markerOf[c]];
      }
      Scatter s = PanelModel.scatter(i);
      if (s != null) {
        fsc[i] = s.fsc();
        fscSd[i] = s.fscSd() * scatterSdFactor;
        ssc[i] = s.ssc();
        sscSd[i] = s.sscSd() * scatterSdFactor;
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

  /** The {@link PanelModel#marker} index of each detector of {@code panel}. */
  static int[] markersOf(Panel panel) {
    int[] markerOf = new int[DETECTORS];
    for (int c = 0; c < DETECTORS; c++) {
      markerOf[c] = PanelModel.marker(panel.markers().get(c));
    }
    return markerOf;
  }

  /** The deviate of the level at {@code slot} (node × {@link #DETECTORS} + detector). */
  abstract double levelDeviate(int slot);

  /** The deviate of a scatter log-level or height ratio. */
  abstract double scatterDeviate();

  /** FSC-H / FSC-A of a doublet. */
  abstract double doubletHeightRatio();

  /** The Viability level (arcsinh space) of a dead cell. */
  abstract double deadViabilityLevel();

  private double fraction(Population p) {
    return rng.nextDouble(p.perFile().minPct(), p.perFile().maxPct()) / 100;
  }

  /**
   * Draws event {@code e}'s population and cells into {@link #signal} and {@link #scatter},
   * writes its label to {@code labels[e]} and adds its true signals to the tracked medians it
   * belongs to (live singlets only).
   */
  final void drawEvent(int e, int[] labels, List<FloatList> values) {
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
      // FSC-H / FSC-A falls (how far depends on the model).
      scatter[0] = scatter[0] + otherScatter[0];
      scatter[1] = scatter[0] * doubletHeightRatio();
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
        signal[viabilityChannel] = PanelModel.COFACTOR * sinh(deadViabilityLevel());
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
  }

  private int liveLeaf() {
    int i = rng.nextInt(aliasProb.length);
    return leaves[rng.nextDouble() < aliasProb[i] ? i : aliasIdx[i]];
  }

  private void drawCell(int node, double[] sig, double[] scat) {
    int base = node * DETECTORS;
    for (int c = 0; c < DETECTORS; c++) {
      double level = mean[base + c] + sd[base + c] * levelDeviate(base + c);
      sig[c] = PanelModel.COFACTOR * sinh(level) * mult[base + c];
    }
    double a = fsc[node] * Math.exp(fscSd[node] * scatterDeviate());
    double ratio =
        node == DEBRIS
            ? 0.9 + 0.05 * scatterDeviate()
            : singletRatio + singletRatioSd * scatterDeviate();
    scat[0] = a;
    scat[1] = a * ratio;
    scat[2] = ssc[node] * Math.exp(sscSd[node] * scatterDeviate());
  }

  /** sinh via one exp (StrictMath.sinh is a slow native call on Java 17). */
  static double sinh(double z) {
    double e = Math.exp(z);
    return 0.5 * (e - 1 / e);
  }

  /** {@code v} as float32, clamped to [{@link PanelModel#MIN_VALUE}, {@link PanelModel#MAX_VALUE}]. */
  static float clamp(double v) {
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
}
