package org.cytolake.plot;

import java.nio.file.Path;
import java.util.Locale;

/** The checks on a plot's request made before anything is read: the number of bins and the image file's name. */
public final class PlotChecks {

  /** The fewest bins per axis. */
  public static final int BINS_MIN = 2;

  /** The most bins per axis. */
  public static final int BINS_MAX = 4096;

  private PlotChecks() {}

  /**
   * @throws IllegalArgumentException when {@code bins} is not {@value #BINS_MIN}-{@value #BINS_MAX}, or the name of
   *     {@code out} does not end in {@code .png} or {@code .svg} (case-insensitive)
   */
  public static void check(int bins, Path out) {
    checkBins(bins);
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!name.endsWith(".png") && !name.endsWith(".svg")) {
      throw new IllegalArgumentException(
          "Cannot plot to '" + out + "': the file name must end in .png or .svg");
    }
  }

  /** @throws IllegalArgumentException when {@code bins} is not {@value #BINS_MIN}-{@value #BINS_MAX} */
  public static void checkBins(int bins) {
    if (bins < BINS_MIN || bins > BINS_MAX) {
      throw new IllegalArgumentException(
          "Cannot plot: --bins must be " + BINS_MIN + "-" + BINS_MAX + ", not " + bins);
    }
  }
}
