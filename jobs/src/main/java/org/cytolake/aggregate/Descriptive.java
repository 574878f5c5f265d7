package org.cytolake.aggregate;

import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.cytolake.stats.Quantiles;

/**
 * Descriptive statistics of one group of values, as R's {@code mean}, {@code sd} (n − 1
 * denominator) and {@code quantile(x, type = 7)} (the default of R and of numpy/pandas;
 * {@link Quantiles#quartiles}).
 *
 * @param n values
 * @param mean arithmetic mean (NaN when n = 0)
 * @param sd sample standard deviation (NaN when n &lt; 2)
 * @param median 50th percentile
 * @param q1 25th percentile
 * @param q3 75th percentile
 */
public record Descriptive(int n, double mean, double sd, double median, double q1, double q3) {

  /** Statistics of {@code values} (NaN values are left out). */
  public static Descriptive of(double[] values) {
    DescriptiveStatistics s = new DescriptiveStatistics();
    for (double v : values) {
      if (!Double.isNaN(v)) {
        s.addValue(v);
      }
    }
    int n = (int) s.getN();
    if (n == 0) {
      return new Descriptive(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    Quantiles.Quartiles q = Quantiles.quartiles(s.getValues());
    return new Descriptive(
        n, s.getMean(), n < 2 ? Double.NaN : s.getStandardDeviation(), q.median(), q.q1(), q.q3());
  }
}
