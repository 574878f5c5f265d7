package org.cytolake.generate;

import java.util.List;
import java.util.SplittableRandom;
import org.cytolake.generate.EventSimulator.FloatList;
import org.cytolake.generate.EventSimulator.Tracked;
import org.cytolake.generate.PanelModel.Panel;
import org.cytolake.generate.PanelModel.PanelTree;
import org.cytolake.generate.PanelModel.Population;
import org.cytolake.generate.PanelModel.Scatter;
import org.cytolake.generate.RealisticModel.Shape;

/**
 * Draws the events of one file with the realistic model ({@link RealisticModel}): the same
 * populations and per-file fractions as {@link EventSimulator}, with untruncated, skewed and
 * heavy-tailed levels, the realistic instrument (spillover applied to a noisy emission, photon
 * noise, per-detector gains with drift), a wobbling flow rate in Time and the file's {@link
 * Anomaly}. Deterministic for given random streams; not thread-safe.
 *
 * <p>Event layout: FSC-A, FSC-H, SSC-A, the 10 detectors, Time (float32 values). Each event's
 * anomaly code ({@link Anomaly.Kind#code}) goes to a parallel array: clog and bubble from the
 * segment, margin where this class saturates a channel; {@link Anomaly#markMargins} adds the
 * events that saturate on their own once the values are final.
 */
final class RealisticSimulator implements EventSource {
  private static final List<Population> TREE = PanelModel.tree();
  private static final int DETECTORS = PanelModel.DETECTORS.size();
  private static final int SCATTER = PanelModel.SCATTER.size();
  private static final int WIDTH = PanelModel.CHANNELS;
  private static final int DEAD = PanelModel.population(PanelModel.DEAD).index();
  private static final int DEBRIS = PanelModel.population(PanelModel.DEBRIS).index();
  private static final int DOUBLETS = PanelModel.population(PanelModel.DOUBLETS).index();
  /** SD of the additive scatter noise (linear units). */
  private static final double SCATTER_NOISE = 40;

  private final SplittableRandom rng;
  private final SplittableRandom anomalyRng;
  private final Anomaly anomaly;
  private final double[] mean;
  private final double[] sd;
  /** {@link RealisticModel#skewNormal} of each node × detector level, null where normal. */
  private final double[][] skew;
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
  private final double wobble;
  private final double periodTicks;
  private final double phase;
  private final List<Tracked> tracked;
  private final boolean[][] trackedOn;
  private double time;
  private int index;

  private final double[] signal = new double[DETECTORS];
  private final double[] other = new double[DETECTORS];
  private final double[] scatter = new double[SCATTER];
  private final double[] otherScatter = new double[SCATTER];
  private final double[] emitted = new double[DETECTORS];
  private final double[] jitter = new double[DETECTORS];

  /**
   * @param rng the file's event stream
   * @param anomalyRng the stream of the anomaly's per-event choices
   */
  RealisticSimulator(Panel panel, Biology.SampleState state, double[] gains,
      double eventsPerSecond, Anomaly anomaly, List<Tracked> tracked, SplittableRandom rng,
      SplittableRandom anomalyRng) {
    PanelTree tree = PanelModel.treeOf(panel);
    this.rng = rng;
    this.anomalyRng = anomalyRng;
    this.anomaly = anomaly;
    this.gain = gains.clone();
    this.tracked = List.copyOf(tracked);
    int nodes = TREE.size();
    mean = new double[nodes * DETECTORS];
    sd = new double[nodes * DETECTORS];
    skew = new double[nodes * DETECTORS][];
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
      Shape[] levels = RealisticModel.phenotype(i);
      for (int c = 0; c < DETECTORS; c++) {
        Shape s = levels[markerOf[c]];
        mean[i * DETECTORS + c] = s.mean();
        sd[i * DETECTORS + c] = s.sd();
        skew[i * DETECTORS + c] = s.skew() == 0 ? null : RealisticModel.skewNormal(s.skew());
        mult[i * DETECTORS + c] = state.intensity()[i][markerOf[c]];
      }
      Scatter s = PanelModel.scatter(i);
      if (s != null) {
        fsc[i] = s.fsc();
        fscSd[i] = s.fscSd() * RealisticModel.SCATTER_SD_FACTOR;
        ssc[i] = s.ssc();
        sscSd[i] = s.sscSd() * RealisticModel.SCATTER_SD_FACTOR;
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
    EventSimulator.buildAlias(p, aliasProb, aliasIdx);
    ticksPerEvent = 100.0 / eventsPerSecond; // Time in 0.01 s ticks ($TIMESTEP 0.01)
    wobble = rng.nextDouble(RealisticModel.FLOW_WOBBLE_MIN, RealisticModel.FLOW_WOBBLE_MAX);
    periodTicks = 100 * rng.nextDouble(RealisticModel.FLOW_PERIOD_MIN_S,
        RealisticModel.FLOW_PERIOD_MAX_S);
    phase = rng.nextDouble(0, 2 * Math.PI);
  }

  private double fraction(Population p) {
    return rng.nextDouble(p.perFile().minPct(), p.perFile().maxPct()) / 100;
  }

  @Override
  public void next(int n, float[] out, int[] labels, byte[] anomalies, List<FloatList> values) {
    for (int e = 0; e < n; e++, index++) {
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
        // Areas add; the height of a doublet depends on how the two cells pass the beam.
        scatter[0] = scatter[0] + otherScatter[0];
        scatter[1] = scatter[0] * (RealisticModel.DOUBLET_RATIO
            + RealisticModel.DOUBLET_RATIO_SD * rng.nextGaussian());
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
          Shape v = RealisticModel.DEAD_VIABILITY;
          signal[viabilityChannel] = PanelModel.COFACTOR
              * EventSimulator.sinh(v.mean() + v.sd() * RealisticModel.deviate(rng, v.skew()));
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
      anomalies[e] = disturb();
      instrument(out, e * WIDTH);
      if (anomaly.kind == Anomaly.Kind.MARGIN
          && anomalyRng.nextDouble() < anomaly.marginShare) {
        int[] ch = anomaly.marginChannels;
        out[e * WIDTH + ch[ch.length == 1 ? 0 : anomalyRng.nextInt(ch.length)]] =
            PanelModel.MAX_VALUE;
        anomalies[e] = Anomaly.Kind.MARGIN.code();
      }
    }
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

  private int liveLeaf() {
    int i = rng.nextInt(aliasProb.length);
    return leaves[rng.nextDouble() < aliasProb[i] ? i : aliasIdx[i]];
  }

  private void drawCell(int node, double[] sig, double[] scat) {
    int base = node * DETECTORS;
    for (int c = 0; c < DETECTORS; c++) {
      double level = mean[base + c] + sd[base + c] * RealisticModel.deviate(rng, skew[base + c]);
      sig[c] = PanelModel.COFACTOR * EventSimulator.sinh(level) * mult[base + c];
    }
    double a = fsc[node] * Math.exp(fscSd[node] * rng.nextGaussian());
    double ratio = node == DEBRIS ? 0.9 + 0.05 * rng.nextGaussian()
        : RealisticModel.SINGLET_RATIO + RealisticModel.SINGLET_RATIO_SD * rng.nextGaussian();
    scat[0] = a;
    scat[1] = a * ratio;
    scat[2] = ssc[node] * Math.exp(sscSd[node] * rng.nextGaussian());
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

  private static float clamp(double v) {
    if (v < PanelModel.MIN_VALUE) {
      return PanelModel.MIN_VALUE;
    }
    if (v > PanelModel.MAX_VALUE) {
      return PanelModel.MAX_VALUE;
    }
    return (float) v;
  }
}
