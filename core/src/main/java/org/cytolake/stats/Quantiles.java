package org.cytolake.stats;

import java.util.Arrays;
import java.util.Collection;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

/**
 * The one home of medians and quantiles. Two definitions, as in R, which do not always agree in
 * the last bit:
 *
 * <ul>
 *   <li>{@link #median}: R's {@code median()}: the middle value of the sorted values, or the mean
 *       {@code (a + b) / 2} of the two middle ones for an even count.
 *   <li>{@link #quartiles}: R's {@code quantile(x, type = 7)} (the default of R and of
 *       numpy/pandas): at p, x[h] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]) with h = (n − 1)p + 1 on sorted
 *       x, from Apache Commons Math ({@link EstimationType#R_7}); its 50% is
 *       {@code a + 0.5 (b − a)} for an even count.
 * </ul>
 *
 * <p>NaN: the caller says what a NaN value is ({@link NaNs}); there is no default, because the
 * call sites differ and each keeps its own. The empty set (after leaving NaN out) has median NaN.
 */
public final class Quantiles {
  private Quantiles() {}

  /** What a median does with NaN values. */
  public enum NaNs {
    /**
     * NaN values are left out; the median of what remains (NaN when nothing does). Used where a
     * NaN means "missing".
     */
    LEFT_OUT,
    /**
     * NaN is a value greater than every other, as {@link Double#compare} and {@link Arrays#sort}
     * order it: it counts, and the median is NaN when a NaN is in the middle, otherwise a
     * non-NaN value of the upper half moved down. Used where values are never expected to be
     * NaN (timings, counts, percentages) and where a NaN event value has always counted so
     * (gated population medians).
     */
    ORDERED_LAST
  }

  /**
   * The median of the first {@code n} values of {@code v}, reordering them in place ({@code v} is a
   * scratch buffer: no copy is made, for the per-population medians of millions of events). The
   * value is bit for bit that of sorting ({@link Arrays#sort(double[])}: -0.0 before 0.0, NaN last)
   * and reading the middle, but found by selecting the one or two middle order statistics ({@link
   * #selectInPlace}), linear rather than n log n: the sort was half of the gate step's time
   * (BENCHMARKS.md, session 13).
   */
  public static double medianInPlace(double[] v, int n, NaNs nans) {
    if (n < 0 || n > v.length) {
      throw new IllegalArgumentException(
          "Cannot take the median of " + n + " values of an array " + "of " + v.length);
    }
    int k = n;
    if (nans == NaNs.LEFT_OUT) {
      for (int i = 0; i < n; i++) {
        if (Double.isNaN(v[i])) {
          k--;
        }
      }
    }
    if (k == 0) {
      return Double.NaN;
    }
    // NaN sorts last, so the k values not left out are the first k of the sorted order
    int hi = k / 2;
    if (k % 2 == 1) {
      selectInPlace(v, 0, n - 1, hi);
      return v[hi];
    }
    selectInPlace(v, 0, n - 1, hi - 1);
    double next = v[hi];
    for (int i = hi + 1; i < n; i++) {
      if (Double.compare(v[i], next) < 0) {
        next = v[i];
      }
    }
    return (v[hi - 1] + next) / 2;
  }

  /**
   * Moves the {@code k}-th smallest of {@code a[left .. right]} (in {@link Double#compare}'s order,
   * as {@link Arrays#sort(double[])} orders) to {@code a[k]}, the smaller ones before it and the
   * larger ones after it (quickselect, median-of-three pivots).
   */
  public static void selectInPlace(double[] a, int left, int right, int k) {
    if (k < left || k > right) {
      throw new IllegalArgumentException(
          "Cannot select order statistic " + k + " of a[" + left + " .. " + right + "]");
    }
    while (right > left) {
      int mid = (left + right) >>> 1;
      if (Double.compare(a[mid], a[left]) < 0) {
        swap(a, mid, left);
      }
      if (Double.compare(a[right], a[left]) < 0) {
        swap(a, right, left);
      }
      if (Double.compare(a[right], a[mid]) < 0) {
        swap(a, right, mid);
      }
      double pivot = a[mid];
      int i = left;
      int j = right;
      while (i <= j) {
        while (Double.compare(a[i], pivot) < 0) {
          i++;
        }
        while (Double.compare(a[j], pivot) > 0) {
          j--;
        }
        if (i <= j) {
          swap(a, i, j);
          i++;
          j--;
        }
      }
      if (k <= j) {
        right = j;
      } else if (k >= i) {
        left = i;
      } else {
        return;
      }
    }
  }

  private static void swap(double[] a, int i, int j) {
    double t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  /** The median of {@code values} (not changed). */
  public static double median(double[] values, NaNs nans) {
    return medianInPlace(values.clone(), values.length, nans);
  }

  /** The median of {@code values}; a null element is a problem, not a NaN. */
  public static double median(Collection<Double> values, NaNs nans) {
    double[] v = new double[values.size()];
    int i = 0;
    for (Double x : values) {
      v[i++] = x;
    }
    return medianInPlace(v, v.length, nans);
  }

  /**
   * R type 7 quartiles of {@code values}, NaN values left out.
   *
   * @param n values that are not NaN
   * @param q1 the 25th percentile (NaN when n = 0), likewise below
   * @param median the 50th percentile (R type 7: may differ from {@link #median} in the last bit)
   * @param q3 the 75th percentile
   */
  public record Quartiles(int n, double q1, double median, double q3) {}

  /** R {@code quantile(values, c(0.25, 0.5, 0.75), type = 7)}, NaN values left out. */
  public static Quartiles quartiles(double[] values) {
    double[] sorted = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (sorted.length == 0) {
      return new Quartiles(0, Double.NaN, Double.NaN, Double.NaN);
    }
    Percentile p = new Percentile().withEstimationType(EstimationType.R_7);
    p.setData(sorted);
    double median = p.evaluate(50);
    return new Quartiles(sorted.length, p.evaluate(25), median, p.evaluate(75));
  }

  /** The R type 7 median: {@code quantile(values, 0.5, type = 7)}, NaN values left out. */
  public static double type7Median(double[] values) {
    return quartiles(values).median();
  }

  /**
   * R {@code quantile(values, probs, type = 7)} at each probability, NaN values left out, computed
   * as R's {@code quantile.default} does it so that results agree with R to the last bit: with
   * sorted x and h = 1 + (n − 1)p, the value x[⌊h⌋], replaced by (1 − f) x[⌊h⌋] + f x[⌈h⌉] with f =
   * h − ⌊h⌋ when f > 0 and the two values differ. (This weighted form can differ in the last bit
   * from {@link #quartiles}, which Commons Math computes as x[⌊h⌋] + f (x[⌈h⌉] − x[⌊h⌋]).) All NaN
   * when no value is left.
   *
   * @param probs probabilities in [0, 1]
   * @throws IllegalArgumentException naming the first probability outside [0, 1]
   */
  public static double[] type7(double[] values, double[] probs) {
    for (double p : probs) {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException(
            "Cannot compute quantiles: probability " + p + " is not in [0, 1]");
      }
    }
    double[] x = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    double[] q = new double[probs.length];
    if (x.length == 0) {
      Arrays.fill(q, Double.NaN);
      return q;
    }
    int n = x.length;
    for (int k = 0; k < probs.length; k++) {
      double index = 1 + (n - 1) * probs[k];
      int lo = (int) Math.floor(index);
      int hi = (int) Math.ceil(index);
      double value = x[lo - 1];
      double f = index - lo;
      if (index > lo && x[hi - 1] != value) {
        value = (1 - f) * value + f * x[hi - 1];
      }
      q[k] = value;
    }
    return q;
  }
}
