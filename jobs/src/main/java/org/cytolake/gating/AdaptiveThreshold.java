package org.cytolake.gating;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import org.cytolake.stats.Quantiles;

/**
 * Finds a data-adaptive gate threshold in one sample ({@link AdaptiveThresholdSpec}), the class of
 * openCyto's {@code mindensity} and {@code tailgate}. Pure and deterministic: the values are sorted
 * first, so the result does not depend on the events' order.
 *
 * <ul>
 *   <li><b>valley</b>: a Gaussian kernel density of the values in the window, on {@value #GRID}
 *       points spanning it. The values are linearly binned onto the grid and the bins convolved
 *       with the kernel cut at {@value #KERNEL_SDS} bandwidths (the binned estimate of Wand and
 *       Jones, as R's {@code density} makes it, without the FFT); the bandwidth is Silverman's rule
 *       of thumb {@code 0.9 min(sd, IQR / 1.34) n^(-1/5)} (R's {@code bw.nrd0}) times {@code
 *       adjust}. A mode is an interior grid point higher than its left neighbour and at least as
 *       high as its right one. The two modes are the highest one and, of the others, the most
 *       prominent: the one highest above the density minimum between it and the highest mode (a
 *       ripple on the flank of a large population, as a small bandwidth gives, has little
 *       prominence; a real second population has the most). The threshold is that minimum (the
 *       leftmost if tied), raised or lowered into the bounds. Fallback when fewer than {@code
 *       minCount} values lie in the window, when the values do not vary, when there are not two
 *       modes, or when the minimum is above {@code maxValleyRatio} × the second mode's density
 *       (no clear valley).
 *   <li><b>tail</b>: the R type 7 {@code quantile} of the reference population's values, moved
 *       into the bounds. Fallback when the reference has fewer than {@code minCount} values.
 * </ul>
 *
 * NaN values are left out.
 */
public final class AdaptiveThreshold {
  /** Grid points of the density estimate. */
  public static final int GRID = 512;

  /** The kernel is cut at this many bandwidths. */
  static final double KERNEL_SDS = 4.0;

  private AdaptiveThreshold() {}

  /**
   * The threshold found in one sample.
   *
   * @param threshold the threshold to gate with (the fallback when {@code fallbackUsed})
   * @param fallbackUsed whether no threshold was found and the spec's fallback is used
   * @param detail what was found, or why nothing was, with the numbers
   */
  public record Resolution(double threshold, boolean fallbackUsed, String detail) {}

  /**
   * Finds the threshold.
   *
   * @param values for a valley, the values of the gate's parent population on the gate's dimension
   *     (outside the window or NaN: ignored); for a tail, those of the reference population
   */
  public static Resolution resolve(AdaptiveThresholdSpec spec, double[] values) {
    return spec.method() == AdaptiveThresholdSpec.Method.VALLEY
        ? valley(spec, values)
        : tail(spec, values);
  }

  private static Resolution valley(AdaptiveThresholdSpec spec, double[] values) {
    double lo = spec.windowMin();
    double hi = spec.windowMax();
    double[] x = Arrays.stream(values).filter(v -> v >= lo && v <= hi).sorted().toArray();
    if (x.length < spec.minCount()) {
      return fallback(
          spec,
          x.length
              + " values in window "
              + range(lo, hi)
              + ", fewer than minCount "
              + spec.minCount());
    }
    double h = spec.adjust() * silvermanBandwidth(x);
    if (!(h > 0)) {
      return fallback(spec, "the " + x.length + " values in the window do not vary");
    }
    double[] d = density(x, lo, hi, GRID, h);
    int first = -1;
    List<Integer> modes = new ArrayList<>();
    for (int i = 1; i < d.length - 1; i++) {
      if (d[i] > d[i - 1] && d[i] >= d[i + 1]) {
        modes.add(i);
        if (first < 0 || d[i] > d[first]) {
          first = i;
        }
      }
    }
    int second = -1;
    int min = -1;
    double prominence = 0;
    for (int m : modes) {
      if (m == first) {
        continue;
      }
      int low = Math.min(m, first);
      for (int i = low + 1; i <= Math.max(m, first); i++) {
        if (d[i] < d[low]) {
          low = i;
        }
      }
      if (second < 0 || d[m] - d[low] > prominence) {
        second = m;
        min = low;
        prominence = d[m] - d[low];
      }
    }
    double step = (hi - lo) / (GRID - 1);
    if (second < 0) {
      return fallback(
          spec,
          String.format(
              Locale.ROOT,
              "%s in window %s: no second mode (bandwidth %.4g)",
              first < 0 ? "no mode" : "one mode at " + fmt(lo + first * step),
              range(lo, hi),
              h));
    }
    int left = Math.min(first, second);
    int right = Math.max(first, second);
    double smaller = Math.min(d[first], d[second]);
    double ratio = d[min] / smaller;
    String found =
        String.format(
            Locale.ROOT,
            "modes at %s and %s, minimum at %s with %.3f of the smaller mode's density (bandwidth"
                + " %.4g, %d values)",
            fmt(lo + left * step),
            fmt(lo + right * step),
            fmt(lo + min * step),
            ratio,
            h,
            x.length);
    if (ratio > spec.maxValleyRatio()) {
      return fallback(spec, found + ": above maxValleyRatio " + spec.maxValleyRatio());
    }
    return bounded(spec, lo + min * step, found);
  }

  private static Resolution tail(AdaptiveThresholdSpec spec, double[] values) {
    double[] q = Quantiles.type7(values, new double[] {spec.quantile()});
    long n = Arrays.stream(values).filter(v -> !Double.isNaN(v)).count();
    if (n < spec.minCount()) {
      return fallback(
          spec,
          "reference '"
              + spec.reference()
              + "' has "
              + n
              + " values, fewer than minCount "
              + spec.minCount());
    }
    return bounded(
        spec,
        q[0],
        "quantile " + spec.quantile() + " of " + n + " values of '" + spec.reference() + "'");
  }

  private static Resolution bounded(AdaptiveThresholdSpec spec, double t, String found) {
    if (t < spec.boundMin()) {
      return new Resolution(
          spec.boundMin(), false, found + "; " + fmt(t) + " raised to bound " + spec.boundMin());
    }
    if (t > spec.boundMax()) {
      return new Resolution(
          spec.boundMax(), false, found + "; " + fmt(t) + " lowered to bound " + spec.boundMax());
    }
    return new Resolution(t, false, found);
  }

  private static Resolution fallback(AdaptiveThresholdSpec spec, String why) {
    return new Resolution(spec.fallback(), true, why + "; fallback " + spec.fallback());
  }

  /**
   * Silverman's rule of thumb, R's {@code bw.nrd0}: {@code 0.9 min(sd, IQR / 1.34) n^(-1/5)}, with
   * the sd when the IQR is 0 (and 0 when both are).
   *
   * @param sorted the values, sorted, no NaN
   */
  public static double silvermanBandwidth(double[] sorted) {
    double sd = new StandardDeviation().evaluate(sorted);
    Quantiles.Quartiles q = Quantiles.quartiles(sorted);
    double iqr = (q.q3() - q.q1()) / 1.34;
    double spread = iqr > 0 ? Math.min(sd, iqr) : sd;
    return 0.9 * spread * Math.pow(sorted.length, -0.2);
  }

  /**
   * The binned Gaussian kernel density of {@code values} (each in [lo, hi]) on {@code points} grid
   * points from lo to hi, normalised by the number of values (mass beyond the grid is lost).
   */
  public static double[] density(double[] values, double lo, double hi, int points, double h) {
    double step = (hi - lo) / (points - 1);
    double[] bins = new double[points];
    for (double v : values) {
      double pos = (v - lo) / step;
      int i = (int) Math.floor(pos);
      if (i >= points - 1) {
        bins[points - 1] += 1;
        continue;
      }
      double f = pos - i;
      bins[i] += 1 - f;
      bins[i + 1] += f;
    }
    int reach = (int) Math.ceil(KERNEL_SDS * h / step);
    double[] kernel = new double[Math.min(reach, points - 1) + 1];
    double norm = 1 / (values.length * h * Math.sqrt(2 * Math.PI));
    for (int k = 0; k < kernel.length; k++) {
      double z = k * step / h;
      kernel[k] = Math.exp(-0.5 * z * z) * norm;
    }
    double[] d = new double[points];
    for (int i = 0; i < points; i++) {
      if (bins[i] == 0) {
        continue;
      }
      int from = Math.max(0, i - kernel.length + 1);
      int to = Math.min(points - 1, i + kernel.length - 1);
      for (int j = from; j <= to; j++) {
        d[j] += bins[i] * kernel[Math.abs(j - i)];
      }
    }
    return d;
  }

  private static String range(double lo, double hi) {
    return "[" + lo + ", " + hi + "]";
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }
}
