package org.cytolake.plot;

import java.util.List;
import java.util.Objects;

/**
 * What one image shows: a {@link DensityGrid} (2D density or 1D histogram), the gate outlines on its axes, and the
 * words every image carries: a title, subtitle lines (selection, population, event counts) and axis labels naming
 * marker, column and transform ({@link #axisLabel}).
 *
 * @param width image width in pixels
 * @param height image height in pixels
 */
public record DensityPlot(
    DensityGrid grid,
    List<GateOutline> outlines,
    String title,
    List<String> subtitles,
    String xLabel,
    String yLabel,
    int width,
    int height) {

  /** Bins per axis by default ({@code cytolake plot} and {@code plot-fcs}). */
  public static final int BINS_DEFAULT = 256;

  /** Default image width, pixels. */
  public static final int WIDTH_DEFAULT = 800;

  /** Default image height, pixels. */
  public static final int HEIGHT_DEFAULT = 700;

  public DensityPlot {
    Objects.requireNonNull(grid, "grid");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(xLabel, "xLabel");
    Objects.requireNonNull(yLabel, "yLabel");
    outlines = List.copyOf(outlines);
    subtitles = List.copyOf(subtitles);
    if (width < 100 || height < 100 || width > 10_000 || height > 10_000) {
      throw new IllegalArgumentException(
          "Cannot create plot: the image must be 100-10000 pixels wide and high, not "
              + width
              + " x "
              + height);
    }
  }

  /**
   * An axis label naming the marker, the column and the transform, e.g. {@code CD4 (cd4), asinh:cofactor=150}, or
   * {@code fsc_a, linear (no transform)} for a channel without a marker.
   *
   * @param marker the marker, or null (scatter, Time)
   * @param transformSpec the transform's spec ({@code none} when untransformed)
   */
  public static String axisLabel(String marker, String column, String transformSpec) {
    String name =
        marker == null || marker.isBlank() || marker.equals(column)
            ? column
            : marker + " (" + column + ")";
    String t =
        transformSpec == null || transformSpec.equals("none")
            ? "linear (no transform)"
            : transformSpec;
    return name + ", " + t;
  }

  /** The y label of a histogram: events per bin, with the bin width. */
  public static String histogramLabel(BinAxis x) {
    return String.format(java.util.Locale.ROOT, "events per bin (bin width %.4g)", x.width());
  }
}
