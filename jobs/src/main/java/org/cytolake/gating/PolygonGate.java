package org.cytolake.gating;

import java.util.List;
import java.util.Objects;

/**
 * A polygon gate on two dimensions (Gating-ML 2.0 section 5.2.2): the vertices in order, the last joined to the
 * first. A point exactly on an edge (or a vertex) is inside, as the compliance results require (set 2, gate
 * Poly1u: events with PE-A = FITC-A / 2 on the edge from (0, 0) to (200000, 100000) are in). Any other point is
 * inside by the even-odd (crossing number) rule: a ray from the point towards +x crosses the boundary an odd
 * number of times, each edge taken half-open in y so that a ray through a vertex is counted once.
 */
public record PolygonGate(
    String id, String parentId, List<Dimension> dimensions, double[] x, double[] y)
    implements Gate {

  public PolygonGate {
    Objects.requireNonNull(id, "id");
    dimensions = List.copyOf(dimensions);
    if (dimensions.size() != 2) {
      throw new IllegalArgumentException(
          "Cannot create polygon gate '"
              + id
              + "': it needs 2 dimensions, not "
              + dimensions.size());
    }
    if (x.length != y.length || x.length < 3) {
      throw new IllegalArgumentException(
          "Cannot create polygon gate '"
              + id
              + "': it needs at least 3 vertices, not "
              + Math.min(x.length, y.length));
    }
    x = x.clone();
    y = y.clone();
  }

  /** Whether the point (px, py) is inside by the even-odd rule. */
  public boolean contains(double px, double py) {
    boolean inside = false;
    int n = x.length;
    for (int i = 0, j = n - 1; i < n; j = i++) {
      double yi = y[i];
      double yj = y[j];
      if (onSegment(x[j], yj, x[i], yi, px, py)) {
        return true;
      }
      if ((yi > py) != (yj > py)) {
        double cross = x[i] + (py - yi) * (x[j] - x[i]) / (yj - yi);
        if (px < cross) {
          inside = !inside;
        }
      }
    }
    return inside;
  }

  /** Whether (px, py) lies on the segment from (x0, y0) to (x1, y1): collinear (exactly) and within its box. */
  private static boolean onSegment(
      double x0, double y0, double x1, double y1, double px, double py) {
    if (px < Math.min(x0, x1)
        || px > Math.max(x0, x1)
        || py < Math.min(y0, y1)
        || py > Math.max(y0, y1)) {
      return false;
    }
    return (x1 - x0) * (py - y0) == (y1 - y0) * (px - x0);
  }

  @Override
  public double[] x() {
    return x.clone();
  }

  @Override
  public double[] y() {
    return y.clone();
  }
}
