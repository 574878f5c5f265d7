package org.cytolake.plot;

import java.util.ArrayList;
import java.util.List;

/**
 * How a plot's axes get their ranges: given ({@link AxisRange}), or the {@link #LOW_QUANTILE} and
 * {@link #HIGH_QUANTILE} quantiles (R's type 7) of the plotted events widened by {@link BinAxis#PADDING} on each side
 * ({@link BinAxis#padded}). A transform has no range of its own in the lake (asinh and linear columns are unbounded),
 * and quantiles keep a few extreme events from squeezing the populations into a corner. The quantiles are computed
 * (by the caller, on Spark) on a uniform sample of about {@link #SAMPLE} events ({@link #sampleFraction}).
 *
 * @param x the given x range, or null for the quantile range
 * @param y the given y range, or null for the quantile range (ignored for a histogram)
 * @param histogram whether the plot has an x axis only
 */
public record RangeChoice(AxisRange x, AxisRange y, boolean histogram) {

  /** The lower quantile of the automatic range. */
  public static final double LOW_QUANTILE = 0.001;

  /** The upper quantile of the automatic range. */
  public static final double HIGH_QUANTILE = 0.999;

  /**
   * About how many of the selected events the range quantiles are computed on: their values reach the driver
   * (two arrays of about this length), and a 10^6-event sample puts about 1,000 events below the 0.1% quantile,
   * plenty for a plot's range.
   */
  public static final long SAMPLE = 1_000_000;

  /** The seed of the range sample: the same plot each time. */
  public static final long SEED = 19;

  /** The plotted columns ({@code x}, {@code y}) whose range comes from quantiles, in that order. */
  public List<String> auto() {
    List<String> auto = new ArrayList<>();
    if (x == null) {
      auto.add("x");
    }
    if (!histogram && y == null) {
      auto.add("y");
    }
    return List.copyOf(auto);
  }

  /** {@code {LOW_QUANTILE, HIGH_QUANTILE}}. */
  public static double[] quantiles() {
    return new double[] {LOW_QUANTILE, HIGH_QUANTILE};
  }

  /**
   * The fraction of {@code events} selected events to sample for the quantiles: 1 when there are at most {@link
   * #SAMPLE}, else {@code SAMPLE / events}.
   */
  public static double sampleFraction(long events) {
    return sampleFraction(events, SAMPLE);
  }

  /** The fraction of {@code events} to sample for about {@code sample}: at most 1. */
  public static double sampleFraction(long events, long sample) {
    return events <= sample ? 1.0 : (double) sample / events;
  }

  /** The axes of a plot; {@code y} is null for a histogram. */
  public record Axes(BinAxis x, BinAxis y) {}

  /**
   * The axes of {@code bins} bins: a given range as it is, else the quantiles padded.
   *
   * @param q per column of {@link #auto()}, its {@link #quantiles()} (empty when there are no values)
   * @param plotted what was plotted, for the error message: {@link PlotText#values}
   * @throws IllegalArgumentException when a column of {@link #auto()} had no values
   */
  public Axes axes(double[][] q, int bins, String plotted) {
    for (double[] qs : q) {
      if (qs.length < 2) {
        throw new IllegalArgumentException("Cannot plot: no events with a value of " + plotted);
      }
    }
    int k = 0;
    BinAxis xAxis = x != null ? x.axis(bins) : BinAxis.padded(q[k][0], q[k++][1], bins);
    BinAxis yAxis =
        histogram ? null : y != null ? y.axis(bins) : BinAxis.padded(q[k][0], q[k][1], bins);
    return new Axes(xAxis, yAxis);
  }

  /**
   * The ranges as a plot's subtitle says them: {@code given}, {@code 0.1-99.9% quantiles ±5%}, or that followed by
   * the automatic axis ({@code (x)}) when the other was given.
   */
  public String describe() {
    List<String> auto = auto();
    if (auto.isEmpty()) {
      return "given";
    }
    return "0.1-99.9% quantiles ±5%"
        + (auto.size() == (histogram ? 1 : 2) ? "" : " (" + String.join(", ", auto) + ")");
  }
}
