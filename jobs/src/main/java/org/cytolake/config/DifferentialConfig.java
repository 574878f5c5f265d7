package org.cytolake.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cytolake.stats.DfMethod;

/**
 * {@code conf/differential.yaml}, typed and validated: how {@code cytolake aggregate} tests every
 * feature's change from baseline in the {@code differential} table (the models are described in
 * {@code org.cytolake.differential.DifferentialAnalysis}). Optional: an absent file, or an absent
 * key, takes the default below. Keys, under {@code differential:}:
 *
 * <table>
 *   <caption>differential.yaml</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code primary}</td><td>P1 / Treg / pct_of_parent at D8, pooled</td><td>the one
 *       primary endpoint ({@code panel}, {@code feature}, {@code statistic}, {@code visit},
 *       {@code cohort}: a cohort code or the pooled-cohort code): tested alone, its own family,
 *       never adjusted nor screened by effect size; {@code none} for no primary endpoint. With
 *       the file absent, the default applies only when panels.yaml has P1 and visits.yaml D8</td></tr>
 *   <tr><td>{@code family-by}</td><td>[panel, visit]</td><td>what splits the exploratory rows
 *       into Benjamini-Hochberg families: any of panel, visit, cohort, kind</td></tr>
 *   <tr><td>{@code min-events}</td><td>50</td><td>a sample whose value rests on fewer events (the
 *       parent of a percentage, the denominator of a ratio, the population of a median or
 *       absolute count) is left out of the feature's model</td></tr>
 *   <tr><td>{@code min-patients}</td><td>2</td><td>a cohort × visit is tested only when at least
 *       this many of its patients have that visit and the baseline, after min-events</td></tr>
 *   <tr><td>{@code min-effect.ratio}</td><td>1.1</td><td>an odds ratio or fold change within
 *       [1 / this, this] is not tested (exploratory rows only); 1: no screen</td></tr>
 *   <tr><td>{@code min-effect.change}</td><td>0.1</td><td>a change of an intensity (transformed
 *       units) smaller than this in absolute value is not tested; 0: no screen</td></tr>
 *   <tr><td>{@code covariates}</td><td>none</td><td>patients columns added to every model's
 *       fixed effects: {@code age} (numeric), {@code sex}, {@code race}, {@code site_id},
 *       {@code arm} (factors)</td></tr>
 *   <tr><td>{@code models}</td><td>lmm for every kind</td><td>per feature kind (population,
 *       metacluster, ratio, absolute_count, marker_median): {@code lmm}; population and
 *       metacluster may instead use {@code binomial} or {@code negative-binomial} (count GLMs on
 *       the events)</td></tr>
 *   <tr><td>{@code lmm-df}</td><td>satterthwaite</td><td>degrees of freedom of the t reference of
 *       an lmm row's interval and p: {@code satterthwaite} (lmerTest's default; accounts for the
 *       uncertainty of the estimated variances) or {@code between-within} (SAS
 *       {@code DDFM=BETWITHIN}: a count of samples, patients and columns)</td></tr>
 * </table>
 *
 * <p>{@link #load} checks the whole file and reports every problem at once, each naming file and
 * key: YAML that does not parse, unknown keys, a primary endpoint whose panel, visit or cohort the
 * other files do not declare (or whose visit is the baseline), numbers of the wrong kind or range,
 * unknown family dimensions, covariates, models or df methods.
 *
 * @param file the file read (it need not exist)
 * @param primary the primary endpoint, or null for none
 * @param familyBy the dimensions of the exploratory families, in order
 * @param minEvents see the table
 * @param minPatients see the table
 * @param minEffectRatio see the table, ≥ 1
 * @param minEffectChange see the table, ≥ 0
 * @param covariates patients columns, in order
 * @param models kind → model; a kind not listed uses {@link Model#LMM}
 * @param lmmDf the degrees of freedom of lmm rows' t reference
 */
public record DifferentialConfig(
    Path file,
    Endpoint primary,
    List<String> familyBy,
    long minEvents,
    int minPatients,
    double minEffectRatio,
    double minEffectChange,
    List<String> covariates,
    Map<String, Model> models,
    DfMethod lmmDf) {

  /** The file, in the conf directory. */
  public static final String FILE = "differential.yaml";

  /** The top-level key holding every other. */
  public static final String ROOT = "differential";

  public static final String PRIMARY = "primary";
  public static final String FAMILY_BY = "family-by";
  public static final List<String> FAMILY_BY_DEFAULT = List.of("panel", "visit");
  public static final String MIN_EVENTS = "min-events";
  public static final long MIN_EVENTS_DEFAULT = 50;
  public static final String MIN_PATIENTS = "min-patients";
  public static final int MIN_PATIENTS_DEFAULT = 2;
  public static final String MIN_EFFECT = "min-effect";
  public static final String MIN_EFFECT_RATIO = "ratio";
  public static final double MIN_EFFECT_RATIO_DEFAULT = 1.1;
  public static final String MIN_EFFECT_CHANGE = "change";
  public static final double MIN_EFFECT_CHANGE_DEFAULT = 0.1;
  public static final String COVARIATES = "covariates";
  public static final String MODELS = "models";
  public static final String LMM_DF = "lmm-df";
  public static final DfMethod LMM_DF_DEFAULT = DfMethod.SATTERTHWAITE;

  /** The dimensions {@code family-by} may name. */
  public static final List<String> FAMILY_DIMENSIONS = List.of("panel", "visit", "cohort", "kind");

  /** The feature kinds of {@code immunophenotype.kind}. */
  public static final List<String> KINDS =
      List.of("population", "metacluster", "ratio", "absolute_count", "marker_median");

  /** Kinds whose values are shares of counted events, which a count GLM can model. */
  public static final List<String> COUNTED_KINDS = List.of("population", "metacluster");

  /** Covariates: patients column → numeric (true) or factor (false). */
  public static final Map<String, Boolean> COVARIATE_COLUMNS =
      orderedMap("age", true, "sex", false, "race", false, "site_id", false, "arm", false);

  /** The reference trial's primary endpoint: Treg % of CD4 (P1) at D8 against D1, pooled. */
  public static final String PRIMARY_PANEL_DEFAULT = "P1";

  public static final String PRIMARY_FEATURE_DEFAULT = "Treg";
  public static final String PRIMARY_STATISTIC_DEFAULT = "pct_of_parent";
  public static final String PRIMARY_VISIT_DEFAULT = "D8";

  private static final List<String> KEYS =
      List.of(PRIMARY, FAMILY_BY, MIN_EVENTS, MIN_PATIENTS, MIN_EFFECT, COVARIATES, MODELS, LMM_DF);
  private static final List<String> ENDPOINT_KEYS =
      List.of("panel", "feature", "statistic", "visit", "cohort");

  /** How a feature's visit effects are estimated. */
  public enum Model {
    /** Linear mixed model (REML, random intercept per patient) on the transformed values. */
    LMM("lmm"),
    /** Binomial GLM (logit) of the events out of the parent's, patient as a fixed effect. */
    BINOMIAL("binomial"),
    /** NB2 GLM (log) of the events, offset log(parent events), patient as a fixed effect. */
    NEGATIVE_BINOMIAL("negative-binomial");

    private final String label;

    Model(String label) {
      this.label = label;
    }

    /** The name in the file and in {@code differential.model}. */
    public String label() {
      return label;
    }

    static Model parse(String s) {
      for (Model m : values()) {
        if (m.label.equals(s)) {
          return m;
        }
      }
      return null;
    }
  }

  /**
   * A declared endpoint: one feature at one visit against baseline in one cohort (or pooled).
   *
   * @param cohort a cohort code, or the pooled-cohort code for the pooled estimate
   */
  public record Endpoint(
      String panel, String feature, String statistic, String visit, String cohort) {
    /** Whether this endpoint is the given row. */
    public boolean matches(
        String panel, String feature, String statistic, String visit, String cohort) {
      return this.panel.equals(panel)
          && this.feature.equals(feature)
          && this.statistic.equals(statistic)
          && this.visit.equals(visit)
          && this.cohort.equals(cohort);
    }

    @Override
    public String toString() {
      return panel + " " + feature + " " + statistic + " at " + visit + " in " + cohort;
    }
  }

  public DifferentialConfig {
    familyBy = List.copyOf(familyBy);
    covariates = List.copyOf(covariates);
    models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
  }

  /** The model of a feature kind. */
  public Model model(String kind) {
    return models.getOrDefault(kind, Model.LMM);
  }

  /**
   * Every default: what {@link #load} returns for a conf directory without the file whose panels
   * and visits have the reference primary endpoint's.
   */
  public static DifferentialConfig defaults(Path file, String pooled) {
    return new DifferentialConfig(
        file,
        new Endpoint(
            PRIMARY_PANEL_DEFAULT,
            PRIMARY_FEATURE_DEFAULT,
            PRIMARY_STATISTIC_DEFAULT,
            PRIMARY_VISIT_DEFAULT,
            pooled),
        FAMILY_BY_DEFAULT,
        MIN_EVENTS_DEFAULT,
        MIN_PATIENTS_DEFAULT,
        MIN_EFFECT_RATIO_DEFAULT,
        MIN_EFFECT_CHANGE_DEFAULT,
        List.of(),
        Map.of(),
        LMM_DF_DEFAULT);
  }

  /**
   * Reads and checks {@code differential.yaml} of {@code config}'s directory (absent: the
   * {@link #defaults}, without a primary endpoint when panels.yaml or visits.yaml lack its panel
   * or visit).
   *
   * @param cohorts the cohort codes of cohorts.yaml (empty: every disease is a cohort, any code
   *     is accepted)
   * @param pooled the pooled-cohort code of cohorts.yaml
   * @throws ConfigException listing every problem, each naming the file and key
   */
  public static DifferentialConfig load(
      CytolakeConfig config, Collection<String> cohorts, String pooled) {
    Path file = config.dir().resolve(FILE);
    List<String> problems = new ArrayList<>();
    JsonNode c = JsonNodeFactory.instance.objectNode();
    boolean present = Files.exists(file);
    if (present) {
      JsonNode root = CytolakeConfig.readMapping(file, problems);
      if (root != null) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
          String k = it.next();
          if (!k.equals(ROOT)) {
            problems.add(file + ": " + k + ": unknown key (the file holds '" + ROOT + ":')");
          }
        }
        c = root.path(ROOT);
        if (!c.isObject()) {
          problems.add(file + ": " + ROOT + ": must be a mapping");
          c = JsonNodeFactory.instance.objectNode();
        }
      }
    }
    String where = file + ": " + ROOT + ".";
    for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        problems.add(where + k + ": unknown key (known: " + KEYS + ")");
      }
    }

    Endpoint primary = primary(c.get(PRIMARY), present, config, cohorts, pooled, where, problems);

    List<String> familyBy = FAMILY_BY_DEFAULT;
    JsonNode fb = c.get(FAMILY_BY);
    if (fb != null && !fb.isNull()) {
      List<String> list = new ArrayList<>();
      if (!fb.isArray()) {
        problems.add(where + FAMILY_BY + ": must list dimensions among " + FAMILY_DIMENSIONS);
      } else {
        for (JsonNode d : fb) {
          String s = d.asText();
          if (!FAMILY_DIMENSIONS.contains(s)) {
            problems.add(where + FAMILY_BY + ": '" + s + "' is not one of " + FAMILY_DIMENSIONS);
          } else if (list.contains(s)) {
            problems.add(where + FAMILY_BY + ": '" + s + "' is listed twice");
          } else {
            list.add(s);
          }
        }
      }
      familyBy = list;
    }

    long minEvents = YamlValues.whole(c, MIN_EVENTS, MIN_EVENTS_DEFAULT, false, where, problems);
    if (minEvents < 0) {
      problems.add(where + MIN_EVENTS + ": " + minEvents + " is negative (0: no minimum)");
    }
    long minPatients =
        YamlValues.whole(c, MIN_PATIENTS, MIN_PATIENTS_DEFAULT, false, where, problems);
    if (minPatients < 1 || minPatients > Integer.MAX_VALUE) {
      problems.add(where + MIN_PATIENTS + ": " + minPatients + " is not a whole number >= 1");
    }

    double ratio = MIN_EFFECT_RATIO_DEFAULT;
    double change = MIN_EFFECT_CHANGE_DEFAULT;
    JsonNode me = c.get(MIN_EFFECT);
    if (me != null && !me.isNull()) {
      String meWhere = where + MIN_EFFECT + ".";
      if (!me.isObject()) {
        problems.add(where + MIN_EFFECT + ": must map 'ratio' and 'change' to numbers");
      } else {
        for (Iterator<String> it = me.fieldNames(); it.hasNext(); ) {
          String k = it.next();
          if (!List.of(MIN_EFFECT_RATIO, MIN_EFFECT_CHANGE).contains(k)) {
            problems.add(meWhere + k + ": unknown key (known: [ratio, change])");
          }
        }
        ratio = YamlValues.number(me, MIN_EFFECT_RATIO, ratio, meWhere, problems);
        change = YamlValues.number(me, MIN_EFFECT_CHANGE, change, meWhere, problems);
        if (!(ratio >= 1) || Double.isInfinite(ratio)) {
          problems.add(
              meWhere
                  + MIN_EFFECT_RATIO
                  + ": "
                  + ratio
                  + " is not a finite number >= 1 (1: no screen)");
        }
        if (!(change >= 0) || Double.isInfinite(change)) {
          problems.add(
              meWhere
                  + MIN_EFFECT_CHANGE
                  + ": "
                  + change
                  + " is not a finite number >= 0 (0: no screen)");
        }
      }
    }

    List<String> covariates = new ArrayList<>();
    JsonNode cv = c.get(COVARIATES);
    if (cv != null && !cv.isNull()) {
      if (!cv.isArray()) {
        problems.add(
            where
                + COVARIATES
                + ": must list patients columns among "
                + COVARIATE_COLUMNS.keySet());
      } else {
        for (JsonNode x : cv) {
          String s = x.asText();
          if (!COVARIATE_COLUMNS.containsKey(s)) {
            problems.add(
                where + COVARIATES + ": '" + s + "' is not one of " + COVARIATE_COLUMNS.keySet());
          } else if (covariates.contains(s)) {
            problems.add(where + COVARIATES + ": '" + s + "' is listed twice");
          } else {
            covariates.add(s);
          }
        }
      }
    }

    Map<String, Model> models = new LinkedHashMap<>();
    JsonNode md = c.get(MODELS);
    if (md != null && !md.isNull()) {
      if (!md.isObject()) {
        problems.add(where + MODELS + ": must map feature kinds " + KINDS + " to models");
      } else {
        md.fields()
            .forEachRemaining(
                e -> {
                  String k = where + MODELS + "." + e.getKey();
                  Model m = Model.parse(e.getValue().asText().toLowerCase(Locale.ROOT));
                  if (!KINDS.contains(e.getKey())) {
                    problems.add(k + ": '" + e.getKey() + "' is not a feature kind " + KINDS);
                  } else if (m == null) {
                    problems.add(
                        k
                            + ": '"
                            + e.getValue().asText()
                            + "' is not a model (lmm, binomial, negative-binomial)");
                  } else if (m != Model.LMM && !COUNTED_KINDS.contains(e.getKey())) {
                    problems.add(
                        k
                            + ": "
                            + m.label()
                            + " models counted events, which only "
                            + COUNTED_KINDS
                            + " have; use lmm");
                  } else {
                    models.put(e.getKey(), m);
                  }
                });
      }
    }
    DfMethod lmmDf = LMM_DF_DEFAULT;
    JsonNode df = c.get(LMM_DF);
    if (df != null && !df.isNull()) {
      lmmDf = df.isValueNode() ? DfMethod.parse(df.asText().trim().toLowerCase(Locale.ROOT)) : null;
      if (lmmDf == null) {
        problems.add(
            where
                + LMM_DF
                + ": '"
                + (df.isValueNode() ? df.asText() : df.toString())
                + "' is not a df method ("
                + DfMethod.SATTERTHWAITE.label()
                + ", "
                + DfMethod.BETWEEN_WITHIN.label()
                + ")");
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new DifferentialConfig(
        file,
        primary,
        familyBy,
        minEvents,
        (int) minPatients,
        ratio,
        change,
        covariates,
        models,
        lmmDf);
  }

  private static Endpoint primary(
      JsonNode p,
      boolean present,
      CytolakeConfig config,
      Collection<String> cohorts,
      String pooled,
      String where,
      List<String> problems) {
    String key = where + PRIMARY;
    if (p == null || p.isNull()) {
      Endpoint d =
          new Endpoint(
              PRIMARY_PANEL_DEFAULT,
              PRIMARY_FEATURE_DEFAULT,
              PRIMARY_STATISTIC_DEFAULT,
              PRIMARY_VISIT_DEFAULT,
              pooled);
      boolean fits =
          config.panels().containsKey(d.panel())
              && config.visits().find(d.visit()).isPresent()
              && !d.visit().equals(config.visits().baseline());
      if (fits) {
        return d;
      }
      if (present) {
        problems.add(
            key
                + ": missing, and the default ("
                + d
                + ") does not fit panels.yaml "
                + config.panels().keySet()
                + " and visits.yaml "
                + config.visits().codes()
                + ": declare the primary endpoint, or 'none'");
      }
      return null;
    }
    if (p.isValueNode() && p.asText().equals("none")) {
      return null;
    }
    if (!p.isObject()) {
      problems.add(key + ": must map " + ENDPOINT_KEYS + ", or be 'none'");
      return null;
    }
    for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!ENDPOINT_KEYS.contains(k)) {
        problems.add(key + "." + k + ": unknown key (known: " + ENDPOINT_KEYS + ")");
      }
    }
    String panel = text(p, "panel", PRIMARY_PANEL_DEFAULT);
    String feature = text(p, "feature", PRIMARY_FEATURE_DEFAULT);
    String statistic = text(p, "statistic", PRIMARY_STATISTIC_DEFAULT);
    String visit = text(p, "visit", PRIMARY_VISIT_DEFAULT);
    String cohort = text(p, "cohort", pooled);
    if (!config.panels().containsKey(panel)) {
      problems.add(
          key + ".panel: '" + panel + "' is not in panels.yaml " + config.panels().keySet());
    }
    if (config.visits().find(visit).isEmpty()) {
      problems.add(
          key + ".visit: '" + visit + "' is not in visits.yaml " + config.visits().codes());
    } else if (visit.equals(config.visits().baseline())) {
      problems.add(
          key
              + ".visit: '"
              + visit
              + "' is the baseline, which an effect is measured"
              + " against");
    }
    if (feature.isBlank() || statistic.isBlank()) {
      problems.add(key + ": feature and statistic must not be blank");
    }
    if (!cohort.equals(pooled) && !cohorts.isEmpty() && !cohorts.contains(cohort)) {
      problems.add(
          key
              + ".cohort: '"
              + cohort
              + "' is neither the pooled cohort '"
              + pooled
              + "' nor a cohort of cohorts.yaml "
              + cohorts);
    }
    return new Endpoint(panel, feature, statistic, visit, cohort);
  }

  private static String text(JsonNode p, String key, String dflt) {
    JsonNode v = p.get(key);
    return v == null || v.isNull() ? dflt : v.asText().trim();
  }

  private static Map<String, Boolean> orderedMap(Object... kv) {
    Map<String, Boolean> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Boolean) kv[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }
}
