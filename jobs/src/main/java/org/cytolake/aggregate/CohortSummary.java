package org.cytolake.aggregate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cytolake.config.VisitSchedule;
import org.cytolake.stats.BenjaminiHochberg;
import org.cytolake.stats.Quantiles;
import org.cytolake.stats.WilcoxonSignedRank;

/**
 * The rows of {@code cohort_summary}: per cohort (and all cohorts pooled) × visit × feature, the
 * descriptive statistics of the values ({@link Descriptive}), the median change from baseline,
 * the median fold change (only for quantities that cannot be negative: percentages, counts, count
 * ratios) or, for an intensity in transformed units, the median ratio of the back-transformed
 * values ({@link FeatureScale}), and a paired two-sided Wilcoxon signed-rank test of the visit
 * against baseline
 * ({@link WilcoxonSignedRank}: R's conventions, exact below 50 pairs without ties, else normal with
 * tie and continuity corrections). q-values are Benjamini-Hochberg adjusted within one family:
 * <b>all features tested in one cohort × visit</b> (every panel, feature and statistic with a
 * p-value there); families are not pooled across visits or cohorts.
 */
public final class CohortSummary {
  private CohortSummary() {}

  /**
   * One row of {@code cohort_summary}.
   *
   * @param scale the feature's scale (that of its observations)
   * @param nPaired patients with both a value and a baseline value
   * @param medianChange median over the paired patients of value − baseline, in the feature's
   *     units
   * @param nRatio paired patients whose fold change (or, for an intensity, linear ratio) is
   *     defined: those the median below is over
   * @param medianFoldChange median fold change; NaN for an intensity or when no patient has one
   * @param medianLinearRatio median linear ratio of an intensity; NaN otherwise or when no
   *     patient has one
   * @param nNonzero non-zero differences that entered the test
   * @param wilcoxonV V statistic (sum of ranks of positive differences); NaN when untested
   * @param p two-sided p-value; NaN at baseline and when no difference is non-zero
   * @param exact whether p is exact
   * @param q BH q-value within the cohort × visit family; NaN when p is
   */
  public record Row(
      String cohort,
      String visit,
      Observation.FeatureKey feature,
      FeatureScale scale,
      Descriptive values,
      int nPaired,
      double medianChange,
      int nRatio,
      double medianFoldChange,
      double medianLinearRatio,
      int nNonzero,
      double wilcoxonV,
      double p,
      boolean exact,
      double q) {}

  /**
   * Summarises {@code observations} per cohort and for {@code pooled} (all cohorts together),
   * per visit and feature. Rows come cohort by cohort (pooled last), visits in
   * {@code visitOrder} (others after, by name), features sorted.
   *
   * @throws IllegalArgumentException naming the feature when its observations disagree on its
   *     scale
   */
  public static List<Row> summarise(
      Collection<Observation> observations,
      String baselineVisit,
      String pooled,
      List<String> visitOrder) {
    Map<String, Map<String, Map<Observation.FeatureKey, List<Observation>>>> groups =
        new TreeMap<>();
    // Patient order, whatever order Spark collected them in: sums (mean, sd) then add up in
    // the same order on every run, so two runs write the same bytes.
    List<Observation> sorted = new ArrayList<>(observations);
    sorted.sort(
        java.util.Comparator.comparing(Observation::patientId)
            .thenComparing(Observation::cohort)
            .thenComparing(Observation::visit)
            .thenComparing(Observation::key));
    for (Observation o : sorted) {
      for (String cohort : new String[] {o.cohort(), pooled}) {
        groups
            .computeIfAbsent(cohort, k -> new TreeMap<>(VisitSchedule.order(visitOrder)))
            .computeIfAbsent(o.visit(), k -> new TreeMap<>())
            .computeIfAbsent(o.key(), k -> new ArrayList<>())
            .add(o);
      }
    }
    Map<String, Map<String, Map<Observation.FeatureKey, List<Observation>>>> ordered =
        new LinkedHashMap<>();
    groups.forEach(
        (k, v) -> {
          if (!k.equals(pooled)) {
            ordered.put(k, v);
          }
        });
    if (groups.containsKey(pooled)) {
      ordered.put(pooled, groups.get(pooled));
    }
    List<Row> out = new ArrayList<>();
    for (var byCohort : ordered.entrySet()) {
      for (var byVisit : byCohort.getValue().entrySet()) {
        boolean isBaseline = byVisit.getKey().equals(baselineVisit);
        List<Row> family = new ArrayList<>();
        for (var f : byVisit.getValue().entrySet()) {
          family.add(
              row(byCohort.getKey(), byVisit.getKey(), f.getKey(), f.getValue(), isBaseline));
        }
        double[] p = family.stream().mapToDouble(Row::p).toArray();
        double[] q = BenjaminiHochberg.adjust(p);
        for (int i = 0; i < family.size(); i++) {
          Row r = family.get(i);
          out.add(
              new Row(
                  r.cohort(),
                  r.visit(),
                  r.feature(),
                  r.scale(),
                  r.values(),
                  r.nPaired(),
                  r.medianChange(),
                  r.nRatio(),
                  r.medianFoldChange(),
                  r.medianLinearRatio(),
                  r.nNonzero(),
                  r.wilcoxonV(),
                  r.p(),
                  r.exact(),
                  q[i]));
        }
      }
    }
    return out;
  }

  private static Row row(
      String cohort,
      String visit,
      Observation.FeatureKey key,
      List<Observation> obs,
      boolean isBaseline) {
    FeatureScale scale = obs.get(0).scale();
    for (Observation o : obs) {
      if (!o.scale().equals(scale)) {
        throw new IllegalArgumentException(
            "Cannot summarise feature "
                + key
                + " in cohort "
                + cohort
                + " at "
                + visit
                + ": patient "
                + o.patientId()
                + " has scale '"
                + o.scale().label()
                + "' but patient "
                + obs.get(0).patientId()
                + " has '"
                + scale.label()
                + "'");
      }
    }
    double[] values = obs.stream().mapToDouble(Observation::value).toArray();
    List<double[]> pairs = new ArrayList<>();
    List<Double> folds = new ArrayList<>();
    List<Double> linear = new ArrayList<>();
    for (Observation o : obs) {
      if (!Double.isNaN(o.value()) && !Double.isNaN(o.baseline())) {
        pairs.add(new double[] {o.value(), o.baseline()});
        if (!Double.isNaN(o.foldChange())) {
          folds.add(o.foldChange());
        }
        if (!Double.isNaN(o.linearRatio())) {
          linear.add(o.linearRatio());
        }
      }
    }
    double[] after = pairs.stream().mapToDouble(x -> x[0]).toArray();
    double[] before = pairs.stream().mapToDouble(x -> x[1]).toArray();
    double[] change = new double[after.length];
    for (int i = 0; i < after.length; i++) {
      change[i] = scale.change(after[i], before[i]);
    }
    WilcoxonSignedRank.Result w = isBaseline ? null : WilcoxonSignedRank.test(after, before);
    // a scale has fold changes or linear ratios, never both: one of the two lists is empty
    return new Row(
        cohort,
        visit,
        key,
        scale,
        Descriptive.of(values),
        pairs.size(),
        Quantiles.type7Median(change),
        folds.size() + linear.size(),
        median(folds),
        median(linear),
        w == null ? 0 : w.n(),
        w == null ? Double.NaN : w.v(),
        w == null ? Double.NaN : w.p(),
        w != null && w.exact(),
        Double.NaN);
  }

  /** The R type 7 median (NaN left out), as of every median of cohort_summary. */
  private static double median(List<Double> values) {
    return Quantiles.type7Median(values.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
