package org.cytolake.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.cytolake.gating.Dimension;
import org.cytolake.gating.RectangleGate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class PlotRendererTest {
  @TempDir Path dir;

  static final BinAxis X = new BinAxis(0, 10, 256);
  static final BinAxis Y = new BinAxis(-2, 8, 256);

  /** Two blobs, and a gate at x >= 3 (a line across the view) and a box on both axes. */
  static DensityPlot plot(boolean twoD) {
    Random r = new Random(5);
    int n = 50_000;
    double[] xs = new double[n];
    double[] ys = new double[n];
    for (int i = 0; i < n; i++) {
      boolean b = i % 2 == 0;
      xs[i] = (b ? 2 : 6.5) + r.nextGaussian() * 0.6;
      ys[i] = (b ? 1 : 5) + r.nextGaussian() * 0.8;
    }
    DensityGrid grid = DensityGrid.of(X, twoD ? Y : null, xs, ys);
    Dimension a = Dimension.fcs("cd4", null, Dimension.UNCOMPENSATED);
    Dimension b = Dimension.fcs("cd8", null, Dimension.UNCOMPENSATED);
    List<GateOutline> outlines = new ArrayList<>();
    AxisProjection p = AxisProjection.byName("cd4", twoD ? "cd8" : null);
    outlines.add(
        GateOutline.of(
            new RectangleGate(
                "T", null, List.of(a), new double[] {3}, new double[] {Double.POSITIVE_INFINITY}),
            p,
            X,
            twoD ? Y : null));
    if (twoD) {
      outlines.add(
          GateOutline.of(
              new RectangleGate(
                  "box", null, List.of(a, b), new double[] {5, 3}, new double[] {8, 7}),
              p,
              X,
              Y));
    }
    return new DensityPlot(
        grid,
        outlines,
        "P1 CD4 vs CD8",
        List.of("sample S1 · population lymphocytes/T · 50,000 events"),
        DensityPlot.axisLabel("CD4", "cd4", "asinh:cofactor=150"),
        twoD
            ? DensityPlot.axisLabel("CD8", "cd8", "asinh:cofactor=150")
            : DensityPlot.histogramLabel(X),
        640,
        480);
  }

  @Test
  void aPngDecodesAtItsSizeWithTheGateLineAtItsThreshold() throws Exception {
    PlotRenderer.Rendered r = PlotRenderer.write(plot(true), dir.resolve("p.png"));
    BufferedImage img = ImageIO.read(r.file().toFile());
    assertNotNull(img);
    assertEquals(640, img.getWidth());
    assertEquals(480, img.getHeight());
    Rectangle2D area = r.dataArea();
    // the line x = 3: in a row below the box (y = 0 in data), gate red sits only around that column
    int row = (int) Math.round(area.getY() + (8 - 0.0) / 10 * area.getHeight());
    double expected = area.getX() + (3 - 0.0) / 10 * area.getWidth();
    double found = redColumn(img, row, (int) area.getX() + 2, (int) area.getMaxX() - 2);
    assertEquals(expected, found, 1.0, "gate line column in row " + row);
    // the box's left side x = 5 in a row through the box (y = 6)
    int boxRow = (int) Math.round(area.getY() + (8 - 6.0) / 10 * area.getHeight());
    double left = area.getX() + 5.0 / 10 * area.getWidth();
    double foundLeft =
        redColumn(
            img,
            boxRow,
            (int) (area.getX() + 4.0 / 10 * area.getWidth()),
            (int) (area.getX() + 5.5 / 10 * area.getWidth()));
    assertEquals(left, foundLeft, 1.0, "box side column");
    // a density cell is coloured, the corner without events is white
    assertEquals(Color.WHITE.getRGB(), img.getRGB((int) area.getMaxX() - 3, (int) area.getY() + 3));
    int blob =
        img.getRGB(
            (int) (area.getX() + 0.2 * area.getWidth()),
            (int) (area.getY() + 0.7 * area.getHeight()));
    assertTrue(blob != Color.WHITE.getRGB(), "the blob at (2, 1) is coloured");
  }

  @Test
  void aHistogramPngHasItsGateLineAtItsThreshold() throws Exception {
    PlotRenderer.Rendered r = PlotRenderer.write(plot(false), dir.resolve("h.png"));
    BufferedImage img = ImageIO.read(r.file().toFile());
    assertEquals(640, img.getWidth());
    Rectangle2D area = r.dataArea();
    int row = (int) Math.round(area.getY() + 0.05 * area.getHeight());
    double expected = area.getX() + 0.3 * area.getWidth();
    assertEquals(
        expected, redColumn(img, row, (int) area.getX() + 2, (int) area.getMaxX() - 2), 1.0);
  }

  @Test
  void anSvgParsesWithTitleLabelsAndTheGateLineAtItsThreshold() throws Exception {
    PlotRenderer.Rendered r = PlotRenderer.write(plot(true), dir.resolve("p.svg"));
    String svg = Files.readString(r.file());
    for (String text :
        List.of(
            "P1 CD4 vs CD8",
            "CD4 (cd4), asinh:cofactor=150",
            "CD8 (cd8), asinh:cofactor=150",
            "population lymphocytes/T",
            "events per bin")) {
      assertTrue(
          svg.contains(text),
          "the SVG says '"
              + text
              + "': "
              + svg.replaceAll("data:image[^\"]*", "").substring(0, Math.min(svg.length(), 6000)));
    }
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    Document doc = f.newDocumentBuilder().parse(r.file().toFile());
    assertEquals("svg", doc.getDocumentElement().getLocalName());
    assertEquals(
        640, Double.parseDouble(doc.getDocumentElement().getAttribute("width").replace("px", "")));
    Rectangle2D area = r.dataArea();
    double expected = area.getX() + 0.3 * area.getWidth();
    NodeList lines = doc.getElementsByTagNameNS("*", "line");
    boolean vertical = false;
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < lines.getLength(); i++) {
      Element l = (Element) lines.item(i);
      double x1 = Double.parseDouble(l.getAttribute("x1"));
      double x2 = Double.parseDouble(l.getAttribute("x2"));
      String stroke = l.getAttribute("stroke") + l.getAttribute("style");
      seen.add(x1 + "," + x2 + " " + stroke);
      if (Math.abs(x1 - expected) < 0.5
          && Math.abs(x2 - expected) < 0.5
          && stroke.contains("rgb(220,0,0)")) {
        vertical = true;
      }
    }
    assertTrue(vertical, "a red vertical line at x = " + expected + " px; lines: " + seen);
  }

  @Test
  void anotherExtensionIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PlotRenderer.write(plot(true), dir.resolve("p.jpg")));
    assertTrue(e.getMessage().contains(".png or .svg"), e.getMessage());
  }

  @Test
  void coloursRiseOnALogScale() {
    assertEquals(Color.WHITE, PlotRenderer.colour(0, 100));
    Color low = PlotRenderer.colour(1, 10_000);
    Color mid = PlotRenderer.colour(100, 10_000);
    Color high = PlotRenderer.colour(10_000, 10_000);
    assertEquals(new Color(68, 1, 84), low);
    assertEquals(new Color(253, 231, 37), high);
    assertEquals(new Color(33, 145, 140), mid, "100 of 10,000 is half way on a log scale");
  }

  /** The mean column of gate-red pixels in a row between two columns. */
  static double redColumn(BufferedImage img, int row, int from, int to) {
    double sum = 0;
    double weight = 0;
    for (int x = from; x <= to; x++) {
      Color c = new Color(img.getRGB(x, row));
      if (c.getRed() > 150 && c.getGreen() < 110 && c.getBlue() < 110) {
        double w = c.getRed() - (c.getGreen() + c.getBlue()) / 2.0;
        sum += x * w;
        weight += w;
      }
    }
    assertTrue(weight > 0, "no gate-red pixel in row " + row + " between " + from + " and " + to);
    return sum / weight;
  }
}
