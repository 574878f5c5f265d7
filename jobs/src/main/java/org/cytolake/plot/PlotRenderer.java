package org.cytolake.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.AbstractXYAnnotation;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * Draws a {@link DensityPlot} with JFreeChart, to PNG (Java2D) or SVG (JFreeSVG). A 2D density is one image of
 * {@code x.bins() × y.bins()} pixels scaled onto the data area (so an SVG holds one embedded PNG, not 65,536
 * rectangles), each cell coloured by {@link #colour} on a log scale of its count (an empty cell is left white), with
 * a colour bar of events per bin; a histogram is bars of events per bin. Gate outlines are lines in {@link
 * #GATE_COLOUR}, each labelled with its gate id; on a histogram a gate's limits are vertical lines across the plot.
 * Headless: no display is needed.
 */
public final class PlotRenderer {

  /** The colour of gate outlines. */
  public static final Color GATE_COLOUR = new Color(220, 0, 0);

  /** The colour of a histogram's bars. */
  public static final Color BAR_COLOUR = new Color(40, 90, 160);

  private PlotRenderer() {}

  /**
   * Where the plot was drawn.
   *
   * @param dataArea the data area in image pixels (x grows right, y grows down)
   */
  public record Rendered(Path file, Rectangle2D dataArea) {}

  /**
   * Writes the plot to {@code out}: SVG when its name ends in {@code .svg}, PNG when in {@code .png}.
   *
   * @throws IllegalArgumentException for any other extension
   */
  public static Rendered write(DensityPlot plot, Path out) throws IOException {
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".svg")) {
      return svg(plot, out);
    }
    if (name.endsWith(".png")) {
      return png(plot, out);
    }
    throw new IllegalArgumentException(
        "Cannot write plot '" + out + "': the file name must end in .png or .svg");
  }

  /** Writes a PNG of {@code plot.width() × plot.height()} pixels. */
  public static Rendered png(DensityPlot plot, Path out) throws IOException {
    BufferedImage img = new BufferedImage(plot.width(), plot.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g2 = img.createGraphics();
    ChartRenderingInfo info = new ChartRenderingInfo();
    try {
      chart(plot).draw(g2, new Rectangle(plot.width(), plot.height()), info);
    } finally {
      g2.dispose();
    }
    try (OutputStream o = Files.newOutputStream(out)) {
      if (!ImageIO.write(img, "png", o)) {
        throw new IOException("Cannot write plot '" + out + "': no PNG writer");
      }
    }
    return new Rendered(out, info.getPlotInfo().getDataArea());
  }

  /** Writes an SVG document of {@code plot.width() × plot.height()} pixels. */
  public static Rendered svg(DensityPlot plot, Path out) throws IOException {
    ChartRenderingInfo info = new ChartRenderingInfo();
    String svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svgElement(plot, null, info);
    Files.writeString(out, svg, StandardCharsets.UTF_8);
    return new Rendered(out, info.getPlotInfo().getDataArea());
  }

  /**
   * The plot as one {@code <svg>} element to inline in an HTML page (the report): no XML
   * declaration, the density an embedded PNG ({@code data:} URI), text as {@code <text>}.
   *
   * @param idPrefix prefixes the element's clip-path and gradient ids, unique per element of a
   *     page (several inline SVGs with the same ids would clip each other's drawing)
   */
  public static String svgElement(DensityPlot plot, String idPrefix) {
    return svgElement(plot, idPrefix, new ChartRenderingInfo());
  }

  private static String svgElement(DensityPlot plot, String idPrefix, ChartRenderingInfo info) {
    SVGGraphics2D g2 = new SVGGraphics2D(plot.width(), plot.height());
    if (idPrefix != null) {
      g2.setDefsKeyPrefix(idPrefix);
    }
    // JFreeChart draws rotated text (the y label) through a TextLayout by default, which JFreeSVG
    // writes as glyph outlines; without that workaround it is a <text> element that can be read
    // and searched
    synchronized (PlotRenderer.class) {
      boolean workaround = TextUtils.isUseDrawRotatedStringWorkaround();
      TextUtils.setUseDrawRotatedStringWorkaround(false);
      try {
        chart(plot).draw(g2, new Rectangle(plot.width(), plot.height()), info);
      } finally {
        TextUtils.setUseDrawRotatedStringWorkaround(workaround);
      }
    }
    String doc = g2.getSVGDocument();
    return doc.substring(doc.indexOf("<svg"));
  }

  /** The chart of a plot (exposed for tests). */
  static JFreeChart chart(DensityPlot plot) {
    DensityGrid grid = plot.grid();
    NumberAxis xAxis = new NumberAxis(plot.xLabel());
    xAxis.setRange(grid.x().lo(), grid.x().hi());
    xAxis.setAutoRangeIncludesZero(false);
    XYPlot xy;
    if (grid.is2d()) {
      NumberAxis yAxis = new NumberAxis(plot.yLabel());
      yAxis.setRange(grid.y().lo(), grid.y().hi());
      yAxis.setAutoRangeIncludesZero(false);
      xy = new XYPlot(null, xAxis, yAxis, null);
      xy.addAnnotation(new DensityImage(grid));
    } else {
      NumberAxis yAxis = new NumberAxis(plot.yLabel());
      yAxis.setAutoRangeIncludesZero(true);
      XYIntervalSeries s = new XYIntervalSeries("events");
      for (int i = 0; i < grid.x().bins(); i++) {
        long c = grid.count(i, 0);
        s.add(grid.x().center(i), grid.x().edge(i), grid.x().edge(i + 1), c, 0, c);
      }
      XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
      data.addSeries(s);
      XYBarRenderer bars = new XYBarRenderer();
      bars.setBarPainter(new StandardXYBarPainter());
      bars.setShadowVisible(false);
      bars.setDrawBarOutline(false);
      bars.setSeriesPaint(0, BAR_COLOUR);
      xy = new XYPlot(data, xAxis, yAxis, bars);
    }
    xy.setBackgroundPaint(Color.WHITE);
    xy.setDomainGridlinePaint(new Color(225, 225, 225));
    xy.setRangeGridlinePaint(new Color(225, 225, 225));
    xy.setDomainGridlinesVisible(!grid.is2d());
    xy.setRangeGridlinesVisible(!grid.is2d());
    xy.setAxisOffset(RectangleInsets.ZERO_INSETS);
    BasicStroke stroke = new BasicStroke(1.5f);
    Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    for (GateOutline o : plot.outlines()) {
      boolean labelled = false;
      for (GateOutline.Polyline line : o.lines()) {
        double[] x = line.x();
        double[] y = line.y();
        if (!grid.is2d()) {
          ValueMarker m = new ValueMarker(x[0], GATE_COLOUR, stroke);
          m.setLabel(labelled ? null : o.gateId());
          m.setLabelFont(labelFont);
          m.setLabelPaint(GATE_COLOUR);
          m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
          xy.addDomainMarker(m);
          labelled = true;
          continue;
        }
        int n = x.length;
        int segments = line.closed() ? n : n - 1;
        for (int i = 0; i < segments; i++) {
          int j = (i + 1) % n;
          xy.addAnnotation(new XYLineAnnotation(x[i], y[i], x[j], y[j], stroke, GATE_COLOUR));
        }
        if (!labelled) {
          double[] at = labelPoint(grid, line);
          XYTextAnnotation t = new XYTextAnnotation(o.gateId(), at[0], at[1]);
          t.setFont(labelFont);
          t.setPaint(GATE_COLOUR);
          t.setTextAnchor(TextAnchor.BOTTOM_LEFT);
          xy.addAnnotation(t);
          labelled = true;
        }
      }
    }
    JFreeChart chart = new JFreeChart(null, new Font(Font.SANS_SERIF, Font.BOLD, 15), xy, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setTitle(new TextTitle(plot.title(), new Font(Font.SANS_SERIF, Font.BOLD, 15)));
    for (String s : plot.subtitles()) {
      chart.addSubtitle(new TextTitle(s, new Font(Font.SANS_SERIF, Font.PLAIN, 11)));
    }
    if (grid.is2d()) {
      LogScale scale = new LogScale(Math.max(2, grid.max()));
      LogAxis bar = new LogAxis("events per bin");
      bar.setRange(1, Math.max(2, grid.max()));
      bar.setTickUnit(new NumberTickUnit(1), false, true); // one tick a decade: 1, 10, 100
      bar.setNumberFormatOverride(new DecimalFormat("#,##0"));
      bar.setMinorTickCount(9);
      bar.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
      bar.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      PaintScaleLegend legend = new PaintScaleLegend(scale, bar);
      legend.setPosition(RectangleEdge.RIGHT);
      legend.setMargin(new RectangleInsets(20, 10, 60, 10));
      legend.setStripWidth(12);
      legend.setSubdivisionCount(128);
      chart.addSubtitle(legend);
    }
    return chart;
  }

  /**
   * Where a gate's label goes: the top-most point of its outline inside the view (points taken along every segment),
   * nudged in from the right and top edges; the view's top-left corner when none is inside.
   */
  static double[] labelPoint(DensityGrid grid, GateOutline.Polyline line) {
    BinAxis vx = grid.x();
    BinAxis vy = grid.y();
    double[] x = line.x();
    double[] y = line.y();
    int n = x.length;
    int segments = line.closed() ? n : n - 1;
    double bx = Double.NaN;
    double by = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < segments; i++) {
      int j = (i + 1) % n;
      for (int s = 0; s <= 16; s++) {
        double t = s / 16.0;
        double px = x[i] + t * (x[j] - x[i]);
        double py = y[i] + t * (y[j] - y[i]);
        if (px >= vx.lo() && px <= vx.hi() && py >= vy.lo() && py <= vy.hi() && py > by) {
          bx = px;
          by = py;
        }
      }
    }
    if (Double.isNaN(bx)) {
      bx = vx.lo();
      by = vy.hi();
    }
    return new double[] {
      Math.min(bx, vx.hi() - vx.width() * 24), Math.min(by, vy.hi() - vy.width() * 10)
    };
  }

  /**
   * The colour of a cell holding {@code count} events when the fullest holds {@code max}: a viridis-like ramp (dark
   * blue → teal → green → yellow) over {@code log(count) / log(max)}; white for an empty cell.
   */
  public static Color colour(long count, long max) {
    if (count <= 0) {
      return Color.WHITE;
    }
    double t = max <= 1 ? 1 : Math.log(count) / Math.log(max);
    return ramp(Math.max(0, Math.min(1, t)));
  }

  private static final int[][] RAMP = {
    {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}
  };

  private static Color ramp(double t) {
    double p = t * (RAMP.length - 1);
    int i = Math.min(RAMP.length - 2, (int) Math.floor(p));
    double f = p - i;
    int[] a = RAMP[i];
    int[] b = RAMP[i + 1];
    return new Color(
        (int) Math.round(a[0] + f * (b[0] - a[0])),
        (int) Math.round(a[1] + f * (b[1] - a[1])),
        (int) Math.round(a[2] + f * (b[2] - a[2])));
  }

  /** The colour bar's scale: events per bin, 1 to max, on the same log ramp as the cells. */
  private record LogScale(double max) implements PaintScale {
    @Override
    public double getLowerBound() {
      return 1;
    }

    @Override
    public double getUpperBound() {
      return max;
    }

    @Override
    public Paint getPaint(double value) {
      double t = value <= 1 ? 0 : Math.log(value) / Math.log(max);
      return ramp(Math.max(0, Math.min(1, t)));
    }
  }

  /** The density as one image, one pixel per cell, scaled onto the grid's ranges of the data area. */
  private static final class DensityImage extends AbstractXYAnnotation {
    private static final long serialVersionUID = 1L;
    private final transient BufferedImage image;
    private final DensityGrid grid;

    DensityImage(DensityGrid grid) {
      this.grid = grid;
      int nx = grid.x().bins();
      int ny = grid.y().bins();
      long max = grid.max();
      image = new BufferedImage(nx, ny, BufferedImage.TYPE_INT_ARGB);
      for (int iy = 0; iy < ny; iy++) {
        for (int ix = 0; ix < nx; ix++) {
          long c = grid.count(ix, iy);
          if (c > 0) {
            image.setRGB(ix, ny - 1 - iy, colour(c, max).getRGB());
          }
        }
      }
    }

    @Override
    public void draw(
        Graphics2D g2,
        XYPlot plot,
        Rectangle2D dataArea,
        ValueAxis domainAxis,
        ValueAxis rangeAxis,
        int rendererIndex,
        PlotRenderingInfo info) {
      double x0 = domainAxis.valueToJava2D(grid.x().lo(), dataArea, plot.getDomainAxisEdge());
      double x1 = domainAxis.valueToJava2D(grid.x().hi(), dataArea, plot.getDomainAxisEdge());
      double y0 = rangeAxis.valueToJava2D(grid.y().hi(), dataArea, plot.getRangeAxisEdge());
      double y1 = rangeAxis.valueToJava2D(grid.y().lo(), dataArea, plot.getRangeAxisEdge());
      Object hint = g2.getRenderingHint(RenderingHints.KEY_INTERPOLATION);
      g2.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g2.drawImage(
          image,
          (int) Math.round(x0),
          (int) Math.round(y0),
          (int) Math.round(x1 - x0),
          (int) Math.round(y1 - y0),
          null);
      if (hint != null) {
        g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, hint);
      }
    }
  }
}
