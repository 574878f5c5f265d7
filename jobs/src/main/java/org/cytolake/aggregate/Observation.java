package org.cytolake.aggregate;

/**
 * One value of one feature of one patient at one visit (a row of {@code immunophenotype}).
 *
 * @param patientId pseudonymous patient
 * @param cohort cohort code
 * @param visit visit code
 * @param panel panel code (or another feature namespace)
 * @param feature feature name within the panel
 * @param statistic what the value measures, e.g. pct_of_parent
 * @param value the value (NaN when missing)
 * @param baseline the same feature at the patient's baseline visit (NaN when missing)
 */
public record Observation(String patientId, String cohort, String visit, String panel,
    String feature, String statistic, double value, double baseline) {

  /** value − baseline (NaN when either is missing). */
  public double change() {
    return value - baseline;
  }

  /** value / baseline; NaN when either is missing or the baseline is 0. */
  public double foldChange() {
    return baseline == 0 || Double.isNaN(baseline) || Double.isNaN(value) ? Double.NaN
        : value / baseline;
  }

  /** The feature's identity within a visit: panel, feature and statistic. */
  public FeatureKey key() {
    return new FeatureKey(panel, feature, statistic);
  }

  /** A feature: panel × feature × statistic. */
  public record FeatureKey(String panel, String feature, String statistic)
      implements Comparable<FeatureKey> {
    @Override
    public int compareTo(FeatureKey o) {
      int c = panel.compareTo(o.panel);
      if (c == 0) {
        c = feature.compareTo(o.feature);
      }
      return c != 0 ? c : statistic.compareTo(o.statistic);
    }
  }
}
