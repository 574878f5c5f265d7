package org.cytolake.aggregate;

import java.util.Objects;

/**
 * One value of one feature of one patient at one visit (a row of {@code immunophenotype}).
 *
 * @param patientId pseudonymous patient
 * @param cohort cohort code
 * @param visit visit code
 * @param panel panel code (or another feature namespace)
 * @param feature feature name within the panel
 * @param statistic what the value measures, e.g. pct_of_parent
 * @param scale what kind of quantity the value is, which decides the comparisons with baseline
 * @param value the value (NaN when missing)
 * @param baseline the same feature at the patient's baseline visit (NaN when missing)
 */
public record Observation(
    String patientId,
    String cohort,
    String visit,
    String panel,
    String feature,
    String statistic,
    FeatureScale scale,
    double value,
    double baseline) {

  public Observation {
    Objects.requireNonNull(scale, "scale");
  }

  /** value − baseline in the feature's units (NaN when either is missing). */
  public double change() {
    return scale.change(value, baseline);
  }

  /**
   * value / baseline for a quantity that cannot be negative; NaN for an intensity, when either is
   * missing or the baseline is 0 ({@link FeatureScale#foldChange}).
   */
  public double foldChange() {
    return scale.foldChange(value, baseline);
  }

  /**
   * The ratio of the back-transformed values for an intensity; NaN otherwise and where the linear
   * baseline is ≤ 0 ({@link FeatureScale#linearRatio}).
   */
  public double linearRatio() {
    return scale.linearRatio(value, baseline);
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
