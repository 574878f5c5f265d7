package org.cytolake.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.cytolake.plot.AxisRange;
import org.cytolake.plot.DensityPlot;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The image options {@code plot} and {@code plot-fcs} share (a picocli mixin), --out included. */
public final class PlotImageOptions {
  @Option(
      names = "--bins",
      paramLabel = "N",
      defaultValue = "" + DensityPlot.BINS_DEFAULT,
      description = "Bins per axis (default: ${DEFAULT-VALUE}).")
  int bins;

  @Option(
      names = "--x-range",
      paramLabel = "LO:HI",
      description = "Fixed x range (default: from quantiles).")
  String xRange;

  @Option(
      names = "--y-range",
      paramLabel = "LO:HI",
      description = "Fixed y range (default: from quantiles).")
  String yRange;

  @Option(
      names = "--size",
      paramLabel = "WxH",
      defaultValue = DensityPlot.WIDTH_DEFAULT + "x" + DensityPlot.HEIGHT_DEFAULT,
      description = "Image size in pixels (default: ${DEFAULT-VALUE}).")
  String size;

  @Mixin ImageOutOption out;

  /** --out. */
  Path out() {
    return out.out;
  }

  /** --x-range, or null. */
  AxisRange xRange() {
    return xRange == null ? null : AxisRange.parse(xRange);
  }

  /** --y-range, or null. */
  AxisRange yRange() {
    return yRange == null ? null : AxisRange.parse(yRange);
  }

  /** --size as {width, height}. */
  int[] size() {
    return size(size);
  }

  /** Parses {@code WxH}. */
  static int[] size(String text) {
    String[] p = text.toLowerCase(Locale.ROOT).split("x");
    try {
      if (p.length == 2) {
        return new int[] {Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip())};
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "Cannot read --size '"
            + text
            + "': expected WIDTHxHEIGHT in pixels, e.g. "
            + DensityPlot.WIDTH_DEFAULT
            + "x"
            + DensityPlot.HEIGHT_DEFAULT);
  }
}
