package org.cytolake.normalise;

import java.util.Arrays;

/**
 * A monotone piecewise-cubic Hermite interpolant through points (x, y), as R's {@code
 * stats::splinefun(x, y, method = "monoH.FC")} defines it (Fritsch and Carlson, 1980, SIAM J.
 * Numer. Anal. 17:238), which is what CytoNorm fits per batch and channel. Immutable.
 *
 * <p>Construction, in R's order:
 *
 * <ol>
 *   <li>Points are sorted by x; points with equal x become one, whose y is the mean of theirs (R's
 *       default {@code ties = mean}, two-pass as R's {@code mean}). NaN points are left out.
 *   <li>Secants S<sub>k</sub> = (y<sub>k+1</sub> − y<sub>k</sub>) / (x<sub>k+1</sub> −
 *       x<sub>k</sub>); initial slopes m: the first and last secant at the ends, the mean of the
 *       two adjacent secants inside.
 *   <li>One pass over the intervals from left to right: where S<sub>k</sub> = 0 both end slopes of
 *       the interval become 0; otherwise, with α = m<sub>k</sub>/S<sub>k</sub> and β =
 *       m<sub>k+1</sub>/S<sub>k</sub>, when 2α + β − 3 > 0, α + 2β − 3 > 0 and α(3α + 3β − 6) <
 *       (2α + β − 3)² (outside the monotonicity region), both are scaled by τ = 3 / √(α² + β²).
 * </ol>
 *
 * <p>Evaluation: inside [x<sub>1</sub>, x<sub>n</sub>) the cubic Hermite polynomial of the interval
 * that holds the value ({@code findInterval}); at or beyond the last knot, and below the first,
 * the straight line through the end knot with its slope (R's default {@code extrapol =
 * "linear"}); NaN gives NaN.
 *
 * <p>Monotone on strictly increasing data; the single pass can set a slope to 0 (a flat interval
 * next) after the interval before it was checked, and that interval can then overshoot slightly
 * (through (0,0), (1,6), (2,7), (3,7) it reaches 7.008 inside [1, 2]). This is kept, for parity.
 */
public final class MonotoneSpline {
  private final double[] x;
  private final double[] y;
  private final double[] m;

  private MonotoneSpline(double[] x, double[] y, double[] m) {
    this.x = x;
    this.y = y;
    this.m = m;
  }

  /**
   * The spline through (x[i], y[i]).
   *
   * @throws IllegalArgumentException when the arrays differ in length or fewer than two distinct
   *     x values remain
   */
  public static MonotoneSpline fit(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "Cannot fit spline: " + x.length + " x values but " + y.length + " y values");
    }
    Integer[] order = new Integer[x.length];
    int kept = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
        order[kept++] = i;
      }
    }
    Integer[] idx = Arrays.copyOf(order, kept);
    Arrays.sort(idx, (a, b) -> x[a] < x[b] ? -1 : x[a] > x[b] ? 1 : 0);
    double[] ux = new double[kept];
    double[] uy = new double[kept];
    int n = 0;
    for (int i = 0; i < kept; ) {
      int j = i;
      while (j < kept && x[idx[j]] == x[idx[i]]) {
        j++;
      }
      ux[n] = x[idx[i]];
      uy[n] = mean(y, idx, i, j);
      n++;
      i = j;
    }
    if (n < 2) {
      throw new IllegalArgumentException(
          "Cannot fit spline: " + n + " distinct x value(s), at least 2 are needed");
    }
    ux = Arrays.copyOf(ux, n);
    uy = Arrays.copyOf(uy, n);
    double[] s = new double[n - 1];
    for (int k = 0; k < n - 1; k++) {
      s[k] = (uy[k + 1] - uy[k]) / (ux[k + 1] - ux[k]);
    }
    double[] m = new double[n];
    m[0] = s[0];
    m[n - 1] = s[n - 2];
    for (int k = 1; k < n - 1; k++) {
      m[k] = (s[k] + s[k - 1]) / 2;
    }
    for (int k = 0; k < n - 1; k++) {
      if (s[k] == 0) {
        m[k] = 0;
        m[k + 1] = 0;
        continue;
      }
      double alpha = m[k] / s[k];
      double beta = m[k + 1] / s[k];
      double a2b3 = 2 * alpha + beta - 3;
      double ab23 = alpha + 2 * beta - 3;
      if (a2b3 > 0 && ab23 > 0 && alpha * (a2b3 + ab23) < a2b3 * a2b3) {
        double tau = 3 * s[k] / Math.sqrt(alpha * alpha + beta * beta);
        m[k] = tau * alpha;
        m[k + 1] = tau * beta;
      }
    }
    return new MonotoneSpline(ux, uy, m);
  }

  /**
   * The identity, v ↦ v exactly: one knot (0, 0) with slope 1, extended linearly both ways. What a
   * clustered model uses where a batch, cluster and channel cannot be fitted ({@link
   * ClusteredQuantileNormaliser}).
   */
  public static MonotoneSpline identity() {
    return new MonotoneSpline(new double[] {0}, new double[] {0}, new double[] {1});
  }

  /** Whether this is {@link #identity()}. */
  public boolean isIdentity() {
    return x.length == 1 && x[0] == 0 && y[0] == 0 && m[0] == 1;
  }

  /** R's {@code mean}: the sum over the count, corrected by the mean residual. */
  private static double mean(double[] y, Integer[] idx, int from, int to) {
    int count = to - from;
    if (count == 1) {
      return y[idx[from]];
    }
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += y[idx[i]];
    }
    double mean = sum / count;
    double residual = 0;
    for (int i = from; i < to; i++) {
      residual += y[idx[i]] - mean;
    }
    return mean + residual / count;
  }

  /** The spline's value at {@code v}. */
  public double value(double v) {
    if (Double.isNaN(v)) {
      return Double.NaN;
    }
    int n = x.length;
    // i = the number of knots <= v, as R's findInterval (primitive comparison: -0.0 == 0.0)
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (x[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    int i = lo;
    if (i == 0) {
      return y[0] + m[0] * (v - x[0]);
    }
    if (i == n) {
      return y[n - 1] + m[n - 1] * (v - x[n - 1]);
    }
    int j = i - 1;
    double h = x[j + 1] - x[j];
    double t = (v - x[j]) / h;
    double t1 = t - 1;
    double h01 = t * t * (3 - 2 * t);
    double h00 = 1 - h01;
    double tt1 = t * t1;
    double h10 = tt1 * t1;
    double h11 = tt1 * t;
    return y[j] * h00 + h * m[j] * h10 + y[j + 1] * h01 + h * m[j + 1] * h11;
  }

  /** The knots' x values after ties were merged (a copy). */
  public double[] knotsX() {
    return x.clone();
  }

  /** The knots' y values after ties were merged (a copy). */
  public double[] knotsY() {
    return y.clone();
  }

  /** The slopes at the knots after the monotonicity fix (a copy). */
  public double[] slopes() {
    return m.clone();
  }
}
