package org.cytolake.plot;

/**
 * One axis of a {@link DensityGrid}: {@code bins} equal bins over {@code [lo, hi)}. Bin {@code i} holds the values
 * {@code v} with {@code floor((v - lo) * bins / (hi - lo)) = i}: min-inclusive, max-exclusive, as a rectangle gate's
 * range. {@link #index} is the one definition of a value's bin; the Spark binning of {@code cytolake plot} writes
 * the same arithmetic as SQL ({@code org.cytolake.jobs.PlotFrames}), so both put every value in the same bin.
 *
 * @param lo the lower edge of the first bin
 * @param hi the upper edge of the last bin (excluded)
 * @param bins the number of bins, at least 1
 */
public record BinAxis(double lo, double hi, int bins) implements java.io.Serializable {

  /** {@link #index} of a value below {@code lo}. */
  public static final int BELOW = -1;

  /** {@link #index} of NaN. */
  public static final int MISSING = -2;

  /** The share of the range added on each side by {@link #padded}. */
  public static final double PADDING = 0.05;

  public BinAxis {
    if (bins < 1) {
      throw new IllegalArgumentException(
          "Cannot create bin axis: bins must be at least 1, not " + bins);
    }
    if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(lo < hi)) {
      throw new IllegalArgumentException(
          "Cannot create bin axis: the range needs finite lo < hi, not [" + lo + ", " + hi + ")");
    }
  }

  /**
   * An axis over {@code [lo, hi]} widened by {@link #PADDING} of its width on each side (a value at a quantile stays
   * off the frame); a degenerate range (lo = hi) becomes {@code lo ± max(0.5, |lo| / 10)}.
   */
  public static BinAxis padded(double lo, double hi, int bins) {
    if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo > hi) {
      throw new IllegalArgumentException(
          "Cannot create bin axis: the range needs finite lo <= hi, not [" + lo + ", " + hi + "]");
    }
    if (lo == hi) {
      double d = Math.max(0.5, Math.abs(lo) / 10);
      return new BinAxis(lo - d, hi + d, bins);
    }
    double pad = (hi - lo) * PADDING;
    return new BinAxis(lo - pad, hi + pad, bins);
  }

  /** {@code bins / (hi - lo)}: the factor {@link #index} multiplies by (the Spark binning uses the same value). */
  public double scale() {
    return bins / (hi - lo);
  }

  /**
   * The bin of a value: {@code 0..bins-1} inside, {@link #BELOW} below {@code lo}, {@code bins} at or above
   * {@code hi} (infinities included), {@link #MISSING} for NaN. Computed as {@code t = (v - lo) * scale()}, clamped
   * to {@code [-1, bins]}, then floored.
   */
  public int index(double v) {
    if (Double.isNaN(v)) {
      return MISSING;
    }
    double t = (v - lo) * scale();
    if (t < 0) {
      return BELOW;
    }
    if (t >= bins) {
      return bins;
    }
    return (int) Math.floor(t);
  }

  /** The lower edge of bin {@code i}. */
  public double edge(int i) {
    return lo + i * (hi - lo) / bins;
  }

  /** The width of one bin. */
  public double width() {
    return (hi - lo) / bins;
  }

  /** The middle of bin {@code i}. */
  public double center(int i) {
    return lo + (i + 0.5) * (hi - lo) / bins;
  }
}
