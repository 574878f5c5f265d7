package org.cytolake.generate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ld-IL2 effects of TRIAL.md section 3: the fold change vs D1 of each feature per visit group
 * (geometric mean and log-SD), which populations and intensities each moves, and the features
 * reported in {@code truth/effects.csv}.
 *
 * <p>For a patient at a visit, log FC = log(GM) · r · m + ε. r ~ logN(0, 0.25) is the patient's
 * responder factor and scales the Treg effects only; m ~ U(0.85, 1.15) is a per-cohort disease
 * multiplier on every IL-2-driven effect; ε ~ N(0, s) with s the table's log-SD less the part r
 * already explains, and never below the 8% visit noise. Every patient's D8 Treg % of CD4 fold
 * change is kept above 1.15 (ε is redrawn). 5% of patients have 2-4× eosinophils at D5/D8.
 * Shares no effect names get the 8% visit noise only.
 *
 * <p>The fold-change table itself is data: {@code effects.txt} beside this class (resources), one
 * row an {@link Effect}, read once into the constants below.
 */
public final class EffectModel {
  private EffectModel() {}

  /** Columns of the fold-change table; BASELINE is D1 (fold change 1 by definition). */
  public enum Group {
    BASELINE,
    D5,
    D8,
    D15,
    M1_M2,
    M3_M6,
    FU
  }

  /** SD of the log of the patient responder factor r. */
  public static final double RESPONDER_LOG_SD = 0.25;

  /** Disease multiplier range. */
  public static final double DISEASE_MIN = 0.85;

  public static final double DISEASE_MAX = 1.15;

  /** Visit-to-visit noise (log-SD) of every share and effect. */
  public static final double VISIT_NOISE = 0.08;

  /** Lowest D8/D1 Treg % of CD4 fold change of any patient. */
  public static final double MIN_D8_TREG_FOLD = 1.15;

  /** Share of patients with a 2-4× eosinophil rise at D5/D8. */
  public static final double EOSINOPHIL_OUTLIERS = 0.05;

  /**
   * One row of the fold-change table.
   *
   * @param gm geometric-mean fold change per group (BASELINE first, always 1)
   * @param logSd log-SD per group (the visit noise where TRIAL.md gives none)
   * @param treg scaled by the responder factor r
   * @param il2 scaled by the disease multiplier
   */
  public record Effect(
      String id, String description, double[] gm, double[] logSd, boolean treg, boolean il2) {
    public double gm(Group g) {
      return gm[g.ordinal()];
    }

    public double logSd(Group g) {
      return logSd[g.ordinal()];
    }
  }

  /**
   * The rows of the table, by id, in table order: {@code effects.txt} beside this class (one row
   * an effect; its header comments give the columns).
   */
  private static final Map<String, Effect> TABLE = readTable();

  public static final Effect TREG_PCT = effect("treg_pct");
  public static final Effect CD25_TREG = effect("cd25_treg");
  public static final Effect FOXP3_TREG = effect("foxp3_treg");
  public static final Effect ATREG = effect("atreg_share");
  public static final Effect HELIOS = effect("helios_share");
  public static final Effect NONE = effect("none");
  public static final Effect CD25_TCONV = effect("cd25_tconv");
  public static final Effect ACT_CD4 = effect("act_cd4");
  public static final Effect ACT_CD8 = effect("act_cd8");
  public static final Effect NK_BRIGHT = effect("nk_bright");
  public static final Effect EOS = effect("eos");

  /** Effects drawn per patient and visit, in draw order. */
  public static final List<Effect> EFFECTS =
      List.of(
          TREG_PCT,
          CD25_TREG,
          FOXP3_TREG,
          ATREG,
          HELIOS,
          CD25_TCONV,
          ACT_CD4,
          ACT_CD8,
          NK_BRIGHT,
          EOS);

  /** The effect that moves a share key (or activation group), or null for visit noise only. */
  static Effect shareEffect(PanelModel.Population p) {
    if (p.path().equals(PanelModel.TREG)) {
      return TREG_PCT;
    }
    if (p.path().equals(PanelModel.ATREG)) {
      return ATREG;
    }
    if ("Treg/*/Helios+".equals(p.shareKey())) {
      return HELIOS;
    }
    if (p.share() != null && "CD4act".equals(p.share().zKey())) {
      return ACT_CD4;
    }
    if (p.share() != null && "CD8act".equals(p.share().zKey())) {
      return ACT_CD8;
    }
    if (p.path().equals(PanelModel.NK + "/CD56bright")) {
      return NK_BRIGHT;
    }
    if (p.path().equals(PanelModel.EOSINOPHILS)) {
      return EOS;
    }
    return null;
  }

  /** An intensity effect: the marker's linear signal on every population under {@code root}. */
  public record IntensityEffect(Effect effect, String root, String marker) {}

  public static final List<IntensityEffect> INTENSITIES =
      List.of(
          new IntensityEffect(CD25_TREG, PanelModel.TREG, "CD25"),
          new IntensityEffect(FOXP3_TREG, PanelModel.TREG, "FOXP3"),
          new IntensityEffect(CD25_TCONV, PanelModel.TCONV, "CD25"));

  /**
   * A row of {@code truth/effects.csv}: a statistic of a population of one panel.
   *
   * @param population a label path of the panel, or a {@link PanelModel.Derived} path
   * @param statistic {@code pct_of_parent} or {@code median_<marker>} (linear, the stained signal
   *     before instrument gain, spillover and detector noise)
   * @param effect the table row it follows
   * @param parent for pct_of_parent: the population it is a % of
   */
  public record Feature(
      String panel, String population, String parent, String statistic, Effect effect) {
    public boolean isMedian() {
      return statistic.startsWith("median_");
    }

    public String marker() {
      return isMedian() ? statistic.substring("median_".length()) : null;
    }

    /**
     * The fold change the generator aims for at a visit group: the table's GM; for Tconv % of
     * CD4, which is 100 − Treg %, the value implied at TRIAL.md's mean Treg share.
     */
    public double intended(Group g) {
      if (population.equals(PanelModel.TCONV) && !isMedian()) {
        double treg = 0.055;
        return (1 - treg * TREG_PCT.gm(g)) / (1 - treg);
      }
      return effect.gm(g);
    }
  }

  public static final String PCT = "pct_of_parent";

  /** The features of {@code truth/effects.csv}, in output order. */
  public static final List<Feature> FEATURES;

  static {
    List<Feature> f = new ArrayList<>();
    f.add(new Feature("P1", PanelModel.TREG, PanelModel.CD4, PCT, TREG_PCT));
    f.add(new Feature("P1", PanelModel.TREG, null, "median_CD25", CD25_TREG));
    f.add(new Feature("P1", PanelModel.TREG, null, "median_FOXP3", FOXP3_TREG));
    f.add(new Feature("P1", PanelModel.ATREG, PanelModel.TREG, PCT, ATREG));
    f.add(new Feature("P1", PanelModel.TREG + "/Helios+", PanelModel.TREG, PCT, HELIOS));
    f.add(new Feature("P1", PanelModel.TCONV, PanelModel.CD4, PCT, NONE));
    f.add(new Feature("P1", PanelModel.TCONV, null, "median_CD25", CD25_TCONV));
    f.add(new Feature("P2", PanelModel.CD8, PanelModel.T, PCT, NONE));
    for (String s : List.of("naive", "CM", "EM", "TEMRA")) {
      f.add(new Feature("P2", PanelModel.TCONV + "/" + s, PanelModel.TCONV, PCT, NONE));
    }
    for (String s : List.of("naive", "CM", "EM", "TEMRA")) {
      f.add(new Feature("P2", PanelModel.CD8 + "/" + s, PanelModel.CD8, PCT, NONE));
    }
    f.add(new Feature("P2", PanelModel.TCONV + "/activated", PanelModel.TCONV, PCT, ACT_CD4));
    f.add(new Feature("P2", PanelModel.CD8 + "/activated", PanelModel.CD8, PCT, ACT_CD8));
    f.add(new Feature("P3", PanelModel.B, PanelModel.LYMPHOCYTES, PCT, NONE));
    f.add(new Feature("P3", PanelModel.MONOCYTES, PanelModel.LEUKOCYTES, PCT, NONE));
    f.add(new Feature("P3", PanelModel.NK + "/CD56bright", PanelModel.NK, PCT, NK_BRIGHT));
    f.add(new Feature("P3", PanelModel.EOSINOPHILS, PanelModel.LEUKOCYTES, PCT, EOS));
    FEATURES = List.copyOf(f);
  }

  private static Effect effect(String id) {
    Effect e = TABLE.get(id);
    if (e == null) {
      throw new IllegalStateException("effects.txt has no effect " + id);
    }
    return e;
  }

  private static Map<String, Effect> readTable() {
    Map<String, Effect> t = new LinkedHashMap<>();
    for (SpecTable.Row r :
        SpecTable.read("effects.txt", "id", "description", "gm", "log_sd", "treg", "il2")) {
      Effect e =
          new Effect(
              r.get(0),
              r.get(1),
              groups(r, 2, 1),
              groups(r, 3, 0),
              bool(r, r.get(4)),
              bool(r, r.get(5)));
      if (t.put(e.id(), e) != null) {
        throw r.error("effect " + e.id() + " defined twice");
      }
    }
    return Collections.unmodifiableMap(t);
  }

  /** A value per {@link Group}: {@code baseline}, then the row's six (N: the visit noise). */
  private static double[] groups(SpecTable.Row r, int column, double baseline) {
    List<String> w = r.words(column);
    if (w.size() != Group.values().length - 1) {
      throw r.error(w.size() + " values in column " + column + ", expected one per visit group");
    }
    double[] v = new double[Group.values().length];
    v[0] = baseline;
    for (int i = 0; i < w.size(); i++) {
      v[i + 1] = w.get(i).equals("N") ? VISIT_NOISE : Double.parseDouble(w.get(i));
    }
    return v;
  }

  private static boolean bool(SpecTable.Row r, String s) {
    if (!s.equals("true") && !s.equals("false")) {
      throw r.error("expected true or false, not " + s);
    }
    return Boolean.parseBoolean(s);
  }
}
