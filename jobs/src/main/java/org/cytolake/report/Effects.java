package org.cytolake.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the report plots of the {@code differential} table: one volcano plot per visit and effect
 * scale (the pooled rows that were tested: estimate on the reported scale against −log10 q, the
 * primary endpoint highlighted) and the primary feature's per-patient trajectories over the
 * visits, one small plot per cohort, from {@code immunophenotype}. Plain values, no Spark.
 *
 * @param baseline the baseline visit (axis labels: "D8 vs D1")
 * @param pooled the pooled-cohort code of the rows plotted (e.g. ALL)
 * @param volcanoes one per visit × scale, visits in schedule order
 * @param trajectories the primary feature's patients over visits, or null when the table has no
 *     primary endpoint
 */
public record Effects(
    String baseline, String pooled, List<Volcano> volcanoes, Trajectories trajectories) {
  public Effects {
    Objects.requireNonNull(baseline, "baseline");
    Objects.requireNonNull(pooled, "pooled");
    volcanoes = List.copyOf(volcanoes);
  }

  /**
   * One tested row of {@code differential}: a feature's effect at a visit (pooled).
   *
   * @param population the feature's population or metacluster label, for the tooltip; may be null
   * @param scale {@code differential.scale}: odds_ratio, fold_change or change
   * @param estimate on that scale
   * @param q its q-value (the primary endpoint's q = p)
   * @param primary whether it is the primary endpoint
   */
  public record EffectPoint(
      String panel,
      String feature,
      String statistic,
      String population,
      String visit,
      String scale,
      double estimate,
      double q,
      boolean primary) {
    public EffectPoint {
      Objects.requireNonNull(panel, "panel");
      Objects.requireNonNull(feature, "feature");
      Objects.requireNonNull(statistic, "statistic");
      Objects.requireNonNull(visit, "visit");
      Objects.requireNonNull(scale, "scale");
    }

    /**
     * The primary endpoint's row when none of its rows was tested: it still has trajectories, but
     * no estimate, q or population.
     */
    public static EffectPoint untestedPrimary(
        String panel, String feature, String statistic, String visit, String scale) {
      return new EffectPoint(
          panel, feature, statistic, null, visit, scale, Double.NaN, Double.NaN, true);
    }

    /** "P1 Treg pct_of_parent". */
    public String label() {
      return panel + " " + feature + " " + statistic;
    }
  }

  /** The primary endpoint among {@code points}: the last one marked primary, or null when none is. */
  public static EffectPoint primary(List<EffectPoint> points) {
    EffectPoint primary = null;
    for (EffectPoint p : points) {
      if (p.primary()) {
        primary = p;
      }
    }
    return primary;
  }

  /**
   * The points of one visit on one scale.
   *
   * @param scale odds_ratio or fold_change (a log axis) or change (transformed units, linear)
   */
  public record Volcano(String visit, String scale, List<EffectPoint> points) {
    public Volcano {
      Objects.requireNonNull(visit, "visit");
      Objects.requireNonNull(scale, "scale");
      points = List.copyOf(points);
    }

    /** Whether the estimates are ratios, drawn on a log axis with 1 as no effect. */
    public boolean ratio() {
      return !scale.equals("change");
    }

    /** The x axis: "odds ratio, D8 vs D1 (log scale)". */
    public String axis(String baseline) {
      return scale.replace('_', ' ')
          + ", "
          + visit
          + " vs "
          + baseline
          + (ratio() ? " (log scale)" : " (transformed units)");
    }
  }

  /**
   * The volcano plots of {@code points}: grouped by visit (in {@code visitOrder}) and scale (by
   * name), points in their given order; points without a finite estimate or q are left out.
   */
  public static List<Volcano> volcanoes(List<EffectPoint> points, Comparator<String> visitOrder) {
    Map<String, Map<String, List<EffectPoint>>> byVisit = new TreeMap<>(visitOrder);
    for (EffectPoint p : points) {
      if (Double.isFinite(p.estimate()) && Double.isFinite(p.q())) {
        byVisit
            .computeIfAbsent(p.visit(), k -> new TreeMap<>())
            .computeIfAbsent(p.scale(), k -> new ArrayList<>())
            .add(p);
      }
    }
    List<Volcano> out = new ArrayList<>();
    byVisit.forEach((v, byScale) -> byScale.forEach((s, ps) -> out.add(new Volcano(v, s, ps))));
    return Collections.unmodifiableList(out);
  }

  /**
   * The primary feature's value per patient and visit, by cohort.
   *
   * @param endpoint the primary endpoint (its panel, feature and statistic; its visit)
   * @param title what is plotted, e.g. "Treg % of CD4"
   * @param axis the y axis: the feature with its unit, e.g. "Treg % of CD4" or "CD25 median
   *     (asinh:cofactor=150)"
   * @param visits the visits with values, in schedule order
   * @param cohorts one per cohort, by name
   */
  public record Trajectories(
      EffectPoint endpoint,
      String title,
      String axis,
      List<String> visits,
      List<CohortTrajectories> cohorts) {
    public Trajectories {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(axis, "axis");
      visits = List.copyOf(visits);
      cohorts = List.copyOf(cohorts);
    }

    /** One patient's value at one visit, from {@code immunophenotype}. */
    public record Value(String cohort, String patient, String visit, double value) {}

    /**
     * The trajectories of {@code endpoint}, titled by {@link #title} with the axis {@link #axis}.
     *
     * @param report the report's primary population
     * @param scale {@code immunophenotype.scale} of the endpoint's values, or null when unknown
     */
    public static Trajectories of(
        EffectPoint endpoint,
        PrimaryPopulation report,
        String scale,
        List<Value> values,
        Comparator<String> visitOrder) {
      String title = title(endpoint, report);
      return of(endpoint, title, axis(title, endpoint, scale), values, visitOrder);
    }

    /**
     * What the trajectories plot: the report population's title when the endpoint is its % of
     * parent ("Treg % of CD4"), else the feature and its statistic ("CD25 median").
     */
    public static String title(EffectPoint endpoint, PrimaryPopulation report) {
      boolean isReportPopulation =
          endpoint.panel().equals(report.panel())
              && endpoint.feature().equals(report.name())
              && endpoint.statistic().equals("pct_of_parent");
      return isReportPopulation
          ? report.title()
          : endpoint.feature() + " " + endpoint.statistic().replace('_', ' ');
    }

    /** The y axis: "Treg % of CD4 (P1, percent)"; "?" for an unknown scale. */
    public static String axis(String title, EffectPoint endpoint, String scale) {
      return title + " (" + endpoint.panel() + ", " + (scale == null ? "?" : scale) + ")";
    }

    /** Groups {@code values} by cohort and patient (both by name) and orders the visits. */
    public static Trajectories of(
        EffectPoint endpoint,
        String title,
        String axis,
        List<Value> values,
        Comparator<String> visitOrder) {
      Map<String, Map<String, Map<String, Double>>> byCohort = new TreeMap<>();
      java.util.Set<String> visits = new java.util.TreeSet<>(visitOrder);
      for (Value v : values) {
        if (Double.isFinite(v.value())) {
          byCohort
              .computeIfAbsent(v.cohort(), k -> new TreeMap<>())
              .computeIfAbsent(v.patient(), k -> new LinkedHashMap<>())
              .put(v.visit(), v.value());
          visits.add(v.visit());
        }
      }
      List<CohortTrajectories> cohorts = new ArrayList<>();
      byCohort.forEach(
          (c, patients) -> {
            List<PatientTrajectory> ps = new ArrayList<>();
            patients.forEach((p, byVisit) -> ps.add(new PatientTrajectory(p, byVisit)));
            cohorts.add(new CohortTrajectories(c, ps));
          });
      return new Trajectories(endpoint, title, axis, List.copyOf(visits), cohorts);
    }
  }

  /** The patients of one cohort. */
  public record CohortTrajectories(String cohort, List<PatientTrajectory> patients) {
    public CohortTrajectories {
      Objects.requireNonNull(cohort, "cohort");
      patients = List.copyOf(patients);
    }

    /** The patients' values at {@code visit}. */
    public List<Double> values(String visit) {
      return patients.stream().map(p -> p.values().get(visit)).filter(Objects::nonNull).toList();
    }
  }

  /** One patient's value by visit. */
  public record PatientTrajectory(String patient, Map<String, Double> values) {
    public PatientTrajectory {
      Objects.requireNonNull(patient, "patient");
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
  }
}
