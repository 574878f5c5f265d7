package org.cytolake.stats;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * Paired Wilcoxon signed-rank test, two-sided, with the conventions of R's {@code wilcox.test(x, y,
 * paired = TRUE)}: zero differences are dropped; with fewer than 50 non-zero differences and no
 * ties the p-value is exact (the null distribution of V counted by dynamic programming); otherwise
 * the normal approximation with tie-corrected variance and a continuity correction of 0.5. Ranks
 * (average ranks for ties) and the normal distribution come from Apache Commons Math, whose own
 * {@code WilcoxonSignedRankTest} keeps zero differences and has neither correction.
 */
public final class WilcoxonSignedRank {
  /** Below this many non-zero differences, without ties, the p-value is exact. */
  public static final int EXACT_BELOW = 50;

  private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

  private WilcoxonSignedRank() {}

  /**
   * The result of one test.
   *
   * @param n pairs with a non-zero difference
   * @param v V, the sum of the ranks of the positive differences
   * @param p two-sided p-value (NaN when n is 0)
   * @param exact whether p is exact (else normal approximation)
   */
  public record Result(int n, double v, double p, boolean exact) {}

  /** Tests {@code after - before} against zero; pairs where either value is NaN are skipped. */
  public static Result test(double[] after, double[] before) {
    if (after.length != before.length) {
      throw new IllegalArgumentException(
          "Cannot run a paired Wilcoxon test: "
              + after.length
              + " values after but "
              + before.length
              + " before");
    }
    double[] d = new double[after.length];
    int n = 0;
    for (int i = 0; i < after.length; i++) {
      double x = after[i] - before[i];
      if (!Double.isNaN(x) && x != 0) {
        d[n++] = x;
      }
    }
    return testDifferences(Arrays.copyOf(d, n));
  }

  /** Tests non-zero, non-NaN differences against zero. */
  public static Result testDifferences(double[] d) {
    int n = d.length;
    if (n == 0) {
      return new Result(0, 0, Double.NaN, true);
    }
    double[] abs = new double[n];
    for (int i = 0; i < n; i++) {
      abs[i] = Math.abs(d[i]);
    }
    double[] ranks = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).rank(abs);
    double v = 0;
    for (int i = 0; i < n; i++) {
      if (d[i] > 0) {
        v += ranks[i];
      }
    }
    double tieTerm = tieTerm(abs);
    if (n < EXACT_BELOW && tieTerm == 0) {
      return new Result(n, v, exactP(n, (int) Math.round(v)), true);
    }
    double mean = n * (n + 1) / 4.0;
    double sd = Math.sqrt(n * (n + 1) * (2 * n + 1) / 24.0 - tieTerm / 48.0);
    double z = v - mean;
    z = (z - Math.signum(z) * 0.5) / sd;
    double p = 2 * Math.min(NORMAL.cumulativeProbability(z), 1 - NORMAL.cumulativeProbability(z));
    return new Result(n, v, Math.min(1, p), false);
  }

  /** Σ (t³ - t) over groups of tied absolute differences. */
  private static double tieTerm(double[] abs) {
    double[] s = abs.clone();
    Arrays.sort(s);
    double sum = 0;
    for (int i = 0; i < s.length; ) {
      int j = i;
      while (j < s.length && s[j] == s[i]) {
        j++;
      }
      double t = j - i;
      sum += t * t * t - t;
      i = j;
    }
    return sum;
  }

  /** Two-sided exact p: 2 · min(P(V ≤ v), P(V ≥ v)), capped at 1. */
  static double exactP(int n, int v) {
    int max = n * (n + 1) / 2;
    double[] count = new double[max + 1];
    count[0] = 1;
    for (int r = 1; r <= n; r++) {
      for (int s = max; s >= r; s--) {
        count[s] += count[s - r];
      }
    }
    double total = Math.pow(2, n);
    double le = 0;
    double ge = 0;
    for (int s = 0; s <= max; s++) {
      if (s <= v) {
        le += count[s];
      }
      if (s >= v) {
        ge += count[s];
      }
    }
    return Math.min(1, 2 * Math.min(le, ge) / total);
  }
}
