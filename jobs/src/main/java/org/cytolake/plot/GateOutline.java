package org.cytolake.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cytolake.gating.Dimension;
import org.cytolake.gating.EllipsoidGate;
import org.cytolake.gating.Gate;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.PolygonGate;
import org.cytolake.gating.QuadrantGate;
import org.cytolake.gating.RectangleGate;

/**
 * The outline of one gate on a plot's axes, as polylines in plot coordinates. A gate is drawn only when every one
 * of its dimensions is on an axis ({@link AxisProjection}); a gate on any other dimension (and a Boolean gate, which
 * has none) gives no outline. On a 2D plot:
 *
 * <ul>
 *   <li>a rectangle on both axes: its finite sides, each clipped to the view (an open side is not drawn); a range on
 *       one axis: a line across the view at each finite limit;
 *   <li>a polygon: its vertices, closed;
 *   <li>an ellipsoid: its boundary sampled at {@link #ELLIPSE_POINTS} points, closed; on one axis: the two limits
 *       {@code μ ± sqrt(distanceSquare · C₁₁)};
 *   <li>a quadrant gate: a line across the view at every divider value.
 * </ul>
 *
 * On a histogram (no y axis) only gates on x alone are drawn, as vertical lines at their limits. Where the projection
 * is not affine (a Gating-ML transform that differs from the axis's), straight edges are drawn through {@link
 * #EDGE_STEPS} intermediate points, so they curve as the events do.
 *
 * @param gateId the gate's id
 * @param lines the polylines, each {@code [xs, ys]} in plot coordinates
 */
public record GateOutline(String gateId, List<Polyline> lines) {

  /** Points on an ellipse's boundary. */
  public static final int ELLIPSE_POINTS = 128;

  /** Segments per straight gate edge where the projection is not affine. */
  public static final int EDGE_STEPS = 32;

  /**
   * One polyline in plot coordinates.
   *
   * @param closed whether the last point joins the first
   */
  public record Polyline(double[] x, double[] y, boolean closed) {
    public Polyline {
      if (x.length != y.length || x.length < 2) {
        throw new IllegalArgumentException(
            "Cannot create polyline: "
                + x.length
                + " x and "
                + y.length
                + " y values (2 or more, as many)");
      }
      x = x.clone();
      y = y.clone();
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

  public GateOutline {
    Objects.requireNonNull(gateId, "gateId");
    lines = List.copyOf(lines);
  }

  /**
   * The outlines of every gate of a strategy that lies on the plot's axes, in document order.
   *
   * @param xView the plotted x range (where open sides and lines across end)
   * @param yView the plotted y range, or null for a histogram (lines then span {@code [0, 1]})
   */
  public static List<GateOutline> of(
      GatingStrategy strategy, AxisProjection projection, BinAxis xView, BinAxis yView) {
    List<GateOutline> out = new ArrayList<>();
    for (Gate g : strategy.gates().values()) {
      GateOutline o = of(g, projection, xView, yView);
      if (o != null) {
        out.add(o);
      }
    }
    return out;
  }

  /** One gate's outline, or null when it is not on the plot's axes. */
  public static GateOutline of(Gate gate, AxisProjection p, BinAxis xView, BinAxis yView) {
    List<Dimension> dims = gate.dimensions();
    if (dims.isEmpty() || dims.size() > 2) {
      return null;
    }
    int[] axes = new int[dims.size()];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = p.axisOf(dims.get(i));
      if (axes[i] < 0 || (yView == null && axes[i] == 1)) {
        return null;
      }
    }
    if (axes.length == 2 && axes[0] == axes[1]) {
      return null;
    }
    double yLo = yView == null ? 0 : yView.lo();
    double yHi = yView == null ? 1 : yView.hi();
    Drawer d = new Drawer(p, xView.lo(), xView.hi(), yLo, yHi);
    if (gate instanceof RectangleGate r) {
      d.rectangle(dims, axes, r.min(), r.max());
    } else if (gate instanceof PolygonGate g) {
      d.polygon(dims, axes, g.x(), g.y());
    } else if (gate instanceof EllipsoidGate e) {
      d.ellipsoid(dims, axes, e.mean(), e.covariance(), e.distanceSquare());
    } else if (gate instanceof QuadrantGate q) {
      for (QuadrantGate.Divider div : q.dividers()) {
        int axis = p.axisOf(div.dimension());
        for (double v : div.values()) {
          d.across(axis, p.toPlot(div.dimension(), v));
        }
      }
    }
    return d.lines.isEmpty() ? null : new GateOutline(gate.id(), d.lines);
  }

  /** Builds the polylines of one gate in plot coordinates. */
  private static final class Drawer {
    private final AxisProjection p;
    private final double xLo;
    private final double xHi;
    private final double yLo;
    private final double yHi;
    private final List<Polyline> lines = new ArrayList<>();

    Drawer(AxisProjection p, double xLo, double xHi, double yLo, double yHi) {
      this.p = p;
      this.xLo = xLo;
      this.xHi = xHi;
      this.yLo = yLo;
      this.yHi = yHi;
    }

    /** A line across the view at plot coordinate v of an axis (vertical for x). */
    void across(int axis, double v) {
      if (!Double.isFinite(v)) {
        return;
      }
      lines.add(
          axis == 0
              ? new Polyline(new double[] {v, v}, new double[] {yLo, yHi}, false)
              : new Polyline(new double[] {xLo, xHi}, new double[] {v, v}, false));
    }

    void rectangle(List<Dimension> dims, int[] axes, double[] min, double[] max) {
      if (dims.size() == 1) {
        across(axes[0], p.toPlot(dims.get(0), min[0]));
        across(axes[0], p.toPlot(dims.get(0), max[0]));
        return;
      }
      int ix = axes[0] == 0 ? 0 : 1;
      int iy = 1 - ix;
      Dimension dx = dims.get(ix);
      Dimension dy = dims.get(iy);
      // each finite side, from one corner to the other in gate coordinates (an open end at the
      // view's edge)
      double x0 = gateEdge(dx, min[ix], xLo, false);
      double x1 = gateEdge(dx, max[ix], xHi, true);
      double y0 = gateEdge(dy, min[iy], yLo, false);
      double y1 = gateEdge(dy, max[iy], yHi, true);
      boolean straight = p.affine(dx) && p.affine(dy);
      if (Double.isFinite(min[ix])) {
        segment(dx, dy, min[ix], y0, min[ix], y1, straight);
      }
      if (Double.isFinite(max[ix])) {
        segment(dx, dy, max[ix], y0, max[ix], y1, straight);
      }
      if (Double.isFinite(min[iy])) {
        segment(dx, dy, x0, min[iy], x1, min[iy], straight);
      }
      if (Double.isFinite(max[iy])) {
        segment(dx, dy, x0, max[iy], x1, max[iy], straight);
      }
    }

    /**
     * A gate limit for drawing a side: the limit itself when finite, else a gate coordinate whose plot coordinate
     * lies at (or, for a non-affine projection, is searched just beyond) the view's edge.
     */
    private double gateEdge(Dimension d, double limit, double viewEdge, boolean upper) {
      if (Double.isFinite(limit)) {
        return limit;
      }
      if (p.affine(d)) {
        // invert the affine map from two points
        double a = p.toPlot(d, 0);
        double b = p.toPlot(d, 1) - a;
        return b == 0 ? 0 : (viewEdge - a) / b;
      }
      // monotone: double a step until the plot coordinate passes the view's edge
      double g = upper ? 1 : -1;
      for (int i = 0; i < 200; i++, g *= 2) {
        double v = p.toPlot(d, g);
        if (Double.isNaN(v) || (upper ? v >= viewEdge : v <= viewEdge)) {
          return g;
        }
      }
      return g;
    }

    /** A straight gate segment from (ax, ay) to (bx, by) in gate coordinates, projected. */
    private void segment(
        Dimension dx, Dimension dy, double ax, double ay, double bx, double by, boolean straight) {
      int n = straight ? 1 : EDGE_STEPS;
      double[] xs = new double[n + 1];
      double[] ys = new double[n + 1];
      for (int i = 0; i <= n; i++) {
        double t = (double) i / n;
        xs[i] = p.toPlot(dx, ax + t * (bx - ax));
        ys[i] = p.toPlot(dy, ay + t * (by - ay));
      }
      lines.add(new Polyline(xs, ys, false));
    }

    void polygon(List<Dimension> dims, int[] axes, double[] gx, double[] gy) {
      boolean swap = axes[0] == 1;
      Dimension dx = swap ? dims.get(1) : dims.get(0);
      Dimension dy = swap ? dims.get(0) : dims.get(1);
      double[] vx = swap ? gy : gx;
      double[] vy = swap ? gx : gy;
      boolean straight = p.affine(dx) && p.affine(dy);
      int steps = straight ? 1 : EDGE_STEPS;
      int n = vx.length;
      double[] xs = new double[n * steps];
      double[] ys = new double[n * steps];
      for (int i = 0; i < n; i++) {
        int j = (i + 1) % n;
        for (int s = 0; s < steps; s++) {
          double t = (double) s / steps;
          xs[i * steps + s] = p.toPlot(dx, vx[i] + t * (vx[j] - vx[i]));
          ys[i * steps + s] = p.toPlot(dy, vy[i] + t * (vy[j] - vy[i]));
        }
      }
      lines.add(new Polyline(xs, ys, true));
    }

    void ellipsoid(List<Dimension> dims, int[] axes, double[] mean, double[][] cov, double d2) {
      if (dims.size() == 1) {
        double half = Math.sqrt(d2 * cov[0][0]);
        across(axes[0], p.toPlot(dims.get(0), mean[0] - half));
        across(axes[0], p.toPlot(dims.get(0), mean[0] + half));
        return;
      }
      // boundary: mean + sqrt(d2) · L · (cos t, sin t), C = L Lᵀ (Cholesky of the 2 x 2 covariance)
      double l11 = Math.sqrt(cov[0][0]);
      double l21 = cov[1][0] / l11;
      double l22 = Math.sqrt(Math.max(0, cov[1][1] - l21 * l21));
      double r = Math.sqrt(d2);
      boolean swap = axes[0] == 1;
      Dimension dx = swap ? dims.get(1) : dims.get(0);
      Dimension dy = swap ? dims.get(0) : dims.get(1);
      double[] xs = new double[ELLIPSE_POINTS];
      double[] ys = new double[ELLIPSE_POINTS];
      for (int i = 0; i < ELLIPSE_POINTS; i++) {
        double t = 2 * Math.PI * i / ELLIPSE_POINTS;
        double u = r * Math.cos(t);
        double w = r * Math.sin(t);
        double g0 = mean[0] + l11 * u;
        double g1 = mean[1] + l21 * u + l22 * w;
        xs[i] = p.toPlot(dx, swap ? g1 : g0);
        ys[i] = p.toPlot(dy, swap ? g0 : g1);
      }
      lines.add(new Polyline(xs, ys, true));
    }
  }
}
