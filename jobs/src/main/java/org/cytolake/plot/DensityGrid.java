package org.cytolake.plot;

import java.util.Arrays;
import java.util.Objects;

/**
 * Event counts on a grid: a 2D density ({@code y} not null, {@code x.bins() × y.bins()} cells, x fastest) or a 1D
 * histogram ({@code y} null, {@code x.bins()} cells). Immutable; {@link #plus} merges two grids of the same axes
 * (the per-partition or per-file grids of one plot), and {@link #builder} accumulates values.
 *
 * @param x the x axis
 * @param y the y axis, or null for a histogram
 * @param counts events per cell, index {@code iy * x.bins() + ix} (copied)
 * @param outside events with a value outside an axis range (not in any cell)
 * @param missing events with a NaN (or null) value on an axis (not in any cell)
 */
public record DensityGrid(BinAxis x, BinAxis y, long[] counts, long outside, long missing) {

  public DensityGrid {
    Objects.requireNonNull(x, "x");
    int cells = x.bins() * (y == null ? 1 : y.bins());
    if (counts.length != cells) {
      throw new IllegalArgumentException(
          "Cannot create density grid: "
              + cells
              + " cells need "
              + cells
              + " counts, not "
              + counts.length);
    }
    if (outside < 0 || missing < 0) {
      throw new IllegalArgumentException(
          "Cannot create density grid: negative outside ("
              + outside
              + ") or missing ("
              + missing
              + ") count");
    }
    counts = counts.clone();
  }

  /** An empty grid. */
  public static DensityGrid empty(BinAxis x, BinAxis y) {
    return new DensityGrid(x, y, new long[x.bins() * (y == null ? 1 : y.bins())], 0, 0);
  }

  /** Bins paired values (a histogram of {@code xs} when {@code y} is null; {@code ys} is then ignored). */
  public static DensityGrid of(BinAxis x, BinAxis y, double[] xs, double[] ys) {
    Builder b = builder(x, y);
    for (int i = 0; i < xs.length; i++) {
      b.add(xs[i], y == null ? 0 : ys[i]);
    }
    return b.build();
  }

  /** A builder for a grid with these axes. */
  public static Builder builder(BinAxis x, BinAxis y) {
    return new Builder(x, y);
  }

  /** Whether this is a 2D density (else a 1D histogram). */
  public boolean is2d() {
    return y != null;
  }

  @Override
  public long[] counts() {
    return counts.clone();
  }

  /** The count of cell (ix, iy); iy is 0 for a histogram. */
  public long count(int ix, int iy) {
    return counts[iy * x.bins() + ix];
  }

  /** Events in the cells. */
  public long binned() {
    long s = 0;
    for (long c : counts) {
      s += c;
    }
    return s;
  }

  /** Every event counted: binned, outside and missing. */
  public long total() {
    return binned() + outside + missing;
  }

  /** The largest cell count. */
  public long max() {
    long m = 0;
    for (long c : counts) {
      m = Math.max(m, c);
    }
    return m;
  }

  /**
   * The sum of two grids on the same axes.
   *
   * @throws IllegalArgumentException when the axes differ
   */
  public DensityGrid plus(DensityGrid other) {
    if (!x.equals(other.x) || !Objects.equals(y, other.y)) {
      throw new IllegalArgumentException(
          "Cannot merge density grids: axes "
              + x
              + ", "
              + y
              + " differ from "
              + other.x
              + ", "
              + other.y);
    }
    long[] sum = counts.clone();
    for (int i = 0; i < sum.length; i++) {
      sum[i] += other.counts[i];
    }
    return new DensityGrid(x, y, sum, outside + other.outside, missing + other.missing);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DensityGrid g
        && x.equals(g.x)
        && Objects.equals(y, g.y)
        && Arrays.equals(counts, g.counts)
        && outside == g.outside
        && missing == g.missing;
  }

  @Override
  public int hashCode() {
    return Objects.hash(x, y, Arrays.hashCode(counts), outside, missing);
  }

  /** Accumulates values, or counts per cell index (what the Spark binning collects). Not thread-safe. */
  public static final class Builder {
    private final BinAxis x;
    private final BinAxis y;
    private final long[] counts;
    private long outside;
    private long missing;

    private Builder(BinAxis x, BinAxis y) {
      this.x = Objects.requireNonNull(x, "x");
      this.y = y;
      this.counts = new long[x.bins() * (y == null ? 1 : y.bins())];
    }

    /** Adds one event ({@code vy} ignored for a histogram). */
    public Builder add(double vx, double vy) {
      return add(x.index(vx), y == null ? 0 : y.index(vy), 1);
    }

    /**
     * Adds {@code n} events by their {@link BinAxis#index} on each axis ({@code iy} 0 for a histogram): in a cell,
     * outside, or missing when either index is {@link BinAxis#MISSING}.
     */
    public Builder add(int ix, int iy, long n) {
      if (ix == BinAxis.MISSING || iy == BinAxis.MISSING) {
        missing += n;
      } else if (ix < 0 || ix >= x.bins() || iy < 0 || iy >= (y == null ? 1 : y.bins())) {
        outside += n;
      } else {
        counts[iy * x.bins() + ix] += n;
      }
      return this;
    }

    public DensityGrid build() {
      return new DensityGrid(x, y, counts, outside, missing);
    }
  }
}
