package org.cytolake.differential;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cytolake.aggregate.FeatureScale;
import org.cytolake.config.DifferentialConfig;
import org.cytolake.config.DifferentialConfig.Model;
import org.cytolake.config.VisitSchedule;
import org.cytolake.stats.BenjaminiHochberg;
import org.cytolake.stats.CountGlm;
import org.cytolake.stats.CountObservation;
import org.cytolake.stats.DesignSpec;
import org.cytolake.stats.DfMethod;
import org.cytolake.stats.Estimate;
import org.cytolake.stats.FixedEffects;
import org.cytolake.stats.GlmFit;
import org.cytolake.stats.LinearMixedModel;
import org.cytolake.stats.MixedModelFit;
import org.cytolake.stats.Observation;
import org.cytolake.stats.Quantiles;
import org.cytolake.stats.WilcoxonSignedRank;

/**
 * The rows of the {@code differential} table: for every feature, the effect of every visit
 * against baseline per cohort and pooled over cohorts, from one model over all cohorts and
 * visits, with its 95% interval, p-value and q-value within its testing family.
 *
 * <p><b>The model</b> ({@link DifferentialConfig#model(String)} per feature kind):
 * <ul>
 *   <li>{@code lmm} (the default): one {@link LinearMixedModel} per feature, REML, random
 *       intercept per patient, fixed effects {@code visit * cohort} (treatment coding, the
 *       baseline visit and the first cohort by name as references) plus the configured
 *       covariates, on the model scale of {@link EffectScale}: the empirical logit of a
 *       percentage, the log of a count or count ratio, an intensity as it is. The effect of visit
 *       v in cohort c is the contrast {@code visit[T.v] + visit[T.v]:cohort[T.c]}; the pooled
 *       effect is the equal-weight mean of the cohorts' effects (an emmeans-style marginal
 *       effect), over the cohorts with at least one patient with both visits and an estimable
 *       effect. Intervals and p are against Student's t with the degrees of freedom of {@code
 *       lmm-df} ({@link MixedModelFit#degreesOfFreedom}: Satterthwaite by default, n − p where
 *       the patient variance is 0, or between-within), each row saying which in {@code
 *       df_method}. Estimates and Wald 95% intervals are back-transformed: an odds ratio, a fold
 *       change, or a change in transformed units.
 *   <li>{@code binomial} / {@code negative-binomial} (population and metacluster only): a
 *       {@link CountGlm} of the population's events out of (binomial) or offset by (NB2, α by
 *       maximum likelihood) its parent's events, with the patient as a fixed effect (each patient
 *       its own baseline, as edgeR and diffcyt) and {@code visit * cohort}; covariates of the
 *       patient are absorbed by the patient effects and not added. The binomial model knows no
 *       between-sample variation beyond the counts' and is for technical replicates only.
 * </ul>
 *
 * <p><b>What is tested.</b> A sample whose value rests on fewer than {@code min-events} events
 * ({@link FeatureSample#parentEvents()}) is left out of the model, as is one whose value has no
 * model-scale response (0% without a known parent count, a count ≤ 0) or lacks a covariate. A
 * cohort × visit row is tested only when at least {@code min-patients} of the cohort's patients
 * kept both that visit and the baseline (the pooled row: over its cohorts), its effect is
 * estimable, the fit converged, and, except for the primary endpoint, its effect reaches
 * {@code min-effect}; otherwise {@link DifferentialRow#whyNotTested()} says which rule stopped
 * it, and the estimate is still given when the model has one. Screening on the estimated effect
 * is what the configuration asks for; note that it is not independent of the test (Bourgon et al.
 * 2010), so q-values of a screened family are somewhat optimistic; {@code min-effect.ratio: 1} and
 * {@code min-effect.change: 0} turn it off.
 *
 * <p><b>Families.</b> The primary endpoint (one feature × visit × cohort or pooled) is its own
 * family of one: q = p, no adjustment. Every other tested row is Benjamini-Hochberg adjusted
 * within its exploratory family, the rows that share the {@code family-by} dimensions (default
 * panel and visit: every feature, cohort and pooled row of a panel at a visit).
 *
 * <p><b>Secondary.</b> The paired Wilcoxon signed-rank test (R's conventions,
 * {@link WilcoxonSignedRank}) of the raw values against baseline, per cohort and over all
 * patients (the pooled-cohort code), is added as rows of model {@code wilcoxon}, family
 * {@code secondary}, without q-value (cohort_summary holds its BH q within a cohort × visit),
 * estimate the median fold change (or for an intensity the median change) of the paired
 * patients: a distribution-free cross-check on every sample, min-events aside.
 */
public final class DifferentialAnalysis {
  /** {@code differential.family} of the primary endpoint. */
  public static final String PRIMARY_FAMILY = "primary";

  /** {@code differential.family} of the exploratory rows, followed by ':' and the dimensions. */
  public static final String EXPLORATORY_FAMILY = "exploratory";

  /** {@code differential.family} of the Wilcoxon rows. */
  public static final String SECONDARY_FAMILY = "secondary";

  /**
   * Appended to {@code differential.model} (lmm-additive, ...) when visit x cohort was not
   * identifiable and the rows come from visit + cohort: the pooled effect only.
   */
  public static final String ADDITIVE_SUFFIX = "-additive";

  /** {@code differential.model} of the Wilcoxon rows. */
  public static final String WILCOXON = "wilcoxon";

  private static final String VISIT = "visit";
  private static final String COHORT = "cohort";
  private static final String PATIENT = "patient";

  private final DifferentialConfig config;
  private final String baseline;
  private final Comparator<String> visitOrder;
  private final String pooled;

  /**
   * @param config the testing rules
   * @param baseline the baseline visit
   * @param visitOrder visit codes in schedule order (rows follow it)
   * @param pooled the pooled-cohort code, the cohort of pooled rows
   */
  public DifferentialAnalysis(
      DifferentialConfig config, String baseline, List<String> visitOrder, String pooled) {
    this.config = config;
    this.baseline = baseline;
    this.visitOrder = VisitSchedule.order(visitOrder);
    this.pooled = pooled;
  }

  /**
   * The result of {@link #analyse}.
   *
   * @param rows every row, features sorted, model rows before Wilcoxon rows, cohorts by name with
   *     the pooled row last, visits in schedule order
   * @param warnings what an analyst must hear: a primary endpoint without data or not tested
   */
  public record Result(List<DifferentialRow> rows, List<String> warnings) {
    public Result {
      rows = List.copyOf(rows);
      warnings = List.copyOf(warnings);
    }

    /** The primary endpoint's row, or null. */
    public DifferentialRow primary() {
      return rows.stream().filter(r -> r.family().equals(PRIMARY_FAMILY)).findFirst().orElse(null);
    }
  }

  /**
   * Analyses every feature; see the class comment. Features are fitted concurrently (a parallel
   * stream: each feature's models are independent and deterministic) and their rows kept in feature
   * order, so the result is the same as one by one: the mixed models of 260 features were about 20 s
   * of the aggregate step on one driver thread (BENCHMARKS.md, session 13).
   */
  public Result analyse(Map<DifferentialFeature, List<FeatureSample>> features) {
    List<DifferentialRow> rows = new ArrayList<>();
    new ArrayList<>(new TreeMap<>(features).entrySet())
        .parallelStream()
            .map(
                e -> {
                  List<DifferentialRow> r = new ArrayList<>(modelRows(e.getKey(), e.getValue()));
                  r.addAll(wilcoxonRows(e.getKey(), e.getValue()));
                  return r;
                })
            .toList()
            .forEach(rows::addAll);
    rows = adjust(rows);
    List<String> warnings = new ArrayList<>();
    DifferentialConfig.Endpoint primary = config.primary();
    if (primary != null) {
      DifferentialRow row =
          rows.stream().filter(r -> r.family().equals(PRIMARY_FAMILY)).findFirst().orElse(null);
      if (row == null) {
        warnings.add(
            "differential: the primary endpoint ("
                + primary
                + ", "
                + config.file()
                + ") has no data: "
                + missing(primary, features));
      } else if (!row.tested()) {
        warnings.add(
            "differential: the primary endpoint ("
                + primary
                + ") was not tested: "
                + row.whyNotTested());
      }
    }
    return new Result(rows, warnings);
  }

  /** What the lake lacks for an endpoint without a row: its panel, feature, visit or cohort. */
  private String missing(
      DifferentialConfig.Endpoint primary, Map<DifferentialFeature, List<FeatureSample>> features) {
    List<FeatureSample> samples = null;
    boolean panel = false;
    for (Map.Entry<DifferentialFeature, List<FeatureSample>> e : features.entrySet()) {
      DifferentialFeature f = e.getKey();
      panel |= f.panel().equals(primary.panel());
      if (f.panel().equals(primary.panel())
          && f.feature().equals(primary.feature())
          && f.statistic().equals(primary.statistic())) {
        samples = e.getValue();
      }
    }
    if (!panel) {
      return "no feature of panel " + primary.panel() + " in the lake";
    }
    if (samples == null) {
      return "no feature "
          + primary.feature()
          + " "
          + primary.statistic()
          + " in panel "
          + primary.panel();
    }
    if (samples.stream().noneMatch(s -> s.visit().equals(primary.visit()))) {
      return "no sample at visit " + primary.visit();
    }
    return "no sample of cohort " + primary.cohort() + " at visit " + primary.visit();
  }

  /** Benjamini-Hochberg within each family of tested model rows. */
  private static List<DifferentialRow> adjust(List<DifferentialRow> rows) {
    Map<String, List<Integer>> families = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      DifferentialRow r = rows.get(i);
      if (r.tested() && !r.family().equals(SECONDARY_FAMILY)) {
        families.computeIfAbsent(r.family(), k -> new ArrayList<>()).add(i);
      }
    }
    List<DifferentialRow> out = new ArrayList<>(rows);
    for (List<Integer> idx : families.values()) {
      double[] p = idx.stream().mapToDouble(i -> rows.get(i).p()).toArray();
      double[] q = BenjaminiHochberg.adjust(p);
      for (int k = 0; k < idx.size(); k++) {
        out.set(idx.get(k), rows.get(idx.get(k)).withQ(q[k]));
      }
    }
    return out;
  }

  /**
   * A fitted model: its fixed effects, whether it converged, its notes, and for a mixed model the
   * fit that gives contrasts their small-sample degrees of freedom by {@code dfMethod}.
   */
  private record Fitted(
      FixedEffects effects,
      boolean converged,
      List<String> notes,
      MixedModelFit mixed,
      DfMethod dfMethod) {
    /**
     * A contrast: against t with the configured df for a mixed model (with how they were
     * obtained), Wald z for a GLM (no df method).
     */
    Contrast contrast(String label, Map<String, Double> weights) {
      if (mixed == null) {
        return new Contrast(effects.contrast(label, weights), null);
      }
      MixedModelFit.Df df = mixed.degreesOfFreedom(weights, dfMethod);
      return new Contrast(
          mixed.contrast(label, weights).withDegreesOfFreedom(df.value()), df.method());
    }
  }

  /** A contrast's estimate and the {@code df_method} of its t reference (null: normal). */
  private record Contrast(Estimate estimate, String dfMethod) {}

  private List<DifferentialRow> modelRows(DifferentialFeature f, List<FeatureSample> samples) {
    // a count GLM models events: never a marker median, whatever its kind (a metacluster's)
    Model model =
        f.scale().kind() == FeatureScale.Kind.INTENSITY ? Model.LMM : config.model(f.kind());
    EffectScale scale =
        switch (model) {
          case LMM -> EffectScale.of(f.scale());
          case BINOMIAL -> EffectScale.ODDS_RATIO;
          case NEGATIVE_BINOMIAL -> EffectScale.FOLD_CHANGE;
        };
    TreeSet<String> visits = new TreeSet<>(visitOrder);
    TreeSet<String> cohorts = new TreeSet<>();
    for (FeatureSample s : samples) {
      if (Double.isFinite(s.value())) {
        cohorts.add(s.cohort());
        if (!s.visit().equals(baseline)) {
          visits.add(s.visit());
        }
      }
    }
    // 1. the samples the model may use
    List<FeatureSample> kept = new ArrayList<>();
    List<Double> response = new ArrayList<>();
    int fewEvents = 0;
    int noResponse = 0;
    int noCovariate = 0;
    for (FeatureSample s : samples) {
      if (!Double.isFinite(s.value())) {
        continue;
      }
      if (s.parentEvents() >= 0 && s.parentEvents() < config.minEvents()) {
        fewEvents++;
        continue;
      }
      if (model == Model.LMM) {
        double y = EffectScale.response(f.scale(), s);
        if (Double.isNaN(y)) {
          noResponse++;
          continue;
        }
        if (!hasCovariates(s)) {
          noCovariate++;
          continue;
        }
        response.add(y);
      } else if (s.events() < 0
          || s.parentEvents() <= 0
          || (model == Model.BINOMIAL && s.events() > s.parentEvents())) {
        noResponse++;
        continue;
      }
      kept.add(s);
    }
    String left = leftOut(fewEvents, noResponse, noCovariate, model);

    // 2. patients with both visits, per cohort
    Map<String, Map<String, Set<String>>> visitsOf = new TreeMap<>();
    Map<String, Map<String, Integer>> samplesAt = new HashMap<>();
    for (FeatureSample s : kept) {
      visitsOf
          .computeIfAbsent(s.cohort(), k -> new TreeMap<>())
          .computeIfAbsent(s.patient(), k -> new TreeSet<>())
          .add(s.visit());
      samplesAt.computeIfAbsent(s.cohort(), k -> new HashMap<>()).merge(s.visit(), 1, Integer::sum);
    }

    // 3. one fit over all cohorts and visits; visit + cohort when visit x cohort is not
    // identifiable, for the pooled effect only
    Fitted fit = null;
    String fitProblem = null;
    String perCohortProblem = null;
    if (kept.stream().noneMatch(s -> s.visit().equals(baseline))) {
      fitProblem = "no sample at baseline " + baseline + " kept" + left;
    } else if (kept.stream().allMatch(s -> s.visit().equals(baseline))) {
      fitProblem = "no sample after baseline kept" + left;
    } else {
      try {
        fit = fit(model, kept, response, true);
      } catch (IllegalArgumentException e) {
        try {
          fit = fit(model, kept, response, false);
          perCohortProblem =
              "per-cohort model visit x cohort not identifiable ("
                  + e.getMessage()
                  + "); only the pooled effect is estimated, by visit + cohort (model "
                  + ADDITIVE_SUFFIX.substring(1)
                  + ")";
        } catch (IllegalArgumentException additive) {
          fitProblem =
              "model not fitted: "
                  + e.getMessage()
                  + "; visit + cohort neither: "
                  + additive.getMessage();
        }
      }
    }
    String label = model.label() + (perCohortProblem == null ? "" : ADDITIVE_SUFFIX);

    // 4. per cohort, then pooled, per visit
    List<DifferentialRow> rows = new ArrayList<>();
    for (String cohort : cohorts) {
      for (String v : visits) {
        int n = paired(visitsOf.get(cohort), v);
        int ns = samplesAt(samplesAt.get(cohort), v);
        Contrast e = null;
        String notEstimable = null;
        if (fit != null && perCohortProblem == null) {
          try {
            e =
                fit.contrast(
                    fit.effects().levelContrast(VISIT, v, Map.of(COHORT, cohort)).name(),
                    fit.effects().levelWeights(VISIT, v, Map.of(COHORT, cohort)));
          } catch (IllegalArgumentException x) {
            notEstimable = x.getMessage();
          }
        }
        String problem = fitProblem != null ? fitProblem : perCohortProblem;
        rows.add(
            row(f, model, label, scale, cohort, v, n, ns, fit, problem, e, notEstimable, left));
      }
    }
    for (String v : visits) {
      int n = 0;
      int ns = 0;
      List<Map<String, Double>> weights = new ArrayList<>();
      for (String cohort : cohorts) {
        int nc = paired(visitsOf.get(cohort), v);
        if (fit == null || nc == 0) {
          continue;
        }
        try {
          Map<String, Double> w = fit.effects().levelWeights(VISIT, v, Map.of(COHORT, cohort));
          fit.effects().contrast(cohort, w);
          weights.add(w);
          n += nc;
          ns += samplesAt(samplesAt.get(cohort), v);
        } catch (IllegalArgumentException x) {
          // not estimable in this cohort: the pooled mean leaves it out
        }
      }
      Contrast e = null;
      String notEstimable = null;
      if (fit != null) {
        if (weights.isEmpty()) {
          notEstimable =
              "no cohort has a patient with both "
                  + baseline
                  + " and "
                  + v
                  + " and an estimable effect";
        } else {
          Map<String, Double> mean = new TreeMap<>();
          for (Map<String, Double> w : weights) {
            w.forEach((c, x) -> mean.merge(c, x / weights.size(), Double::sum));
          }
          e = fit.contrast(VISIT + " " + v + " vs " + baseline + " pooled", mean);
        }
      }
      rows.add(
          row(f, model, label, scale, pooled, v, n, ns, fit, fitProblem, e, notEstimable, left));
    }
    return rows;
  }

  private DifferentialRow row(
      DifferentialFeature f,
      Model model,
      String modelLabel,
      EffectScale scale,
      String cohort,
      String visit,
      int n,
      int ns,
      Fitted fit,
      String fitProblem,
      Contrast contrast,
      String notEstimable,
      String left) {
    Estimate e = contrast == null ? null : contrast.estimate();
    boolean primary =
        config.primary() != null
            && config.primary().matches(f.panel(), f.feature(), f.statistic(), visit, cohort);
    String why = null;
    if (fitProblem != null) {
      why = fitProblem;
    } else if (n < config.minPatients()) {
      why =
          n
              + " patient(s) with both "
              + baseline
              + " and "
              + visit
              + " kept"
              + left
              + ", fewer than min-patients "
              + config.minPatients();
    } else if (e == null) {
      why = "not estimable: " + notEstimable;
    } else if (!fit.converged()) {
      why = "model did not converge: " + String.join("; ", fit.notes());
    } else if (!primary && belowMinEffect(scale, e.estimate())) {
      why =
          String.format(
              Locale.ROOT,
              "effect below min-effect: %s %.4g, within %s",
              scale.label(),
              scale.report(e.estimate()),
              scale.logScale()
                  ? String.format(
                      Locale.ROOT, "[1/%s, %s]", config.minEffectRatio(), config.minEffectRatio())
                  : "±" + config.minEffectChange());
    }
    boolean tested = why == null;
    return new DifferentialRow(
        f.panel(),
        f.feature(),
        f.kind(),
        f.statistic(),
        cohort,
        visit,
        e == null ? Double.NaN : scale.report(e.estimate()),
        e == null ? Double.NaN : scale.report(e.lower()),
        e == null ? Double.NaN : scale.report(e.upper()),
        e == null ? Double.NaN : e.df(),
        e == null ? null : contrast.dfMethod(),
        scale.label(),
        tested ? e.p() : Double.NaN,
        Double.NaN,
        primary ? PRIMARY_FAMILY : exploratoryFamily(f, cohort, visit),
        tested,
        why,
        modelLabel,
        n,
        ns);
  }

  private boolean belowMinEffect(EffectScale scale, double modelScaleEstimate) {
    double threshold =
        scale.logScale() ? Math.log(config.minEffectRatio()) : config.minEffectChange();
    return Math.abs(modelScaleEstimate) < threshold;
  }

  /** {@code exploratory:<value of each family-by dimension>}. */
  String exploratoryFamily(DifferentialFeature f, String cohort, String visit) {
    StringBuilder b = new StringBuilder(EXPLORATORY_FAMILY);
    for (String d : config.familyBy()) {
      b.append(':')
          .append(
              switch (d) {
                case "panel" -> f.panel();
                case "visit" -> visit;
                case "cohort" -> cohort;
                default -> f.kind();
              });
    }
    return b.toString();
  }

  private String leftOut(int fewEvents, int noResponse, int noCovariate, Model model) {
    List<String> parts = new ArrayList<>();
    if (fewEvents > 0) {
      parts.add(
          fewEvents
              + " sample(s) with fewer than min-events "
              + config.minEvents()
              + " events left out");
    }
    if (noResponse > 0) {
      parts.add(
          noResponse
              + (model == Model.LMM
                  ? " sample(s) without a value on the model scale (0% without parent count, count <= 0)"
                  : " sample(s) without event counts")
              + " left out");
    }
    if (noCovariate > 0) {
      parts.add(noCovariate + " sample(s) without covariates " + config.covariates() + " left out");
    }
    return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
  }

  private boolean hasCovariates(FeatureSample s) {
    for (String c : config.covariates()) {
      if (DifferentialConfig.COVARIATE_COLUMNS.getOrDefault(c, false)) {
        Double v = s.covariates().get(c);
        if (v == null || !Double.isFinite(v)) {
          return false;
        }
      } else if (s.factors().get(c) == null) {
        return false;
      }
    }
    return true;
  }

  /**
   * Fits the model of {@code kept}: fixed effects visit x cohort when {@code interaction}, else
   * visit + cohort (the effect of a visit common to all cohorts).
   */
  private Fitted fit(
      Model model, List<FeatureSample> kept, List<Double> response, boolean interaction) {
    List<String> visitLevels = new ArrayList<>();
    visitLevels.add(baseline);
    kept.stream()
        .map(FeatureSample::visit)
        .filter(v -> !v.equals(baseline))
        .distinct()
        .sorted(visitOrder)
        .forEach(visitLevels::add);
    List<String> cohortLevels =
        kept.stream().map(FeatureSample::cohort).distinct().sorted().toList();
    DesignSpec.Builder b =
        DesignSpec.builder().factor(VISIT, visitLevels).factor(COHORT, cohortLevels);
    if (model == Model.LMM) {
      for (String c : config.covariates()) {
        if (DifferentialConfig.COVARIATE_COLUMNS.getOrDefault(c, false)) {
          b.covariate(c);
        } else {
          b.factor(c, kept.stream().map(s -> s.factors().get(c)).distinct().sorted().toList());
        }
      }
      if (interaction) {
        b.interaction(VISIT, COHORT);
      }
      List<Observation> obs = new ArrayList<>();
      for (int i = 0; i < kept.size(); i++) {
        FeatureSample s = kept.get(i);
        Map<String, String> factors = new HashMap<>();
        Map<String, Double> covariates = new HashMap<>();
        factors.put(VISIT, s.visit());
        factors.put(COHORT, s.cohort());
        for (String c : config.covariates()) {
          if (DifferentialConfig.COVARIATE_COLUMNS.getOrDefault(c, false)) {
            covariates.put(c, s.covariates().get(c));
          } else {
            factors.put(c, s.factors().get(c));
          }
        }
        obs.add(new Observation(s.patient(), response.get(i), factors, covariates));
      }
      MixedModelFit fit = new LinearMixedModel(b.build()).fit(obs);
      return new Fitted(fit.fixedEffects(), fit.converged(), fit.notes(), fit, config.lmmDf());
    }
    b.factor(PATIENT, kept.stream().map(FeatureSample::patient).distinct().sorted().toList());
    if (interaction) {
      b.interaction(VISIT, COHORT);
    }
    List<CountObservation> obs =
        kept.stream()
            .map(
                s ->
                    new CountObservation(
                        s.events(),
                        s.parentEvents(),
                        Map.of(VISIT, s.visit(), COHORT, s.cohort(), PATIENT, s.patient())))
            .toList();
    DesignSpec spec = b.build();
    GlmFit fit =
        (model == Model.BINOMIAL
                ? CountGlm.binomial(spec)
                : CountGlm.negativeBinomialEstimatedAlpha(spec))
            .fit(obs);
    return new Fitted(fit.fixedEffects(), fit.converged(), fit.notes(), null, null);
  }

  private int paired(Map<String, Set<String>> visitsOfPatients, String visit) {
    if (visitsOfPatients == null) {
      return 0;
    }
    int n = 0;
    for (Set<String> v : visitsOfPatients.values()) {
      if (v.contains(baseline) && v.contains(visit)) {
        n++;
      }
    }
    return n;
  }

  private int samplesAt(Map<String, Integer> byVisit, String visit) {
    return byVisit == null ? 0 : byVisit.getOrDefault(baseline, 0) + byVisit.getOrDefault(visit, 0);
  }

  /** The secondary rows: paired Wilcoxon of the raw values, per cohort and over all patients. */
  private List<DifferentialRow> wilcoxonRows(DifferentialFeature f, List<FeatureSample> samples) {
    boolean intensity = f.scale().kind() == FeatureScale.Kind.INTENSITY;
    EffectScale scale = intensity ? EffectScale.MEDIAN_CHANGE : EffectScale.MEDIAN_FOLD_CHANGE;
    // cohort -> patient -> visit -> value (the first finite one)
    Map<String, Map<String, Map<String, Double>>> values = new TreeMap<>();
    TreeSet<String> visits = new TreeSet<>(visitOrder);
    for (FeatureSample s : samples) {
      if (!Double.isFinite(s.value())) {
        continue;
      }
      values
          .computeIfAbsent(s.cohort(), k -> new TreeMap<>())
          .computeIfAbsent(s.patient(), k -> new HashMap<>())
          .putIfAbsent(s.visit(), s.value());
      if (!s.visit().equals(baseline)) {
        visits.add(s.visit());
      }
    }
    Map<String, Map<String, Map<String, Double>>> groups = new LinkedHashMap<>(values);
    Map<String, Map<String, Double>> all = new TreeMap<>();
    values.values().forEach(all::putAll);
    groups.put(pooled, all);
    List<DifferentialRow> rows = new ArrayList<>();
    for (Map.Entry<String, Map<String, Map<String, Double>>> g : groups.entrySet()) {
      for (String v : visits) {
        List<Double> after = new ArrayList<>();
        List<Double> before = new ArrayList<>();
        List<Double> effects = new ArrayList<>();
        for (Map<String, Double> byVisit : g.getValue().values()) {
          Double a = byVisit.get(v);
          Double b0 = byVisit.get(baseline);
          if (a != null && b0 != null) {
            after.add(a);
            before.add(b0);
            double x = intensity ? f.scale().change(a, b0) : f.scale().foldChange(a, b0);
            if (!Double.isNaN(x)) {
              effects.add(x);
            }
          }
        }
        WilcoxonSignedRank.Result w =
            WilcoxonSignedRank.test(
                after.stream().mapToDouble(Double::doubleValue).toArray(),
                before.stream().mapToDouble(Double::doubleValue).toArray());
        String why =
            after.isEmpty()
                ? "no patient with both " + baseline + " and " + v
                : w.n() == 0 ? "no non-zero paired difference" : null;
        rows.add(
            new DifferentialRow(
                f.panel(),
                f.feature(),
                f.kind(),
                f.statistic(),
                g.getKey(),
                v,
                Quantiles.type7Median(effects.stream().mapToDouble(Double::doubleValue).toArray()),
                Double.NaN,
                Double.NaN,
                Double.NaN,
                null,
                scale.label(),
                why == null ? w.p() : Double.NaN,
                Double.NaN,
                SECONDARY_FAMILY,
                why == null,
                why,
                WILCOXON,
                after.size(),
                2 * after.size()));
      }
    }
    return Collections.unmodifiableList(rows);
  }
}
