package org.cytolake.plot.clusters;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.AbstractXYAnnotation;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYBubbleRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The four cluster pictures as JFreeCharts, each with a title naming panel, algorithm and what is
 * drawn, a subtitle naming the events (population) and the transform, and labelled axes; {@link
 * ChartImages} writes them. Metaclusters have the same name and colour in every picture ({@link
 * Metaclusters}).
 */
public final class ClusterCharts {
  private ClusterCharts() {}

  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
  private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
  private static final Color GRID = new Color(225, 225, 225);

  /** Visit colours of the abundance plot, in visit order. */
  private static final int[] VISITS = {
    0x3b528b, 0xe6550d, 0x21918c, 0xb5179e, 0x5ec962, 0x7f3b08, 0x2c7fb8, 0xfdae61, 0x636363,
    0x1b9e77, 0xd95f02
  };

  /**
   * The image size of a picture by default, in pixels: {width, height}.
   *
   * @param rows metaclusters
   * @param columns markers (heatmap) or visits (embedding)
   */
  public static int[] size(PictureKind kind, int rows, int columns) {
    return switch (kind) {
      case HEATMAP -> new int[] {Math.max(640, 480 + 40 * columns), 250 + 24 * Math.max(rows, 4)};
      case MST -> new int[] {900, 760};
      case EMBEDDING -> new int[] {Math.max(700, 340 * Math.max(columns, 1) + 220), 560};
      case ABUNDANCE -> new int[] {Math.max(800, 90 * Math.max(rows, 4) + 240), 600};
    };
  }

  /**
   * Metacluster × marker: each cell the marker's median in the metacluster, coloured by {@link
   * MarkerScale#scaled} (grey: no median), rows by metacluster from the top.
   */
  public static JFreeChart heatmap(ClusterHeatmap map, PictureText text) {
    int cols = map.markers().size();
    int rows = map.rows().size();
    double[][] cells = new double[3][cols * rows];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int i = r * cols + c;
        cells[0][i] = c;
        cells[1][i] = r;
        cells[2][i] = map.markers().get(c).scaled(map.rows().get(r).medians()[c]);
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("scaled median", cells);
    SymbolAxis x =
        new SymbolAxis(
            "lineage marker (median, " + text.transform() + ")",
            map.markers().stream().map(MarkerScale::marker).toArray(String[]::new));
    x.setVerticalTickLabels(true);
    x.setGridBandsVisible(false);
    SymbolAxis y =
        new SymbolAxis(
            "metacluster, phenotype label (events)",
            map.rows().stream().map(ClusterHeatmap.Row::name).toArray(String[]::new));
    y.setInverted(true);
    y.setGridBandsVisible(false);
    XYBlockRenderer blocks = new XYBlockRenderer();
    Ramp ramp = new Ramp();
    blocks.setPaintScale(ramp);
    XYPlot plot = new XYPlot(data, x, y, blocks);
    style(plot);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    JFreeChart chart =
        chart(
            text.title("metacluster × lineage marker medians"),
            plot,
            false,
            text.population(),
            "colour: median scaled per marker between its 1st (0) and 99th (1) percentile over "
                + "the panel's events; grey: no median");
    NumberAxis bar = new NumberAxis("scaled median");
    bar.setRange(0, 1);
    bar.setTickLabelFont(SMALL);
    bar.setLabelFont(SMALL);
    PaintScaleLegend legend = new PaintScaleLegend(ramp, bar);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setMargin(new RectangleInsets(20, 10, 80, 10));
    legend.setStripWidth(12);
    chart.addSubtitle(legend);
    return chart;
  }

  /**
   * FlowSOM's tree: the spanning tree's edges in grey under the nodes, each node a disc whose area
   * grows with its events, coloured by metacluster, with a legend of the metaclusters.
   */
  public static JFreeChart tree(ClusterTree t, PictureText text) {
    Map<Integer, String> metaclusters = t.metaclusters();
    long max = 1;
    for (long e : t.events()) {
      max = Math.max(max, e);
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    int series = 0;
    XYBubbleRenderer bubbles = new XYBubbleRenderer(XYBubbleRenderer.SCALE_ON_RANGE_AXIS);
    for (Map.Entry<Integer, String> m : metaclusters.entrySet()) {
      int n = 0;
      for (int k : t.metaclusterOfNode()) {
        n += k == m.getKey() ? 1 : 0;
      }
      double[][] d = new double[3][n];
      int i = 0;
      for (int node = 0; node < t.tree().nodes(); node++) {
        if (t.metaclusterOfNode()[node] == m.getKey()) {
          d[0][i] = t.layout().x()[node];
          d[1][i] = t.layout().y()[node];
          // diameter in edge lengths: area proportional to events, the largest node 0.9
          d[2][i] = 0.15 + 0.75 * Math.sqrt((double) t.events()[node] / max);
          i++;
        }
      }
      data.addSeries(Metaclusters.name(m.getKey(), m.getValue()), d);
      bubbles.setSeriesPaint(series, Metaclusters.colour(m.getKey()));
      bubbles.setSeriesOutlinePaint(series, Color.DARK_GRAY);
      series++;
    }
    bubbles.setDefaultOutlineStroke(new BasicStroke(0.5f));
    BasicStroke edge = new BasicStroke(1.2f);
    for (SpanningTree.Edge e : t.tree().edges()) {
      bubbles.addAnnotation(
          new XYLineAnnotation(
              t.layout().x()[e.a()],
              t.layout().y()[e.a()],
              t.layout().x()[e.b()],
              t.layout().y()[e.b()],
              edge,
              Color.GRAY),
          Layer.BACKGROUND);
    }
    NumberAxis x = new NumberAxis("tree layout x (edges ≈ 1 unit)");
    NumberAxis y = new NumberAxis("tree layout y (edges ≈ 1 unit)");
    pad(x, t.layout().x());
    pad(y, t.layout().y());
    XYPlot plot = new XYPlot(data, x, y, bubbles);
    style(plot);
    return chart(
        text.title("minimal spanning tree of the SOM nodes"),
        plot,
        true,
        String.format(
            Locale.ROOT,
            "%s · %d nodes, tree on the Euclidean distances of their code vectors over the "
                + "lineage markers (%s)",
            text.population(),
            t.tree().nodes(),
            text.transform()),
        String.format(
            Locale.ROOT,
            "node area ∝ events (largest: %,d); colour: metacluster; stress layout seeded",
            max));
  }

  /**
   * The embedding, one facet per visit on shared axes, each event a dot coloured by its metacluster
   * (drawn as one image per facet, so an SVG stays small).
   */
  public static JFreeChart embedding(EmbeddedEvents e, PictureText text) {
    float[] xs = e.x();
    float[] ys = e.y();
    double xlo = Double.POSITIVE_INFINITY;
    double xhi = Double.NEGATIVE_INFINITY;
    double ylo = Double.POSITIVE_INFINITY;
    double yhi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < xs.length; i++) {
      xlo = Math.min(xlo, xs[i]);
      xhi = Math.max(xhi, xs[i]);
      ylo = Math.min(ylo, ys[i]);
      yhi = Math.max(yhi, ys[i]);
    }
    NumberAxis y = new NumberAxis(e.method() + " 2");
    range(y, ylo, yhi);
    CombinedRangeXYPlot plot = new CombinedRangeXYPlot(y);
    plot.setGap(12);
    int[] metaclusters = e.metacluster();
    String[] visits = e.visit();
    for (String v : e.visits()) {
      int n = 0;
      for (String w : visits) {
        n += w.equals(v) ? 1 : 0;
      }
      NumberAxis x =
          new NumberAxis(
              String.format(Locale.ROOT, "%s 1 · visit %s (%,d events)", e.method(), v, n));
      range(x, xlo, xhi);
      XYPlot facet = new XYPlot(null, x, null, null);
      style(facet);
      facet.addAnnotation(new Dots(xs, ys, metaclusters, visits, v));
      plot.add(facet);
    }
    LegendItemCollection legend = new LegendItemCollection();
    java.util.TreeSet<Integer> present = new java.util.TreeSet<>();
    for (int k : metaclusters) {
      present.add(k);
    }
    for (int k : present) {
      legend.add(
          new LegendItem(
              Metaclusters.name(k, e.labels().getOrDefault(k, "")),
              null,
              null,
              null,
              new Ellipse2D.Double(-4, -4, 8, 8),
              Metaclusters.colour(k)));
    }
    plot.setFixedLegendItems(legend);
    return chart(
        text.title(e.method() + " of the lineage markers, by visit"),
        plot,
        true,
        String.format(
            Locale.ROOT,
            "%s · %,d events of %d samples: at most %,d per sample (seed %d) · lineage markers in "
                + "%s",
            text.population(),
            xs.length,
            e.samples(),
            e.subsample().perSample(),
            e.subsample().seed(),
            text.transform()),
        "colour: metacluster; one panel per visit, shared axes");
  }

  /**
   * Abundance per metacluster and visit: each sample's % of its events in the metacluster a dot
   * (visits side by side within a metacluster), the visit's median a black bar.
   */
  public static JFreeChart abundance(VisitAbundance a, PictureText text) {
    int visits = a.visits().size();
    double slot = 0.8 / Math.max(1, visits);
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
    dots.setDrawOutlines(false);
    for (int v = 0; v < visits; v++) {
      XYSeries s = new XYSeries("visit " + a.visits().get(v), false, true);
      double centre = (v - (visits - 1) / 2.0) * slot;
      for (int m = 0; m < a.metaclusters().size(); m++) {
        double[] p = a.metaclusters().get(m).pcts().get(v);
        for (int j = 0; j < p.length; j++) {
          // a fixed spread within the visit's slot (golden-ratio steps), the same every time
          double jitter = ((j * 0.6180339887) % 1.0 - 0.5) * slot * 0.6;
          s.add(m + centre + jitter, p[j]);
        }
        double median = a.metaclusters().get(m).medians().get(v);
        if (Double.isFinite(median)) {
          dots.addAnnotation(
              new XYLineAnnotation(
                  m + centre - slot * 0.4,
                  median,
                  m + centre + slot * 0.4,
                  median,
                  new BasicStroke(2.5f),
                  Color.BLACK),
              Layer.FOREGROUND);
        }
      }
      data.addSeries(s);
      dots.setSeriesPaint(v, new Color(VISITS[v % VISITS.length]));
      dots.setSeriesShape(v, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
    }
    SymbolAxis x =
        new SymbolAxis(
            "metacluster, phenotype label",
            a.metaclusters().stream()
                .map(m -> Metaclusters.name(m.metacluster(), m.label()))
                .toArray(String[]::new));
    x.setVerticalTickLabels(true);
    x.setGridBandsVisible(false);
    NumberAxis y = new NumberAxis("% of the sample's events in the metacluster (pct_of_sample)");
    y.setAutoRangeIncludesZero(true);
    XYPlot plot = new XYPlot(data, x, y, dots);
    style(plot);
    plot.setDomainGridlinesVisible(false);
    return chart(
        text.title("abundance per metacluster and visit"),
        plot,
        true,
        text.population() + " · cluster_abundance, one dot per sample",
        "black bar: the visit's median; visits in conf/visits.yaml order");
  }

  private static JFreeChart chart(
      String title, org.jfree.chart.plot.Plot plot, boolean legend, String... subtitles) {
    JFreeChart chart = new JFreeChart(null, TITLE, plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setTitle(new TextTitle(title, TITLE));
    for (String s : subtitles) {
      chart.addSubtitle(new TextTitle(s, SMALL));
    }
    if (legend) {
      LegendTitle l = new LegendTitle(plot);
      l.setPosition(RectangleEdge.RIGHT);
      l.setItemFont(SMALL);
      chart.addSubtitle(l);
    }
    return chart;
  }

  private static void style(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
    plot.getDomainAxis().setLabelFont(SMALL);
    plot.getDomainAxis().setTickLabelFont(SMALL);
    if (plot.getRangeAxis() != null) {
      plot.getRangeAxis().setLabelFont(SMALL);
      plot.getRangeAxis().setTickLabelFont(SMALL);
    }
  }

  private static void pad(NumberAxis axis, double[] v) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double d : v) {
      lo = Math.min(lo, d);
      hi = Math.max(hi, d);
    }
    axis.setRange(lo - 1, hi + 1);
  }

  private static void range(NumberAxis axis, double lo, double hi) {
    if (!(hi > lo)) {
      lo = Double.isFinite(lo) ? lo - 1 : 0;
      hi = Double.isFinite(hi) ? hi + 1 : 1;
    }
    double pad = (hi - lo) * 0.04;
    axis.setAutoRangeIncludesZero(false);
    axis.setRange(lo - pad, hi + pad);
  }

  /** The heatmap's colour ramp over [0, 1] (viridis-like, as the density plots); NaN grey. */
  private static final class Ramp implements PaintScale {
    private static final int[][] STOPS = {
      {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}
    };

    @Override
    public double getLowerBound() {
      return 0;
    }

    @Override
    public double getUpperBound() {
      return 1;
    }

    @Override
    public Paint getPaint(double value) {
      if (Double.isNaN(value)) {
        return new Color(200, 200, 200);
      }
      double p = Math.max(0, Math.min(1, value)) * (STOPS.length - 1);
      int i = Math.min(STOPS.length - 2, (int) Math.floor(p));
      double f = p - i;
      int[] a = STOPS[i];
      int[] b = STOPS[i + 1];
      return new Color(
          (int) Math.round(a[0] + f * (b[0] - a[0])),
          (int) Math.round(a[1] + f * (b[1] - a[1])),
          (int) Math.round(a[2] + f * (b[2] - a[2])));
    }
  }

  /** One facet's events as dots, drawn into one image the size of the data area. */
  private static final class Dots extends AbstractXYAnnotation {
    private static final long serialVersionUID = 1L;
    private final float[] x;
    private final float[] y;
    private final int[] metacluster;
    private final String[] visit;
    private final String facet;

    Dots(float[] x, float[] y, int[] metacluster, String[] visit, String facet) {
      this.x = x;
      this.y = y;
      this.metacluster = metacluster;
      this.visit = visit;
      this.facet = facet;
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
      int w = Math.max(1, (int) Math.ceil(dataArea.getWidth()));
      int h = Math.max(1, (int) Math.ceil(dataArea.getHeight()));
      BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
      Graphics2D g = image.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      Rectangle2D local = new Rectangle2D.Double(0, 0, dataArea.getWidth(), dataArea.getHeight());
      for (int i = 0; i < x.length; i++) {
        if (!visit[i].equals(facet)) {
          continue;
        }
        double px = domainAxis.valueToJava2D(x[i], local, plot.getDomainAxisEdge());
        double py = rangeAxis.valueToJava2D(y[i], local, plot.getRangeAxisEdge());
        g.setColor(Metaclusters.colour(metacluster[i]));
        g.fill(new Ellipse2D.Double(px - 1.5, py - 1.5, 3, 3));
      }
      g.dispose();
      g2.drawImage(
          image, (int) Math.round(dataArea.getX()), (int) Math.round(dataArea.getY()), null);
    }
  }
}
