package org.cytolake.gating;

import java.util.List;
import java.util.Objects;

/**
 * A range, rectangle or hyper-rectangle gate. Per dimension the range is min-inclusive and max-exclusive
 * (Gating-ML 2.0 section 5.2.1); an absent limit is open (-infinity or +infinity). An event with a NaN value on a
 * dimension is outside.
 *
 * @param min lower limits, {@code Double.NEGATIVE_INFINITY} when absent
 * @param max upper limits, {@code Double.POSITIVE_INFINITY} when absent
 * @param auto the limits found per sample ({@link AdaptiveThresholdSpec}), in dimension order; the
 *     fixed limit ({@code min} or {@code max}) of each is its fallback. Empty for a fixed gate.
 */
public record RectangleGate(
    String id,
    String parentId,
    List<Dimension> dimensions,
    double[] min,
    double[] max,
    List<AutoLimit> auto)
    implements Gate {

  /**
   * A limit of one dimension found per sample.
   *
   * @param dimension the index of the dimension
   * @param upper true for the max limit, false for the min limit
   */
  public record AutoLimit(int dimension, boolean upper, AdaptiveThresholdSpec spec) {
    public AutoLimit {
      Objects.requireNonNull(spec, "spec");
    }

    /** {@code min} or {@code max}. */
    public String side() {
      return upper ? "max" : "min";
    }
  }

  /** A fixed gate. */
  public RectangleGate(
      String id, String parentId, List<Dimension> dimensions, double[] min, double[] max) {
    this(id, parentId, dimensions, min, max, List.of());
  }

  public RectangleGate {
    Objects.requireNonNull(id, "id");
    dimensions = List.copyOf(dimensions);
    auto = List.copyOf(auto);
    if (dimensions.isEmpty()
        || min.length != dimensions.size()
        || max.length != dimensions.size()) {
      throw new IllegalArgumentException(
          "Cannot create rectangle gate '"
              + id
              + "': "
              + dimensions.size()
              + " dimensions, "
              + min.length
              + " minima, "
              + max.length
              + " maxima");
    }
    min = min.clone();
    max = max.clone();
    for (AutoLimit a : auto) {
      if (a.dimension() < 0 || a.dimension() >= dimensions.size()) {
        throw new IllegalArgumentException(
            "Cannot create rectangle gate '"
                + id
                + "': auto limit on dimension "
                + a.dimension()
                + " of "
                + dimensions.size());
      }
      (a.upper() ? max : min)[a.dimension()] = a.spec().fallback();
    }
  }

  /** Whether some limit is found per sample. */
  public boolean isAdaptive() {
    return !auto.isEmpty();
  }

  /** This gate with these limits and none found per sample (a sample's resolved gate). */
  public RectangleGate withLimits(double[] newMin, double[] newMax) {
    return new RectangleGate(id, parentId, dimensions, newMin, newMax, List.of());
  }

  /** Whether a point (one value per dimension) is inside. */
  public boolean contains(double[] point) {
    for (int d = 0; d < min.length; d++) {
      double v = point[d];
      if (!(v >= min[d] && v < max[d])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public double[] min() {
    return min.clone();
  }

  @Override
  public double[] max() {
    return max.clone();
  }
}
