package org.cytolake.plot.clusters;

import java.util.Objects;
import org.cytolake.stats.Quantiles;

/**
 * How a heatmap colours one lineage marker: its median scaled between the marker's 1st and 99th
 * percentile over the panel's events (CATALYST's {@code plotExprHeatmap(scale = "first")} and
 * FlowSOM's percentile scaling), clamped to [0, 1], so a few extreme events or one metacluster
 * cannot stretch the colours of the others.
 *
 * @param column the events column
 * @param marker the marker (the column when the channel has none)
 * @param transform the transform spec of conf/panels.yaml the values are in
 * @param lo the 1st percentile
 * @param hi the 99th percentile
 */
public record MarkerScale(String column, String marker, String transform, double lo, double hi) {

  /** The lower percentile, as a probability. */
  public static final double LOW = 0.01;

  /** The upper percentile, as a probability. */
  public static final double HIGH = 0.99;

  public MarkerScale {
    Objects.requireNonNull(column, "column");
    marker = marker == null ? column : marker;
    transform = transform == null ? "none" : transform;
  }

  /** The scale of {@code values} (R type 7 percentiles, NaNs left out). */
  public static MarkerScale of(String column, String marker, String transform, double[] values) {
    double[] finite = java.util.Arrays.stream(values).filter(Double::isFinite).toArray();
    if (finite.length == 0) {
      return new MarkerScale(column, marker, transform, Double.NaN, Double.NaN);
    }
    double[] q = Quantiles.type7(finite, new double[] {LOW, HIGH});
    return new MarkerScale(column, marker, transform, q[0], q[1]);
  }

  /**
   * {@code v} scaled to [0, 1]: 0 at or below the 1st percentile, 1 at or above the 99th; 0.5 when
   * the two are equal or unknown; NaN for NaN.
   */
  public double scaled(double v) {
    if (Double.isNaN(v)) {
      return Double.NaN;
    }
    if (!(hi > lo)) {
      return 0.5;
    }
    return Math.max(0, Math.min(1, (v - lo) / (hi - lo)));
  }
}
