package org.cytolake.plot.clusters;

import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.text.TextUtils;
import org.jfree.svg.SVGGraphics2D;

/**
 * A JFreeChart as a PNG (Java2D) or SVG (JFreeSVG) file, or as one {@code <svg>} element to inline
 * in the report, as {@code org.cytolake.plot.PlotRenderer} writes the density plots: headless, text
 * as {@code <text>} elements (the y label too), ids prefixed per element of a page, coordinates to
 * two decimals.
 */
public final class ChartImages {
  private ChartImages() {}

  /**
   * Checks, before anything is read, that {@code out} names a PNG or SVG file.
   *
   * @throws IllegalArgumentException when its name does not end in .png or .svg (any case)
   */
  public static void checkName(Path out) {
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!name.endsWith(".png") && !name.endsWith(".svg")) {
      throw new IllegalArgumentException(
          "Cannot write picture '" + out + "': the file name must end in .png or .svg");
    }
  }

  /**
   * Writes {@code chart} to {@code out}: SVG when its name ends in {@code .svg}, PNG in {@code .png}.
   *
   * @throws IllegalArgumentException for any other extension
   */
  public static void write(JFreeChart chart, int width, int height, Path out) throws IOException {
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".svg")) {
      Files.writeString(
          out,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svgElement(chart, width, height, null),
          StandardCharsets.UTF_8);
    } else if (name.endsWith(".png")) {
      BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      Graphics2D g2 = img.createGraphics();
      try {
        chart.draw(g2, new Rectangle(width, height));
      } finally {
        g2.dispose();
      }
      try (OutputStream o = Files.newOutputStream(out)) {
        if (!ImageIO.write(img, "png", o)) {
          throw new IOException("Cannot write picture '" + out + "': no PNG writer");
        }
      }
    } else {
      throw new IllegalArgumentException(
          "Cannot write picture '" + out + "': the file name must end in .png or .svg");
    }
  }

  /**
   * The chart as one {@code <svg>} element (no XML declaration).
   *
   * @param idPrefix prefixes its clip-path and gradient ids, unique per element of a page, or null
   */
  public static String svgElement(JFreeChart chart, int width, int height, String idPrefix) {
    SVGGraphics2D g2 = new SVGGraphics2D(width, height);
    // two decimals of a pixel: JFreeSVG's full float precision makes each dot ~1 kB
    java.text.DecimalFormat twoDecimals =
        new java.text.DecimalFormat(
            "0.##", java.text.DecimalFormatSymbols.getInstance(Locale.ROOT));
    g2.setGeomDoubleConverter(twoDecimals::format);
    g2.setTransformDoubleConverter(twoDecimals::format);
    if (idPrefix != null) {
      g2.setDefsKeyPrefix(idPrefix);
    }
    // as PlotRenderer: rotated text as a <text> element, not glyph outlines
    synchronized (org.cytolake.plot.PlotRenderer.class) {
      boolean workaround = TextUtils.isUseDrawRotatedStringWorkaround();
      TextUtils.setUseDrawRotatedStringWorkaround(false);
      try {
        chart.draw(g2, new Rectangle(width, height));
      } finally {
        TextUtils.setUseDrawRotatedStringWorkaround(workaround);
      }
    }
    String doc = g2.getSVGDocument();
    return doc.substring(doc.indexOf("<svg"));
  }
}
