package org.cytolake.plot;

import java.util.Objects;
import org.cytolake.gating.Dimension;

/**
 * Where a gate's dimensions fall on a plot's axes, and how a gate coordinate becomes a plot coordinate. The lake's
 * strategies are on the events columns themselves ({@link #byName}: a dimension is on an axis when its name is the
 * axis column, and coordinates carry over); {@code plot-fcs} maps a Gating-ML dimension's own transformation back to
 * data and onto the axis's transform.
 */
public interface AxisProjection {

  /** The axis of a dimension: 0 for x, 1 for y, -1 when it is on neither. */
  int axisOf(Dimension d);

  /** A gate coordinate on dimension {@code d} (one {@link #axisOf} places) as a plot coordinate. */
  double toPlot(Dimension d, double v);

  /** Whether {@link #toPlot} is affine on {@code d}, so that straight gate edges stay straight on the plot. */
  boolean affine(Dimension d);

  /**
   * The axis of a dimension named like an axis column: 0 for {@code x}, 1 for {@code y}, -1 when
   * it is on neither or a ratio ({@link Dimension#isDerived}).
   */
  static int axisByName(Dimension d, String x, String y) {
    if (d.isDerived()) {
      return -1;
    }
    return d.name().equals(x) ? 0 : d.name().equals(y) ? 1 : -1;
  }

  /**
   * Dimensions named like the axis columns, identity coordinates; a ratio dimension is on no axis.
   *
   * @param y the y column, or null for a histogram
   */
  static AxisProjection byName(String x, String y) {
    Objects.requireNonNull(x, "x");
    return new AxisProjection() {
      @Override
      public int axisOf(Dimension d) {
        return axisByName(d, x, y);
      }

      @Override
      public double toPlot(Dimension d, double v) {
        return v;
      }

      @Override
      public boolean affine(Dimension d) {
        return true;
      }
    };
  }
}
