package org.cytolake.generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.cytolake.generate.PanelModel.Level;
import org.cytolake.generate.PanelModel.Population;

/**
 * The realistic model, the default of {@code cytolake generate}: the populations, panels and
 * shares of {@link PanelModel}, drawn from distributions shaped like published PBMC / whole-blood
 * data instead of bounded boxes, so that gating and clustering are as hard as on real files.
 * {@code --separable} keeps {@link PanelModel}'s separable model instead.
 *
 * <p>Tags as in {@code ../shared/TRIAL.md}: {@code [T]} that fact sheet; {@code [L]} a published
 * source, recalled (the full texts were not re-checked here, so the numbers are approximate);
 * {@code [A]} an assumption of the simulation, chosen to be within the published ranges.
 *
 * <p><b>Marker levels.</b> In arcsinh(x/150) space each population-marker level is a skew-normal
 * with the given mean, SD and shape α (Azzalini 1985; α &lt; 0 a tail towards dimmer, α &gt; 0
 * towards brighter), contaminated: with probability {@link #TAIL_PROBABILITY} the deviate is
 * multiplied by {@link #TAIL_SCALE} (Tukey's contaminated normal: the heavy tails of stained
 * populations, from unspecific binding, aggregates and debris stuck to cells) {@code [A]}. Nothing
 * is truncated. Levels that {@link #OVERRIDES} does not set are {@link PanelModel}'s with the SD
 * widened by {@link #SD_FACTOR} (negatives: 0.15 ± 0.54, i.e. 0 ± ~85 linear, TRIAL.md's
 * "negatives 0 ± 60-120" {@code [T]}; bright populations 15-25% CV {@code [T]}). The overrides,
 * each with its reason:
 * <ul>
 *   <li><b>Treg CD25 / CD127 / FOXP3 continua</b>: CD25 on CD4 T cells is a continuum, CD25− naive,
 *       CD25dim/int memory Tconv, CD25hi Tregs, with no gap (Baecher-Allan et al., J Immunol
 *       2001;167:1245 {@code [L]}: only the brightest ~2% are suppressive); CD127-low is a shoulder
 *       of the CD127+ peak, and 5-15% of FOXP3+ cells are CD127+ while some activated Tconv are
 *       CD25+CD127lo (Liu et al., J Exp Med 2006;203:1701; Seddiki et al., J Exp Med
 *       2006;203:1693 {@code [L]}); FOXP3 has a FOXP3lo tail of activated non-suppressive CD45RA−
 *       cells (Miyara et al., Immunity 2009;30:899 {@code [L]}); Helios is bimodal with overlap.
 *       Hence Treg CD25 3.9 ± 0.5 (α −2) against Tconv 1.6 ± 0.65 (α +1.5), Treg CD127 1.5 ± 0.45
 *       (α +2) against Tconv 3.3 ± 0.3 (α −1.5), activated Tconv CD127 2.9 ± 0.4 (IL-7Rα is
 *       down-regulated on activation, Seddiki 2006 {@code [L]}) and CD25 2.5 ± 0.55.
 *       With the fixed gate of {@code conf/gating/P1.yaml} (CD25 ≥ 2.0, CD127 ≤ 2.45) this
 *       loses some true Tregs and admits some Tconv, as real data do (CD25+CD127lo gates are
 *       85-95% FOXP3+: Santegoets et al., Cancer Immunol Immunother 2015;64:1271 {@code [L]}).
 *   <li><b>Memory phenotypes</b>: CCR7 and CD45RA are continuous with transitional CD45RA-dim and
 *       CCR7-int cells (Maecker, McCoy, Nussenblatt, Nat Rev Immunol 2012;12:191 {@code [L]}):
 *       wider SDs with tails towards the neighbouring subset.
 *   <li><b>Dim populations</b>: CD4-dim and CD8-dim T-cell tails, CD3-dim, CD19-dim (α −1); NK
 *       CD56bright / CD56dim and the three monocyte subsets (CD14/CD16) as continua
 *       (Ziegler-Heitbrock et al., Blood 2010;116:e74 {@code [L]}: intermediate monocytes sit
 *       between the other two).
 *   <li><b>Dead cells</b>: the viability dye is 4.6 ± 0.8 (α −1.5): dying cells take up less
 *       dye, so a few fall on the live side of a fixed viability gate {@code [A]}.
 * </ul>
 *
 * <p><b>Scatter.</b> Log-normal FSC-A / SSC-A with the SDs of {@link PanelModel} × {@link
 * #SCATTER_SD_FACTOR}, untruncated; singlet FSC-H/FSC-A {@link #SINGLET_RATIO} ± {@link
 * #SINGLET_RATIO_SD}; doublet FSC-H/FSC-A {@link #DOUBLET_RATIO} ± {@link #DOUBLET_RATIO_SD}
 * normal, so that ~10% of doublets (those passing aligned in the flow) look like singlets
 * {@code [A]}; debris FSC-A log-normal with its tail into the smallest cells.
 *
 * <p><b>Instrument</b> ({@link Instrument}, realistic mode): per-day gain drift untruncated, a slow
 * drift across the run days, and a setup change large enough to move populations across fixed
 * gates. Observed detector j = Σ_i g_i·x_i·S_ij·(1 + κ·ε_i [i ≠ j]) + √(P·λ_j)·z_j: the
 * spillover is applied to a per-event noisy emission (ε_i ~ N(0, 1), κ = {@link
 * #SPILL_EVENT_CV}: tandem-dye and beam-position heterogeneity, so after compensation with the
 * file's {@code $SPILLOVER} a negative spreads proportionally to the spilling channel's signal)
 * and each detector adds its own photon noise of variance P·λ_j ({@link Instrument#PHOTON_NOISE}),
 * which compensation cannot remove: the spread grows as √(spilled signal) (Roederer, Cytometry
 * 2001;45:194; Nguyen et al., Cytometry A 2013;83:306, the spillover-spreading matrix {@code
 * [L]}).
 *
 * <p><b>Events per file</b>: log-normal around the configured number (median = {@code
 * --events-per-sample}, log-SD {@link #EVENTS_LOG_SD}, kept within ×/÷ {@link #EVENTS_MAX_FOLD}):
 * lyse/no-wash whole-blood tubes are acquired for a fixed volume or time, so counts follow the
 * leukocyte count, which varies ~30% between samples (WBC reference range 4-11 ×10^9/L)
 * {@code [A]}.
 *
 * <p><b>Time</b>: events arrive as a Poisson process whose rate (1,500-6,000 events/s per file,
 * as in the separable model) varies sinusoidally by ±{@link #FLOW_WOBBLE_MIN}-{@link
 * #FLOW_WOBBLE_MAX} with a period of {@link #FLOW_PERIOD_MIN_S}-{@link #FLOW_PERIOD_MAX_S} s
 * (sheath-pressure and sample-pressure wobble) {@code [A]}; written in $TIMESTEP (0.01 s) ticks,
 * never decreasing. Clogs and bubbles ({@link Anomaly}) change it further.
 *
 * <p><b>Patient intensity</b>: the per-patient level of the intensity effects is logN(0, 0.1),
 * untruncated. Deterministic: every draw comes from {@link Seeds} streams.
 */
final class RealisticModel {
  private RealisticModel() {}

  /** SDs of {@link PanelModel} levels that no override sets are widened by this factor. */
  static final double SD_FACTOR = 1.2;

  /** Probability that a level deviate comes from the wide component of the contaminated normal. */
  static final double TAIL_PROBABILITY = 0.03;

  /** SD of the wide component, in SDs of the level. */
  static final double TAIL_SCALE = 2.5;

  /** SDs of log FSC-A and log SSC-A are {@link PanelModel}'s times this. */
  static final double SCATTER_SD_FACTOR = 1.25;

  static final double SINGLET_RATIO = 0.86;
  static final double SINGLET_RATIO_SD = 0.03;
  static final double DOUBLET_RATIO = 0.68;
  static final double DOUBLET_RATIO_SD = 0.06;

  /** Viability dye on dead cells: mean, SD, shape. */
  static final Shape DEAD_VIABILITY = new Shape(4.6, 0.8, -1.5);

  /** Per-event CV of each dye's spilled emission (see the class comment). */
  static final double SPILL_EVENT_CV = 0.04;

  /** Log-SD of the events of a file around the configured count. */
  static final double EVENTS_LOG_SD = 0.3;

  /** Events of a file stay within configured ×/÷ this. */
  static final double EVENTS_MAX_FOLD = 4;

  /** Flow-rate wobble: relative amplitude and period. */
  static final double FLOW_WOBBLE_MIN = 0.05;

  static final double FLOW_WOBBLE_MAX = 0.20;
  static final double FLOW_PERIOD_MIN_S = 15;
  static final double FLOW_PERIOD_MAX_S = 60;

  /** Log-SD of the per-patient level of an intensity effect (as in the separable model). */
  static final double PATIENT_INTENSITY_LOG_SD = 0.1;

  /**
   * A marker level: mean and SD in arcsinh(x/150) space and the skew-normal shape α (0: normal).
   */
  record Shape(double mean, double sd, double skew) implements PanelModel.Spread {}

  /** Overrides of {@link PanelModel}'s levels: population path → marker → shape. */
  static final Map<String, Map<String, Shape>> OVERRIDES;

  static {
    Map<String, Map<String, Shape>> o = new LinkedHashMap<>();
    // Lineage markers: dim tails.
    put(o, PanelModel.T, "CD3", 5.3, 0.25, -1);
    put(o, PanelModel.CD4, "CD4", 5.0, 0.25, -1);
    put(o, PanelModel.CD8, "CD8", 5.3, 0.3, -1.5);
    put(o, PanelModel.B, "CD19", 4.9, 0.3, -1);
    // Treg continua (see the class comment).
    put(o, PanelModel.TREG, "CD25", 3.9, 0.5, -2);
    put(o, PanelModel.TREG, "CD127", 1.5, 0.45, 2);
    put(o, PanelModel.TREG, "FOXP3", 3.6, 0.4, -2);
    put(o, PanelModel.TREG, "Helios", 3.4, 0.5, -1.5);
    put(o, PanelModel.ATREG, "CD45RA", 1.0, 0.6, 1.5);
    put(o, PanelModel.RTREG, "CD45RA", 3.9, 0.45, -1.5);
    for (String sub : List.of(PanelModel.ATREG, PanelModel.RTREG)) {
      put(o, sub + "/FOXP3-", "FOXP3", 1.3, 0.6, 1.5);
      put(o, sub + "/FOXP3-", "Helios", 1.0, 0.6, 1.5);
      put(o, sub + "/FOXP3-", "CD25", 3.4, 0.55, -1.5);
      put(o, sub + "/Helios-", "Helios", 1.0, 0.6, 1.5);
    }
    put(o, PanelModel.TCONV, "CD25", 1.6, 0.65, 1.5);
    put(o, PanelModel.TCONV, "CD127", 3.3, 0.3, -1.5);
    put(o, PanelModel.TCONV, "FOXP3", 0.7, 0.5, 1.5);
    put(o, PanelModel.TCONV, "Helios", 0.8, 0.5, 1);
    put(o, PanelModel.TCONV + "/naive", "CD25", 1.0, 0.55, 1.5);
    // Memory subsets of CD4 Tconv and CD8: CD45RA and CCR7 continua.
    for (String parent : List.of(PanelModel.TCONV, PanelModel.CD8)) {
      put(o, parent + "/naive", "CD45RA", 4.5, 0.35, -1.5);
      put(o, parent + "/naive", "CCR7", 3.6, 0.35, -1.5);
      put(o, parent + "/CM", "CD45RA", 1.0, 0.55, 1.5);
      put(o, parent + "/CM", "CCR7", 3.3, 0.45, -1.5);
      put(o, parent + "/EM", "CD45RA", 1.0, 0.55, 1.5);
      put(o, parent + "/EM", "CCR7", 0.9, 0.6, 1.5);
      put(o, parent + "/TEMRA", "CD45RA", 3.9, 0.55, -1.5);
      put(o, parent + "/TEMRA", "CCR7", 0.8, 0.55, 1.5);
      for (String subset : List.of("naive", "CM", "EM", "TEMRA")) {
        String act = parent + "/" + subset + "/activated";
        put(o, act, "CD25", 2.5, 0.55, 1);
        put(o, act, "CD127", 2.9, 0.4, -1);
        put(o, act, "HLA-DR", 3.7, 0.5, -1.5);
        put(o, act, "CD38", 4.0, 0.5, -1);
      }
    }
    // NK and monocyte subsets: continua.
    put(o, PanelModel.NK + "/CD56bright", "CD56", 4.9, 0.35, -1);
    put(o, PanelModel.NK + "/CD56bright", "CD16", 1.3, 0.7, 1.5);
    put(o, PanelModel.NK + "/CD56dim", "CD56", 3.5, 0.35, 1);
    put(o, PanelModel.MONOCYTES + "/classical", "CD14", 5.2, 0.3, -1.5);
    put(o, PanelModel.MONOCYTES + "/classical", "CD16", 1.0, 0.55, 2);
    put(o, PanelModel.MONOCYTES + "/intermediate", "CD14", 4.6, 0.35, 0);
    put(o, PanelModel.MONOCYTES + "/intermediate", "CD16", 3.4, 0.5, 0);
    put(o, PanelModel.MONOCYTES + "/nonclassical", "CD14", 3.0, 0.45, 1.5);
    put(o, PanelModel.MONOCYTES + "/nonclassical", "CD16", 4.5, 0.4, -1);
    for (Map.Entry<String, Map<String, Shape>> e : o.entrySet()) {
      if (PanelModel.population(e.getKey()) == null) {
        throw new IllegalStateException(
            "Cannot define realistic level: unknown population " + e.getKey());
      }
      e.setValue(Map.copyOf(e.getValue()));
    }
    OVERRIDES = Map.copyOf(o);
  }

  private static void put(
      Map<String, Map<String, Shape>> o,
      String path,
      String marker,
      double mean,
      double sd,
      double skew) {
    PanelModel.marker(marker);
    o.computeIfAbsent(path, k -> new LinkedHashMap<>()).put(marker, new Shape(mean, sd, skew));
  }

  /**
   * The node's realistic level of every marker of {@link PanelModel#MARKERS}, inherited down the
   * tree: along the path from the root, each node's {@link PanelModel} levels (SD × {@link
   * #SD_FACTOR}, normal) and then its {@link #OVERRIDES}.
   */
  static Shape[] phenotype(int index) {
    List<Population> tree = PanelModel.tree();
    List<Population> chain = new ArrayList<>();
    for (int i = index; i >= 0; i = tree.get(i).parent()) {
      chain.add(0, tree.get(i));
    }
    Shape[] out = new Shape[PanelModel.MARKERS.size()];
    for (Population p : chain) {
      for (Map.Entry<String, Level> e : p.phenotype().entrySet()) {
        Level l = e.getValue();
        out[PanelModel.marker(e.getKey())] = new Shape(l.mean(), l.sd() * SD_FACTOR, 0);
      }
      Map<String, Shape> over = OVERRIDES.get(p.path());
      if (over != null) {
        over.forEach((m, s) -> out[PanelModel.marker(m)] = s);
      }
    }
    return out;
  }

  /**
   * A standardised (mean 0, SD 1 before contamination) skew-normal deviate of shape {@code skew},
   * contaminated: multiplied by {@link #TAIL_SCALE} with probability {@link #TAIL_PROBABILITY}.
   */
  static double deviate(SplittableRandom rng, double skew) {
    return skew == 0 ? deviate(rng, null) : deviate(rng, skewNormal(skew));
  }

  /**
   * The constants of the standardised skew-normal of shape α: δ = α/√(1 + α²), √(1 − δ²), its
   * mean m = δ√(2/π) and 1/√(1 − m²).
   */
  static double[] skewNormal(double skew) {
    double delta = skew / Math.sqrt(1 + skew * skew);
    double mean = delta * Math.sqrt(2 / Math.PI);
    return new double[] {delta, Math.sqrt(1 - delta * delta), mean, 1 / Math.sqrt(1 - mean * mean)};
  }

  /** {@link #deviate(SplittableRandom, double)} with {@link #skewNormal} precomputed (null: α 0). */
  static double deviate(SplittableRandom rng, double[] skew) {
    double z;
    if (skew == null) {
      z = rng.nextGaussian();
    } else {
      double x = skew[0] * Math.abs(rng.nextGaussian()) + skew[1] * rng.nextGaussian();
      z = (x - skew[2]) * skew[3];
    }
    return rng.nextDouble() < TAIL_PROBABILITY ? z * TAIL_SCALE : z;
  }

  /**
   * Events of one file: log-normal around {@code configured} (its median), within ×/÷ {@link
   * #EVENTS_MAX_FOLD}, at least 1 and at most {@link GenerateOptions#EVENTS_PER_SAMPLE_MAX}.
   */
  static int events(int configured, SplittableRandom rng) {
    double f = Math.exp(EVENTS_LOG_SD * rng.nextGaussian());
    f = Math.max(1 / EVENTS_MAX_FOLD, Math.min(EVENTS_MAX_FOLD, f));
    long n = Math.round(configured * f);
    return (int) Math.max(1, Math.min(GenerateOptions.EVENTS_PER_SAMPLE_MAX, n));
  }
}
