package org.cytolake.stats;

import java.util.Arrays;

/**
 * The Wasserstein-1 distance (Earth Mover's Distance) between two one-dimensional samples: the
 * integral over the real line of |F<sub>a</sub>(x) − F<sub>b</sub>(x)|, where F is a sample's
 * empirical distribution function. For samples of equal size it is the mean absolute difference of
 * the sorted samples. This is the definition of SciPy's {@code scipy.stats.wasserstein_distance}
 * (unweighted), against which it is tested.
 */
public final class Wasserstein {
  private Wasserstein() {}

  /**
   * The distance between samples {@code a} and {@code b} (sizes may differ; inputs are not
   * changed).
   *
   * @throws IllegalArgumentException when a sample is empty or holds a value that is not finite
   */
  public static double oneDimensional(double[] a, double[] b) {
    double[] x = sortedFinite(a, "first");
    double[] y = sortedFinite(b, "second");
    int i = 0;
    int j = 0;
    double sum = 0;
    double at = Math.min(x[0], y[0]);
    // walk the merged values; between two consecutive ones both distribution functions are flat
    while (i < x.length || j < y.length) {
      double next =
          Math.min(
              i < x.length ? x[i] : Double.POSITIVE_INFINITY,
              j < y.length ? y[j] : Double.POSITIVE_INFINITY);
      sum += Math.abs((double) i / x.length - (double) j / y.length) * (next - at);
      while (i < x.length && x[i] == next) {
        i++;
      }
      while (j < y.length && y[j] == next) {
        j++;
      }
      at = next;
    }
    return sum;
  }

  private static double[] sortedFinite(double[] v, String which) {
    if (v.length == 0) {
      throw new IllegalArgumentException(
          "Cannot compute the Wasserstein distance: the " + which + " sample is empty");
    }
    for (int k = 0; k < v.length; k++) {
      if (!Double.isFinite(v[k])) {
        throw new IllegalArgumentException(
            "Cannot compute the Wasserstein distance: value "
                + k
                + " of the "
                + which
                + " sample is "
                + v[k]);
      }
    }
    double[] s = v.clone();
    Arrays.sort(s);
    return s;
  }
}
