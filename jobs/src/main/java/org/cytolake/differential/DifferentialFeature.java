package org.cytolake.differential;

import java.util.Objects;
import org.cytolake.aggregate.FeatureScale;

/**
 * A feature of {@code immunophenotype}: panel × feature × statistic, with its kind and scale.
 *
 * @param kind {@code immunophenotype.kind}: population, metacluster, ratio, absolute_count,
 *     marker_median
 * @param scale what its values are, which decides the model scale ({@link EffectScale})
 */
public record DifferentialFeature(
    String panel, String feature, String statistic, String kind, FeatureScale scale)
    implements Comparable<DifferentialFeature> {

  public DifferentialFeature {
    Objects.requireNonNull(panel, "panel");
    Objects.requireNonNull(feature, "feature");
    Objects.requireNonNull(statistic, "statistic");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(scale, "scale");
  }

  @Override
  public int compareTo(DifferentialFeature o) {
    int c = panel.compareTo(o.panel);
    if (c == 0) {
      c = feature.compareTo(o.feature);
    }
    return c != 0 ? c : statistic.compareTo(o.statistic);
  }

  @Override
  public String toString() {
    return panel + " " + feature + " " + statistic;
  }
}
