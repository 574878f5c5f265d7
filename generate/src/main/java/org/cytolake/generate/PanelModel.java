package org.cytolake.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The synthetic trial's cell populations and staining panels, in one place: TRIAL.md section 2
 * (panels, gating hierarchy with baseline % of parent and between-patient SD) plus each
 * population's phenotype, from which the event simulator draws and from which a gating strategy
 * can be derived.
 *
 * <p><b>Populations.</b> One biological tree of {@link Population}s, written as slash paths from
 * the two top-level nodes {@code debris} and {@code cells} (the root, all events, has the empty
 * path). A node's {@link Share} is its baseline % of its parent, drawn per patient logit-normally
 * with TRIAL.md's mean and SD (μ and σ solved so that the draws have exactly that mean and SD);
 * siblings are then normalised to 100%, or the one sibling without a share takes the remainder.
 * {@code debris}, {@code cells/doublets} and {@code cells/singlets/dead} have a {@link PerFile}
 * share drawn uniformly per file instead (sample handling, not biology). Visit effects multiply
 * shares ({@link EffectModel}); a share pushed past 85% saturates smoothly below 100%.
 *
 * <p><b>Phenotypes.</b> Each node may set, per marker, a {@link Level}: mean and SD of the stained
 * signal in arcsinh(x/150) space ({@link #COFACTOR}); children inherit what they do not set. The
 * root sets every marker negative (0.15 ± 0.45, i.e. 0 ± ~70 linear). Each node may set its
 * {@link Scatter} position (linear FSC-A and SSC-A, log-normal spread).
 *
 * <p><b>Panels.</b> A {@link Panel} maps the 10 fluorescence detectors to markers (TRIAL.md's panel
 * table) and says which parts of the tree its markers cannot resolve: a {@code collapse} node
 * becomes one leaf for the panel, and a {@link Merge} joins siblings into one leaf. Events are
 * always drawn from the finest populations (a P1 Tconv cell still has its memory phenotype); the
 * panel's label of an event is the panel leaf containing it ({@link PanelTree}). TRIAL.md
 * populations that cut across the tree (Helios+ or FOXP3+ Tregs across aTreg/rTreg, activated
 * Tconv and CD8 across memory subsets) are {@link Derived} unions of panel leaves.
 *
 * <p><b>Separable by design ({@code --separable}).</b> In the separable model every population a
 * panel resolves can be gated exactly by a correct strategy ({@code conf/gating/}), so that gating
 * can be tested against these labels event by event. (The default, realistic model draws the same
 * tree, shares and panels from overlapping distributions instead: {@link RealisticModel}.) Every
 * normal deviate of an event is truncated at ±{@link #TRUNCATION} SD (redrawn
 * beyond): marker levels, log-normal scatter, the FSC-H/FSC-A ratio, photon noise, and the daily
 * detector gain ({@link Instrument}) and patient intensity level ({@link Biology}). Each
 * population therefore occupies a bounded box, and means and SDs are set so that the boxes of
 * populations a gate separates leave a real gap around the gate's threshold, wide enough for what
 * moves a population after the draw: the detector gain (±0.13 in arcsinh units) and the setup
 * change (±10-20%) of {@link Instrument}, spillover spreading (compensation removes spillover but
 * not its photon noise), visit and patient intensity effects ({@link EffectModel}: Treg CD25 and
 * FOXP3, Tconv CD25; the visit fold changes are not truncated), and float/int16 encoding. The gaps
 * hold against each of these at its bound; only a joint extreme of several could still cross one,
 * and {@code GatingSeparatesDataSamplesTest} checks that no event of data-samples does.
 * The geometry is bounded the same way: debris FSC-A ≤ 12k below every cell's ≥ 17k; doublets
 * have FSC-H/FSC-A in [{@link #DOUBLET_HEIGHT_RATIO_MIN}, {@link #DOUBLET_HEIGHT_RATIO_MAX}),
 * singlets 0.86 ± 2.5 × 0.025 = [0.7975, 0.9225]; dead cells' viability dye is [4.3, 6.1] against
 * live cells' [-1.0, 1.3]. The gaps and thresholds are listed in {@code conf/gating/*.yaml}. The
 * labels stay the generator's own: an event's label is the population it was drawn from, never
 * what a gate says.
 */
public final class PanelModel {
  private PanelModel() {}

  /** Cofactor c of the arcsinh(x / c) space phenotypes are given in. */
  public static final double COFACTOR = 150.0;

  /** $PnR of every float channel: an 18-bit BD instrument. */
  public static final long RANGE = 262_144;

  /** Lowest value written: BD floats go slightly negative after baseline restoration. */
  public static final float MIN_VALUE = -111f;

  /** Highest value written. */
  public static final float MAX_VALUE = 262_143f;

  public static final String DEBRIS = "debris";
  public static final String CELLS = "cells";
  public static final String DOUBLETS = "cells/doublets";
  public static final String SINGLETS = "cells/singlets";
  public static final String DEAD = "cells/singlets/dead";
  public static final String LIVE = "cells/singlets/live";
  public static final String CD45NEG = LIVE + "/CD45neg";
  public static final String LEUKOCYTES = LIVE + "/leukocytes";
  public static final String LYMPHOCYTES = LEUKOCYTES + "/lymphocytes";
  public static final String T = LYMPHOCYTES + "/T";
  public static final String CD4 = T + "/CD4";
  public static final String TREG = CD4 + "/Treg";
  public static final String ATREG = TREG + "/aTreg";
  public static final String RTREG = TREG + "/rTreg";
  public static final String TCONV = CD4 + "/Tconv";
  public static final String CD8 = T + "/CD8";
  public static final String B = LYMPHOCYTES + "/B";
  public static final String NK = LYMPHOCYTES + "/NK";
  public static final String MONOCYTES = LEUKOCYTES + "/monocytes";
  public static final String EOSINOPHILS = LEUKOCYTES + "/eosinophils";
  public static final String NEUTROPHILS = LEUKOCYTES + "/neutrophils";

  /** Every marker of the three panels; phenotypes are indexed in this order. */
  public static final List<String> MARKERS =
      List.of(
          "CD45RA",
          "CD25",
          "HLA-DR",
          "CD4",
          "CD127",
          "FOXP3",
          "Viability",
          "Helios",
          "CD3",
          "CD8",
          "CCR7",
          "CD38",
          "CD16",
          "CD56",
          "CD19",
          "CD45",
          "CD14",
          "CD27");

  /** The fluorescence detectors ($PnN), in file order. */
  public static final List<String> DETECTORS =
      List.of(
          "FITC-A",
          "PE-A",
          "PE-CF594-A",
          "PerCP-Cy5.5-A",
          "PE-Cy7-A",
          "APC-A",
          "APC-H7-A",
          "BV421-A",
          "BV510-A",
          "BV605-A");

  /** Scatter channels, written before the detectors. */
  public static final List<String> SCATTER = List.of("FSC-A", "FSC-H", "SSC-A");

  public static final String TIME = "Time";

  /** Channels per file: scatter, detectors, Time. */
  public static final int CHANNELS = SCATTER.size() + DETECTORS.size() + 1;

  /**
   * Every normal deviate of an event (marker level, log scatter, FSC-H/FSC-A ratio, photon noise,
   * daily detector gain, patient intensity level) is drawn from the standard normal truncated at
   * ±TRUNCATION (redrawn beyond), so every population occupies a bounded box.
   */
  public static final double TRUNCATION = 2.5;

  /** FSC-H / FSC-A of one cell: mean and SD (before truncation). */
  public static final double SINGLET_HEIGHT_RATIO = 0.86;

  public static final double SINGLET_HEIGHT_RATIO_SD = 0.025;

  /** FSC-H / FSC-A of a doublet, uniform in [MIN, MAX): below every singlet's 0.7975. */
  public static final double DOUBLET_HEIGHT_RATIO_MIN = 0.58;

  public static final double DOUBLET_HEIGHT_RATIO_MAX = 0.70;

  /** A standard-normal deviate truncated to ±{@link #TRUNCATION}: redrawn until inside. */
  public static double truncatedGaussian(java.util.SplittableRandom rng) {
    double z;
    do {
      z = rng.nextGaussian();
    } while (Math.abs(z) > TRUNCATION);
    return z;
  }

  /** The centre and spread of a marker level in arcsinh(x/150) space, whatever its shape. */
  public interface Spread {
    double mean();

    double sd();
  }

  /** Mean and SD of a stained signal in arcsinh(x/150) space. */
  public record Level(double mean, double sd) implements Spread {
    /** The linear value of the mean, 150·sinh(mean). */
    public double linearMean() {
      return COFACTOR * Math.sinh(mean);
    }
  }

  /** Linear FSC-A and SSC-A centre with log-normal spread (SD of the natural log). */
  public record Scatter(double fsc, double fscSd, double ssc, double sscSd) {}

  /**
   * Baseline % of the parent: mean and between-patient SD (TRIAL.md), clamped to
   * [{@code minPct}, {@code maxPct}]. Nodes with the same {@code key} share one draw per patient
   * (the Helios/FOXP3 split of aTreg and rTreg); nodes with the same {@code zKey} share the
   * standard-normal deviate (patients with more activated CD4 T cells have them in every subset).
   */
  public record Share(
      double meanPct, double sdPct, double minPct, double maxPct, String key, String zKey) {}

  /** Fraction of the parent drawn uniformly per file, in percent. */
  public record PerFile(double minPct, double maxPct) {}

  /** One node of the biological tree. */
  public record Population(
      int index,
      String path,
      int parent,
      Share share,
      PerFile perFile,
      Map<String, Level> phenotype,
      Scatter scatter) {
    public String name() {
      int i = path.lastIndexOf('/');
      return i < 0 ? path : path.substring(i + 1);
    }

    /** The key of its share draw (its path unless shared). */
    public String shareKey() {
      return share == null || share.key() == null ? path : share.key();
    }
  }

  /** Joins sibling populations into one panel leaf. */
  public record Merge(String parent, List<String> children, String name) {}

  /**
   * A staining panel.
   *
   * @param id P1, P2, P3
   * @param name the tube name
   * @param markers marker of each of {@link #DETECTORS}, in order
   * @param eventDivisor events of a file = events per sample / divisor (P1 1, P2 and P3 2)
   * @param collapse nodes whose subtree is one leaf in this panel
   * @param merges siblings joined into one leaf
   */
  public record Panel(
      String id,
      String name,
      List<String> markers,
      int eventDivisor,
      List<String> collapse,
      List<Merge> merges) {
    /** The marker ($PnS) of a detector. */
    public String markerOf(String detector) {
      return markers.get(DETECTORS.indexOf(detector));
    }

    /** Events of one file of this panel. */
    public int events(int eventsPerSample) {
      return Math.max(1, eventsPerSample / eventDivisor);
    }
  }

  /**
   * A TRIAL.md population that is a union of panel leaves under {@code parent}: those whose last
   * path segment is {@code leafName} ({@code include}) or is not ({@code !include}).
   */
  public record Derived(
      String panel, String path, String parent, String leafName, boolean include) {
    public boolean contains(String leafPath) {
      if (!leafPath.startsWith(parent + "/")) {
        return false;
      }
      String last = leafPath.substring(leafPath.lastIndexOf('/') + 1);
      return last.equals(leafName) == include;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The tree. Percentages and SDs from TRIAL.md section 2 unless marked [A].
  // ---------------------------------------------------------------------------------------------

  private static final Level NEGATIVE = new Level(0.15, 0.45);
  private static final List<Population> TREE;
  private static final Map<String, Population> BY_PATH;

  static {
    Builder b = new Builder();
    Map<String, Level> root = new LinkedHashMap<>();
    for (String m : MARKERS) {
      root.put(m, NEGATIVE);
    }
    b.add("", null, null, root, null);

    b.perFile(
        DEBRIS,
        5,
        15,
        new Scatter(5_000, 0.35, 4_000, 0.5),
        lv("CD45RA", 0.4, 0.6),
        lv("CD25", 0.4, 0.6),
        lv("HLA-DR", 0.4, 0.6),
        lv("CD4", 0.4, 0.6),
        lv("CD127", 0.4, 0.6),
        lv("FOXP3", 0.4, 0.6),
        lv("Viability", 1.8, 0.9),
        lv("Helios", 0.4, 0.6),
        lv("CD3", 0.4, 0.6),
        lv("CD8", 0.4, 0.6),
        lv("CCR7", 0.4, 0.6),
        lv("CD38", 0.4, 0.6),
        lv("CD16", 0.4, 0.6),
        lv("CD56", 0.4, 0.6),
        lv("CD19", 0.4, 0.6),
        lv("CD45", 1.5, 0.9),
        lv("CD14", 0.4, 0.6),
        lv("CD27", 0.4, 0.6));
    b.remainder(CELLS);
    b.perFile(DOUBLETS, 3, 8, null); // two live cells: see EventSimulator
    b.remainder(SINGLETS);
    b.perFile(DEAD, 2, 8, null, lv("Viability", 5.2, 0.35)); // a dying leukocyte: EventSimulator
    b.remainder(LIVE);
    b.remainder(CD45NEG, new Scatter(25_000, 0.15, 6_000, 0.3));
    b.node(LEUKOCYTES, pct(99, 0.5, 95, 99.9), null, lv("CD45", 5.3, 0.2));

    b.node(
        LYMPHOCYTES,
        pct(25, 8, 5, 60),
        new Scatter(55_000, 0.08, 14_000, 0.15),
        lv("CD45", 5.7, 0.18),
        lv("CD38", 1.8, 0.5));
    // T, CD4, naive Tconv, neutrophils and classical monocytes take the remainder of their
    // siblings' shares, so the siblings keep TRIAL.md's SDs and the remainder its mean.
    b.remainder(
        T,
        null,
        lv("CD3", 5.4, 0.2),
        lv("CD27", 3.4, 0.35),
        lv("CD127", 3.2, 0.3),
        lv("CD45RA", 2.5, 1.5));
    b.remainder(CD4, null, lv("CD4", 5.0, 0.2));
    b.node(
        TREG,
        pct(5.5, 1.8, 2.5, 10),
        null,
        lv("CD25", 4.4, 0.25),
        lv("CD127", 1.3, 0.2),
        lv("FOXP3", 4.0, 0.25),
        lv("Helios", 3.8, 0.25),
        lv("CCR7", 2.9, 0.4),
        lv("CD27", 3.3, 0.3),
        lv("CD38", 1.8, 0.5));
    for (String sub : List.of(ATREG, RTREG)) {
      if (sub.equals(ATREG)) {
        b.node(ATREG, pct(70, 10, 30, 95), null, lv("CD45RA", 0.8, 0.4), lv("HLA-DR", 1.8, 0.8));
      } else {
        b.remainder(RTREG, null, lv("CD45RA", 4.3, 0.25), lv("CCR7", 3.4, 0.3));
      }
      b.node(sub + "/Helios+", shared(80, 7, 50, 95, "Treg/*/Helios+"), null);
      b.node(
          sub + "/FOXP3-",
          shared(10, 3, 2, 25, "Treg/*/FOXP3-"),
          null,
          lv("FOXP3", 0.8, 0.4),
          lv("Helios", 0.7, 0.4),
          lv("CD25", 4.1, 0.25));
      b.remainder(sub + "/Helios-", null, lv("Helios", 0.7, 0.4));
    }
    b.remainder(
        TCONV,
        null,
        lv("CD25", 1.5, 0.55),
        lv("CD127", 3.5, 0.15),
        lv("FOXP3", 0.6, 0.45),
        lv("Helios", 0.7, 0.5));
    // Memory subsets [TRIAL: 42/30/22/6 ± 12/8/8/4]; activation (HLA-DR+ or CD38hi, 4 ± 2 % of
    // Tconv) spread over subsets [A] with one deviate per patient.
    b.remainder(
        TCONV + "/naive",
        null,
        lv("CD45RA", 4.7, 0.22),
        lv("CCR7", 3.8, 0.2),
        lv("CD27", 3.7, 0.25),
        lv("CD38", 2.9, 0.35),
        lv("CD25", 1.0, 0.5));
    b.node(
        TCONV + "/CM",
        pct(30, 8, 5, 70),
        null,
        lv("CD45RA", 0.8, 0.4),
        lv("CCR7", 3.8, 0.2),
        lv("CD27", 3.6, 0.3));
    b.node(
        TCONV + "/EM",
        pct(22, 8, 3, 60),
        null,
        lv("CD45RA", 0.8, 0.4),
        lv("CCR7", 0.4, 0.35),
        lv("CD27", 2.6, 0.6));
    b.node(
        TCONV + "/TEMRA",
        pct(6, 4, 0.5, 30),
        null,
        lv("CD45RA", 4.5, 0.25),
        lv("CCR7", 0.4, 0.35),
        lv("CD27", 1.0, 0.6));
    double[][] cd4Act = {{1, 0.5}, {5, 2.5}, {9, 4}, {6, 3}};
    String[] subsets = {"naive", "CM", "EM", "TEMRA"};
    for (int i = 0; i < 4; i++) {
      activation(b, TCONV + "/" + subsets[i], cd4Act[i][0], cd4Act[i][1], "CD4act");
    }
    b.node(CD8, pct(30, 9, 10, 60), null, lv("CD8", 5.4, 0.22), lv("CD127", 3.0, 0.3));
    b.node(
        CD8 + "/naive",
        pct(35, 13, 5, 85),
        null,
        lv("CD45RA", 4.7, 0.22),
        lv("CCR7", 3.8, 0.2),
        lv("CD27", 3.7, 0.25),
        lv("CD38", 2.6, 0.35));
    b.node(
        CD8 + "/CM",
        pct(8, 4, 1, 30),
        null,
        lv("CD45RA", 0.8, 0.4),
        lv("CCR7", 3.8, 0.2),
        lv("CD27", 3.6, 0.3));
    b.node(
        CD8 + "/EM",
        pct(30, 10, 5, 70),
        null,
        lv("CD45RA", 0.8, 0.4),
        lv("CCR7", 0.4, 0.35),
        lv("CD27", 2.4, 0.7));
    b.node(
        CD8 + "/TEMRA",
        pct(27, 13, 2, 75),
        null,
        lv("CD45RA", 4.5, 0.25),
        lv("CCR7", 0.4, 0.35),
        lv("CD27", 1.0, 0.6),
        lv("CD127", 2.2, 0.4));
    double[][] cd8Act = {{2, 1}, {8, 4}, {12, 7}, {10, 6}};
    for (int i = 0; i < 4; i++) {
      activation(b, CD8 + "/" + subsets[i], cd8Act[i][0], cd8Act[i][1], "CD8act");
    }
    b.node(
        T + "/other",
        pct(8, 3, 1, 25),
        null,
        lv("CD4", 0.4, 0.5),
        lv("CD8", 0.4, 0.5),
        lv("CD56", 1.0, 0.8));

    b.node(
        B,
        pct(10, 4, 2, 30),
        new Scatter(52_000, 0.08, 13_000, 0.15),
        lv("CD19", 5.0, 0.2),
        lv("HLA-DR", 5.0, 0.25),
        lv("CD45RA", 4.8, 0.25),
        lv("CD27", 2.0, 1.0),
        lv("CD38", 3.4, 0.5),
        lv("CCR7", 3.3, 0.35),
        lv("CD25", 0.9, 0.6));
    b.node(
        NK,
        pct(12, 5, 2, 35),
        new Scatter(58_000, 0.08, 18_000, 0.15),
        lv("CD45RA", 4.5, 0.3),
        lv("CD38", 3.9, 0.3),
        lv("CD8", 2.0, 1.0),
        lv("CD127", 0.7, 0.5));
    b.node(
        NK + "/CD56bright",
        pct(6, 3, 1, 25),
        null,
        lv("CD56", 5.3, 0.15),
        lv("CD16", 1.0, 0.5),
        lv("CD25", 2.3, 0.5),
        lv("CD27", 3.2, 0.4),
        lv("CD127", 2.0, 0.5),
        lv("CCR7", 2.0, 0.5));
    b.remainder(
        NK + "/CD56dim", null, lv("CD56", 3.5, 0.2), lv("CD16", 4.8, 0.3), lv("CD27", 1.0, 0.6));
    b.node(
        LYMPHOCYTES + "/other",
        pct(8, 3, 1, 25),
        null,
        lv("CD127", 3.3, 0.2),
        lv("CD38", 1.4, 0.3));

    b.node(
        MONOCYTES,
        pct(7, 2, 2, 20),
        new Scatter(100_000, 0.08, 45_000, 0.15),
        lv("CD45", 5.2, 0.18),
        lv("CD4", 3.3, 0.3),
        lv("HLA-DR", 4.6, 0.3),
        lv("CD38", 3.4, 0.35),
        lv("CD45RA", 1.0, 0.4));
    b.remainder(MONOCYTES + "/classical", null, lv("CD14", 5.3, 0.18), lv("CD16", 0.8, 0.4));
    b.node(
        MONOCYTES + "/intermediate",
        pct(5, 2, 1, 20),
        null,
        lv("CD14", 4.8, 0.18),
        lv("CD16", 3.8, 0.25),
        lv("HLA-DR", 5.2, 0.25));
    b.node(
        MONOCYTES + "/nonclassical",
        pct(10, 4, 2, 30),
        null,
        lv("CD14", 2.9, 0.2),
        lv("CD16", 4.6, 0.3),
        lv("HLA-DR", 4.4, 0.3));
    Level autofluorescent = new Level(0.5, 0.5);
    List<MarkerLevel> granulocyte = new ArrayList<>();
    for (String m : MARKERS) {
      granulocyte.add(new MarkerLevel(m, autofluorescent));
    }
    b.node(
        EOSINOPHILS,
        pct(2.5, 1.5, 0.3, 15),
        new Scatter(105_000, 0.08, 150_000, 0.12),
        concat(
            granulocyte, lv("CD45", 5.0, 0.18), lv("Viability", 0.15, 0.45), lv("CD38", 1.2, 0.5)));
    b.remainder(
        NEUTROPHILS,
        new Scatter(110_000, 0.08, 115_000, 0.15),
        concat(
            granulocyte,
            lv("CD45", 4.7, 0.18),
            lv("Viability", 0.15, 0.45),
            lv("CD16", 5.3, 0.25),
            lv("CD14", 2.0, 0.4),
            lv("CD38", 2.0, 0.5)));
    // Basophil-like: HLA-DR- CD38hi, no lineage marker of the panels.
    b.node(
        LEUKOCYTES + "/other",
        pct(3.5, 1, 1, 8),
        new Scatter(85_000, 0.08, 28_000, 0.2),
        lv("CD45", 4.9, 0.2),
        lv("CD38", 4.0, 0.3));
    TREE = b.preOrder();
    Map<String, Population> byPath = new LinkedHashMap<>();
    for (Population p : TREE) {
      byPath.put(p.path(), p);
    }
    BY_PATH = Collections.unmodifiableMap(byPath);
  }

  private static void activation(Builder b, String subset, double mean, double sd, String zKey) {
    b.node(
        subset + "/activated",
        new Share(mean, sd, 0.1, 50, null, zKey),
        new Scatter(60_000, 0.08, 16_000, 0.15),
        lv("HLA-DR", 4.0, 0.25),
        lv("CD38", 4.3, 0.3),
        lv("CD25", 2.6, 0.4));
    b.remainder(subset + "/resting", null);
  }

  // ---------------------------------------------------------------------------------------------
  // Panels (TRIAL.md panel table) and the populations their markers cannot resolve.
  // ---------------------------------------------------------------------------------------------

  private static final Merge NON_T = new Merge(LYMPHOCYTES, List.of("B", "NK", "other"), "nonT");
  private static final Merge GRANULOCYTES =
      new Merge(LEUKOCYTES, List.of("eosinophils", "neutrophils"), "granulocytes");

  public static final Panel P1 =
      new Panel(
          "P1",
          "TREG",
          List.of(
              "CD45RA",
              "CD25",
              "HLA-DR",
              "CD4",
              "CD127",
              "FOXP3",
              "Viability",
              "Helios",
              "CD3",
              "CD8"),
          1,
          List.of(TCONV, CD8, MONOCYTES),
          List.of(NON_T, GRANULOCYTES));
  public static final Panel P2 =
      new Panel(
          "P2",
          "TCELL",
          List.of(
              "CD45RA",
              "CCR7",
              "CD38",
              "CD4",
              "CD25",
              "HLA-DR",
              "Viability",
              "CD127",
              "CD3",
              "CD8"),
          2,
          List.of(TREG, MONOCYTES),
          List.of(NON_T, GRANULOCYTES));
  public static final Panel P3 =
      new Panel(
          "P3",
          "BNKM",
          List.of(
              "CD16", "CD56", "CD19", "CD45", "CD14", "CD3", "Viability", "HLA-DR", "CD27", "CD38"),
          2,
          List.of(T),
          List.of());
  public static final List<Panel> PANELS = List.of(P1, P2, P3);

  /** Populations of TRIAL.md's table that cut across the label tree. */
  public static final List<Derived> DERIVED =
      List.of(
          new Derived("P1", TREG + "/Helios+", TREG, "Helios+", true),
          new Derived("P1", TREG + "/FOXP3+", TREG, "FOXP3-", false),
          new Derived("P2", TCONV + "/activated", TCONV, "activated", true),
          new Derived("P2", CD8 + "/activated", CD8, "activated", true));

  /** The panel with this id (case-insensitive), or null. */
  public static Panel panel(String id) {
    for (Panel p : PANELS) {
      if (p.id().equalsIgnoreCase(id.trim())) {
        return p;
      }
    }
    return null;
  }

  public static List<String> panelIds() {
    return PANELS.stream().map(Panel::id).toList();
  }

  /** The biological tree in pre-order; index 0 is the root (all events, empty path). */
  public static List<Population> tree() {
    return TREE;
  }

  /** The node at {@code path}, or null. */
  public static Population population(String path) {
    return BY_PATH.get(path);
  }

  /** Indices of the children of node {@code index}, in order. */
  public static List<Integer> children(int index) {
    List<Integer> c = new ArrayList<>();
    for (Population p : TREE) {
      if (p.parent() == index) {
        c.add(p.index());
      }
    }
    return c;
  }

  /** Whether the node has no children. */
  public static boolean isLeaf(int index) {
    for (Population p : TREE) {
      if (p.parent() == index) {
        return false;
      }
    }
    return true;
  }

  /** The node's phenotype for every marker of {@link #MARKERS}, inherited down the tree. */
  public static Level[] phenotype(int index) {
    Level[] out = new Level[MARKERS.size()];
    List<Population> chain = new ArrayList<>();
    for (int i = index; i >= 0; i = TREE.get(i).parent()) {
      chain.add(0, TREE.get(i));
    }
    for (Population p : chain) {
      p.phenotype().forEach((m, l) -> out[MARKERS.indexOf(m)] = l);
    }
    return out;
  }

  /** The nearest scatter position up the tree, or null (debris has its own; root none). */
  public static Scatter scatter(int index) {
    for (int i = index; i >= 0; i = TREE.get(i).parent()) {
      if (TREE.get(i).scatter() != null) {
        return TREE.get(i).scatter();
      }
    }
    return null;
  }

  /**
   * A panel's view of the tree: its labels (the slash paths an event can carry, plus all their
   * ancestors, in pre-order) and, for each finest population, the label index of the panel leaf
   * it falls in.
   */
  public static final class PanelTree {
    private final Panel panel;
    private final List<String> labels;
    private final int[] parent;
    private final boolean[] leaf;
    private final int[] labelOfNode;

    private PanelTree(Panel panel) {
      this.panel = panel;
      List<String> names = new ArrayList<>();
      labelOfNode = new int[TREE.size()];
      Arrays.fill(labelOfNode, -1);
      for (Population p : TREE) {
        if (p.index() == 0) {
          continue;
        }
        String label = labelPath(panel, p.path());
        int at = names.indexOf(label);
        if (at < 0) {
          names.add(label);
          at = names.size() - 1;
        }
        labelOfNode[p.index()] = at;
      }
      labels = List.copyOf(names);
      parent = new int[labels.size()];
      leaf = new boolean[labels.size()];
      Arrays.fill(leaf, true);
      for (int i = 0; i < labels.size(); i++) {
        String l = labels.get(i);
        int slash = l.lastIndexOf('/');
        parent[i] = slash < 0 ? -1 : labels.indexOf(l.substring(0, slash));
        if (parent[i] >= 0) {
          leaf[parent[i]] = false;
        }
      }
    }

    public Panel panel() {
      return panel;
    }

    /** Every population of this panel as a slash path, parents before children. */
    public List<String> labels() {
      return labels;
    }

    /** Parent label index, -1 for the top-level {@code debris} and {@code cells}. */
    public int parent(int label) {
      return parent[label];
    }

    public boolean isLeaf(int label) {
      return leaf[label];
    }

    /** Label index of a path, or -1. */
    public int indexOf(String path) {
      return labels.indexOf(path);
    }

    /** The panel label of an event drawn from biological node {@code node}. */
    public int labelOf(int node) {
      return labelOfNode[node];
    }

    /** Whether label {@code label} lies in (or is) the population {@code ancestor}. */
    public boolean within(int label, int ancestor) {
      for (int i = label; i >= 0; i = parent[i]) {
        if (i == ancestor) {
          return true;
        }
      }
      return false;
    }
  }

  private static final Map<String, PanelTree> TREES = new LinkedHashMap<>();

  static {
    for (Panel p : PANELS) {
      TREES.put(p.id(), new PanelTree(p));
    }
  }

  /** The label tree of a panel. */
  public static PanelTree treeOf(Panel panel) {
    return TREES.get(panel.id());
  }

  /** The label an event of biological population {@code path} carries in {@code panel}. */
  static String labelPath(Panel panel, String path) {
    for (String c : panel.collapse()) {
      if (path.equals(c) || path.startsWith(c + "/")) {
        return c;
      }
    }
    for (Merge m : panel.merges()) {
      for (String child : m.children()) {
        String full = m.parent() + "/" + child;
        if (path.equals(full) || path.startsWith(full + "/")) {
          return m.parent() + "/" + m.name();
        }
      }
    }
    return path;
  }

  // ---------------------------------------------------------------------------------------------

  private static Share pct(double mean, double sd, double min, double max) {
    return new Share(mean, sd, min, max, null, null);
  }

  private static Share shared(double mean, double sd, double min, double max, String key) {
    return new Share(mean, sd, min, max, key, null);
  }

  /** One marker's level in a node definition. */
  private record MarkerLevel(String marker, Level level) {}

  private static MarkerLevel lv(String marker, double mean, double sd) {
    if (!MARKERS.contains(marker)) {
      throw new IllegalArgumentException("Cannot define phenotype: unknown marker " + marker);
    }
    return new MarkerLevel(marker, new Level(mean, sd));
  }

  private static MarkerLevel[] concat(List<MarkerLevel> first, MarkerLevel... more) {
    List<MarkerLevel> all = new ArrayList<>(first);
    all.addAll(Arrays.asList(more));
    return all.toArray(new MarkerLevel[0]);
  }

  private static final class Builder {
    final List<Population> nodes = new ArrayList<>();

    void node(String path, Share share, Scatter scatter, MarkerLevel... levels) {
      add(path, share, null, toMap(levels), scatter);
    }

    void remainder(String path) {
      add(path, null, null, Map.of(), null);
    }

    void remainder(String path, Scatter scatter, MarkerLevel... levels) {
      add(path, null, null, toMap(levels), scatter);
    }

    void perFile(String path, double min, double max, Scatter scatter, MarkerLevel... levels) {
      add(path, null, new PerFile(min, max), toMap(levels), scatter);
    }

    void add(
        String path, Share share, PerFile perFile, Map<String, Level> levels, Scatter scatter) {
      int parent = -1;
      if (!path.isEmpty()) {
        int slash = path.lastIndexOf('/');
        String parentPath = slash < 0 ? "" : path.substring(0, slash);
        for (Population p : nodes) {
          if (p.path().equals(parentPath)) {
            parent = p.index();
          }
        }
        if (parent < 0) {
          throw new IllegalStateException(
              "Cannot define population " + path + ": its parent is not defined before it");
        }
      }
      nodes.add(
          new Population(
              nodes.size(),
              path,
              parent,
              share,
              perFile,
              Collections.unmodifiableMap(new LinkedHashMap<>(levels)),
              scatter));
    }

    /** The nodes re-indexed in pre-order (each node followed by its subtree). */
    List<Population> preOrder() {
      List<Population> order = new ArrayList<>();
      visit(0, order);
      Map<Integer, Integer> index = new LinkedHashMap<>();
      for (int i = 0; i < order.size(); i++) {
        index.put(order.get(i).index(), i);
      }
      List<Population> out = new ArrayList<>();
      for (int i = 0; i < order.size(); i++) {
        Population p = order.get(i);
        out.add(
            new Population(
                i,
                p.path(),
                p.parent() < 0 ? -1 : index.get(p.parent()),
                p.share(),
                p.perFile(),
                p.phenotype(),
                p.scatter()));
      }
      return List.copyOf(out);
    }

    private void visit(int node, List<Population> order) {
      order.add(nodes.get(node));
      for (Population p : nodes) {
        if (p.parent() == node) {
          visit(p.index(), order);
        }
      }
    }

    private static Map<String, Level> toMap(MarkerLevel[] levels) {
      Map<String, Level> m = new LinkedHashMap<>();
      for (MarkerLevel l : levels) {
        m.put(l.marker(), l.level());
      }
      return m;
    }
  }

  /** A marker's index in {@link #MARKERS}. */
  static int marker(String name) {
    int i = MARKERS.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("unknown marker " + name + " (known: " + MARKERS + ")");
    }
    return i;
  }

  /** Upper-case panel id for messages. */
  static String norm(String id) {
    return id.toUpperCase(Locale.ROOT);
  }
}
