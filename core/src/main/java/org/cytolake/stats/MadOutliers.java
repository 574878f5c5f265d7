package org.cytolake.stats;

import org.cytolake.stats.Quantiles.NaNs;

/**
 * Outliers by the median absolute deviation: a value is an outlier when it lies more than {@code
 * k} MADs from the median of its set, {@code |x − median| > k · MAD}. The MAD is R's {@code
 * mad()}: {@code 1.4826 · median(|x − median(x)|)}, scaled so that it estimates the standard
 * deviation of normal data (so "3 MADs" reads as "3 SDs" for a well-behaved batch). NaN values
 * are left out of the median and the MAD and are never outliers. A set whose MAD is 0 (more than
 * half of its values equal) has no outlier: there is no spread to measure a distance in.
 *
 * <p>The report uses it for gating QC: a sample whose % of parent of a population is more than 3
 * MADs from the panel's median of that population.
 */
public record MadOutliers(double median, double mad, double k) {
  /** R's {@code mad()} constant, {@code 1 / qnorm(3/4)}. */
  public static final double CONSTANT = 1.4826;

  /** The default distance, in MADs, beyond which a value is an outlier. */
  public static final double K_DEFAULT = 3.0;

  public MadOutliers {
    if (!(k > 0)) {
      throw new IllegalArgumentException("Cannot flag MAD outliers: k must be > 0, not " + k);
    }
  }

  /** The median and MAD of {@code values} (not changed), with the distance {@code k}. */
  public static MadOutliers of(double[] values, double k) {
    double median = Quantiles.median(values, NaNs.LEFT_OUT);
    double[] dev = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      dev[i] = Math.abs(values[i] - median);
    }
    double mad = CONSTANT * Quantiles.median(dev, NaNs.LEFT_OUT);
    return new MadOutliers(median, mad, k);
  }

  /** Whether {@code x} lies more than {@code k} MADs from the median. */
  public boolean isOutlier(double x) {
    return !Double.isNaN(x) && mad > 0 && Math.abs(x - median) > k * mad;
  }

  /** How many MADs {@code x} lies from the median, signed (NaN when the MAD is 0 or x is NaN). */
  public double distance(double x) {
    return mad > 0 ? (x - median) / mad : Double.NaN;
  }

  /** For each of {@code values}, whether it is an outlier of them all. */
  public static boolean[] flags(double[] values, double k) {
    MadOutliers m = of(values, k);
    boolean[] out = new boolean[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = m.isOutlier(values[i]);
    }
    return out;
  }
}
