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
 */
public record RectangleGate(
    String id, String parentId, List<Dimension> dimensions, double[] min, double[] max)
    implements Gate {

  public RectangleGate {
    Objects.requireNonNull(id, "id");
    dimensions = List.copyOf(dimensions);
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
