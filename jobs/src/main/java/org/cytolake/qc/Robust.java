package org.cytolake.qc;

import java.util.Arrays;
import org.cytolake.stats.Quantiles;

/** Robust location and scale over bins, and quantiles of sorted values. */
final class Robust {
  /** Scales a MAD to estimate the standard deviation of a normal distribution (as R's mad()). */
  static final double MAD_SCALE = 1.4826;

  private Robust() {}

  /** The median of the non-NaN values, NaN when there are none. */
  static double median(double[] values) {
    double[] v = finite(values);
    if (v.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(v);
    return quantileSorted(v, v.length, 0.5);
  }

  /** The scaled median absolute deviation of the non-NaN values from {@code center}. */
  static double mad(double[] values, double center) {
    double[] v = finite(values);
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.abs(v[i] - center);
    }
    return v.length == 0 ? Double.NaN : MAD_SCALE * median(v);
  }

  /** Number of non-NaN values. */
  static int countFinite(double[] values) {
    int n = 0;
    for (double x : values) {
      if (!Double.isNaN(x)) {
        n++;
      }
    }
    return n;
  }

  private static double[] finite(double[] values) {
    double[] v = new double[values.length];
    int n = 0;
    for (double x : values) {
      if (!Double.isNaN(x)) {
        v[n++] = x;
      }
    }
    return Arrays.copyOf(v, n);
  }

  /**
   * Quantile {@code q} of the first {@code n} (sorted, at least one) values, interpolated between
   * order statistics (Hyndman and Fan type 7, R's default).
   */
  static double quantileSorted(double[] sorted, int n, double q) {
    double h = (n - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, n - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  /** As {@link #quantileSorted(double[], int, double)} for floats. */
  static double quantileSorted(float[] sorted, int n, double q) {
    double h = (n - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, n - 1);
    return sorted[lo] + (h - lo) * ((double) sorted[hi] - sorted[lo]);
  }

  /**
   * Quantiles {@code qs} of the first {@code n} values (at least one), exactly as {@link
   * #quantileSorted(double[], int, double)} of the sorted values gives them, by selecting only the
   * order statistics they need instead of sorting (the per-bin sort was most of acquisition QC's
   * signal check, measured with JFR); reorders {@code values[0 .. n)}.
   *
   * @param out receives quantile {@code qs[i]} at {@code out[i]}
   */
  static void quantilesBySelection(double[] values, int n, double[] qs, double[] out) {
    int[] ks = new int[2 * qs.length];
    for (int i = 0; i < qs.length; i++) {
      int lo = (int) Math.floor((n - 1) * qs[i]);
      ks[2 * i] = lo;
      ks[2 * i + 1] = Math.min(lo + 1, n - 1);
    }
    Arrays.sort(ks);
    int from = 0;
    for (int k : ks) {
      if (k >= from) {
        Quantiles.selectInPlace(values, from, n - 1, k);
        from = k + 1;
      }
    }
    // Every order statistic a quantile reads now stands where sorting would put it.
    for (int i = 0; i < qs.length; i++) {
      out[i] = quantileSorted(values, n, qs[i]);
    }
  }
}
