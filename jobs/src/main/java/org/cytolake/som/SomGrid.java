package org.cytolake.som;

import java.util.Arrays;

/**
 * A rectangular SOM grid of xdim × ydim nodes. Node {@code j} sits at column {@code j % xdim} and row
 * {@code j / xdim} (x varies fastest, as FlowSOM's {@code expand.grid(1:xdim, 1:ydim)}). The distance between two
 * nodes is the Chebyshev (max-norm) distance of their grid positions, as FlowSOM's
 * {@code dist(grid, method = "maximum")}.
 */
public record SomGrid(int xdim, int ydim) {

  /** FlowSOM's start radius is this quantile of all node-to-node grid distances. */
  public static final double DEFAULT_RADIUS_QUANTILE = 0.67;

  public SomGrid {
    if (xdim < 1 || ydim < 1) {
      throw new IllegalArgumentException(
          "Cannot create SOM grid " + xdim + " × " + ydim + ": both must be >= 1");
    }
  }

  public int nodes() {
    return xdim * ydim;
  }

  /** Chebyshev grid distance between nodes {@code a} and {@code b}. */
  public int distance(int a, int b) {
    return Math.max(Math.abs(a % xdim - b % xdim), Math.abs(a / xdim - b / xdim));
  }

  /**
   * The 0.67 quantile of the n × n matrix of grid distances (diagonal included), computed as R's default
   * {@code quantile(type = 7)}: FlowSOM's {@code quantile(nhbrdist, 0.67)}. For a 10 × 10 grid it is 4.
   */
  public double defaultRadius() {
    int n = nodes();
    double[] d = new double[n * n];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        d[a * n + b] = distance(a, b);
      }
    }
    Arrays.sort(d);
    double h = (d.length - 1) * DEFAULT_RADIUS_QUANTILE;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, d.length - 1);
    return d[lo] + (h - lo) * (d[hi] - d[lo]);
  }
}
