package org.cytolake.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Benjamini-Hochberg (1995) false discovery rate adjustment, as R's {@code p.adjust(p, "BH")}:
 * q_(i) = min over j ≥ i of p_(j) · m / j, capped at 1; NaN p-values are left out of m and stay NaN.
 */
public final class BenjaminiHochberg {
  private BenjaminiHochberg() {}

  /** The q-values, in the order of {@code p}. */
  public static double[] adjust(double[] p) {
    Integer[] idx =
        IntStream.range(0, p.length)
            .filter(i -> !Double.isNaN(p[i]))
            .boxed()
            .toArray(Integer[]::new);
    Arrays.sort(idx, Comparator.comparingDouble(i -> p[i]));
    int m = idx.length;
    double[] q = new double[p.length];
    Arrays.fill(q, Double.NaN);
    double running = 1;
    for (int k = m - 1; k >= 0; k--) {
      int i = idx[k];
      if (p[i] < 0 || p[i] > 1) {
        throw new IllegalArgumentException(
            "Cannot adjust p-value " + p[i] + " at position " + i + ": not in [0, 1]");
      }
      running = Math.min(running, p[i] * m / (k + 1));
      q[i] = running;
    }
    return q;
  }
}
