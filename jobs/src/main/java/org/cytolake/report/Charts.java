package org.cytolake.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.cytolake.report.ReportModel.CohortSeries;
import org.cytolake.report.ReportModel.Heatmap;
import org.cytolake.report.ReportModel.HeatmapRow;
import org.cytolake.report.ReportModel.SampleEvents;
import org.cytolake.stats.Quantiles;

/** The report's plots, each one inline SVG element drawn from model values. */
final class Charts {
  private Charts() {}

  /**
   * A chart's size and margins in pixels; the plot area is what the margins leave.
   *
   * @param w the image's width
   * @param h the image's height
   */
  private record Frame(double w, double h, double left, double right, double top, double bottom) {
    double plotW() {
      return w - left - right;
    }

    double plotH() {
      return h - top - bottom;
    }

    /** The plot area's bottom edge: the x axis. */
    double baseY() {
      return top + plotH();
    }

    /** The plot area's right edge. */
    double endX() {
      return left + plotW();
    }

    /** The plot area's centre across. */
    double midX() {
      return left + plotW() / 2;
    }

    /** The plot area's centre down. */
    double midY() {
      return top + plotH() / 2;
    }
  }

  /** Up to about {@code n} round tick values covering [0, max]. */
  static double[] ticks(double max, int n) {
    if (!(max > 0) || !Double.isFinite(max)) {
      return new double[] {0, 1};
    }
    double raw = max / n;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = mag * (raw / mag <= 1 ? 1 : raw / mag <= 2 ? 2 : raw / mag <= 5 ? 5 : 10);
    int count = (int) Math.ceil(max / step - 1e-9);
    double[] t = new double[count + 1];
    for (int i = 0; i <= count; i++) {
      t[i] = i * step;
    }
    return t;
  }

  /**
   * Events per sample of one panel: one bar per sample, in the given order, with its id, visit,
   * count and warnings as tooltip; bars of samples that are not QC OK (a warning that may affect
   * the data) are marked.
   */
  static String eventsPerSample(String panel, List<SampleEvents> samples) {
    Frame f = new Frame(760, 230, 64, 12, 14, 40);
    long max = samples.stream().mapToLong(SampleEvents::events).max().orElse(0);
    double[] ticks = ticks(max, 5);
    double yMax = ticks[ticks.length - 1];
    Svg svg = new Svg(f.w(), f.h(), "plot events", "Events per sample, panel " + panel);
    yAxis(svg, ticks, 0, f, "events");
    double slot = f.plotW() / Math.max(1, samples.size());
    double bar = Math.max(0.5, slot * 0.8);
    String previousVisit = null;
    for (int i = 0; i < samples.size(); i++) {
      SampleEvents s = samples.get(i);
      double x = f.left() + i * slot + (slot - bar) / 2;
      double bh = f.plotH() * s.events() / yMax;
      boolean ok = s.qcOk();
      svg.rect(
          x,
          f.baseY() - bh,
          bar,
          bh,
          ok ? "bar" : "bar flagged",
          null,
          s.sampleId()
              + " · "
              + s.visit()
              + " · "
              + s.events()
              + " events · QC "
              + (ok ? "OK" : "not OK")
              + (s.warnings().isEmpty() ? "" : " · " + String.join("; ", s.warnings())));
      if (s.visit() != null && !s.visit().equals(previousVisit)) {
        svg.line(f.left() + i * slot, f.baseY(), f.left() + i * slot, f.baseY() + 6, "tick");
        svg.text(f.left() + i * slot + 2, f.baseY() + 16, s.visit(), "start", "label small", 0);
        previousVisit = s.visit();
      }
    }
    svg.text(f.midX(), f.h() - 4, samples.size() + " samples, by visit", "middle", "label", 0);
    return svg.end();
  }

  /**
   * The primary population's % of parent in one cohort across visits: each sample a dot, the
   * median per visit joined by a line; {@code yMax} is shared by all cohorts so the small plots
   * compare. Title and axis name the population and its parent.
   */
  static String cohortVisits(
      PrimaryPopulation population, CohortSeries series, List<String> visits, double yMax) {
    Frame f = new Frame(300, 210, 44, 10, 24, 30);
    double[] ticks = ticks(yMax, 4);
    double top1 = ticks[ticks.length - 1];
    Svg svg =
        new Svg(
            f.w(),
            f.h(),
            "plot primary",
            population.title() + " by visit, cohort " + series.cohort());
    svg.text(f.midX(), 14, series.cohort(), "middle", "title", 0);
    yAxis(svg, ticks, 0, f, population.axis());
    double slot = f.plotW() / Math.max(1, visits.size());
    List<Double> mx = new ArrayList<>();
    List<Double> my = new ArrayList<>();
    for (int v = 0; v < visits.size(); v++) {
      String visit = visits.get(v);
      double cx = f.left() + slot * (v + 0.5);
      svg.text(cx, f.baseY() + 14, visit, "middle", "label small", 0);
      List<Double> values = series.values(visit);
      for (int i = 0; i < values.size(); i++) {
        // Deterministic spread so equal values stay visible: alternate sides of the centre.
        double jitter =
            values.size() == 1
                ? 0
                : (i % 2 == 0 ? 1 : -1)
                    * ((i + 1) / 2)
                    * Math.min(3.0, slot * 0.35 / values.size());
        double y = f.baseY() - f.plotH() * clamp(values.get(i) / top1);
        svg.circle(
            cx + jitter,
            y,
            2.6,
            "dot",
            series.cohort()
                + " "
                + visit
                + ": "
                + Html.number(values.get(i))
                + " "
                + population.axis());
      }
      if (!values.isEmpty()) {
        double m = Quantiles.median(values, Quantiles.NaNs.ORDERED_LAST);
        mx.add(cx);
        my.add(f.baseY() - f.plotH() * clamp(m / top1));
        svg.line(
            cx - slot * 0.3,
            my.get(my.size() - 1),
            cx + slot * 0.3,
            my.get(my.size() - 1),
            "median");
      }
    }
    polyline(svg, mx, my, "trend");
    return svg.end();
  }

  /**
   * A metacluster × marker heatmap: each cell coloured by the median scaled to [0, 1] within its
   * marker (as FlowSOM and CATALYST draw them): between the marker's 1st and 99th percentile over
   * the panel's events when the heatmap has them ({@link Heatmap#scaleLo}), clamped, else between
   * the lowest and highest median of the rows; the median itself in the tooltip.
   */
  static String heatmap(Heatmap map) {
    double cellW = 34;
    double cellH = 20;
    double left = 190;
    double top = 86;
    int cols = map.markers().size();
    int rows = map.rows().size();
    double w = left + cols * cellW + 20;
    double h = top + rows * cellH + 40;
    double[] lo = new double[cols];
    double[] hi = new double[cols];
    Arrays.fill(lo, Double.POSITIVE_INFINITY);
    Arrays.fill(hi, Double.NEGATIVE_INFINITY);
    for (HeatmapRow r : map.rows()) {
      for (int c = 0; c < cols; c++) {
        double v = r.medians().get(c);
        if (Double.isFinite(v)) {
          lo[c] = Math.min(lo[c], v);
          hi[c] = Math.max(hi[c], v);
        }
      }
    }
    for (int c = 0; c < cols; c++) {
      double l = map.scaleLo().get(c);
      double u = map.scaleHi().get(c);
      if (Double.isFinite(l) && Double.isFinite(u) && u > l) {
        lo[c] = l;
        hi[c] = u;
      }
    }
    Svg svg =
        new Svg(
            w,
            h,
            "plot heatmap",
            "Metacluster by marker medians, panel " + map.panel() + ", " + map.algorithm());
    for (int c = 0; c < cols; c++) {
      svg.text(
          left + c * cellW + cellW / 2, top - 6, map.markers().get(c), "start", "label small", -60);
    }
    for (int r = 0; r < rows; r++) {
      HeatmapRow row = map.rows().get(r);
      double y = top + r * cellH;
      svg.text(
          left - 6,
          y + cellH * 0.7,
          row.metacluster() + " " + row.label() + " (" + row.size() + ")",
          "end",
          "label small",
          0);
      for (int c = 0; c < cols; c++) {
        double v = row.medians().get(c);
        String title =
            "metacluster "
                + row.metacluster()
                + " ("
                + row.label()
                + "), "
                + map.markers().get(c)
                + ": median "
                + Html.number(v);
        if (!Double.isFinite(v)) {
          svg.rect(left + c * cellW, y, cellW - 1, cellH - 1, "cell missing", null, title);
        } else {
          double t = hi[c] > lo[c] ? Math.max(0, Math.min(1, (v - lo[c]) / (hi[c] - lo[c]))) : 0.5;
          svg.rect(left + c * cellW, y, cellW - 1, cellH - 1, "cell", colour(t), title);
        }
      }
    }
    double ly = top + rows * cellH + 14;
    for (int i = 0; i < 10; i++) {
      svg.rect(left + i * 12, ly, 12, 10, "legend", colour(i / 9.0), null);
    }
    svg.text(left - 6, ly + 9, "low", "end", "label small", 0);
    svg.text(
        left + 126,
        ly + 9,
        "high (scaled per marker"
            + (map.scaleLo().stream().anyMatch(Double::isFinite) ? ", 1st-99th percentile)" : ")"),
        "start",
        "label small",
        0);
    return svg.end();
  }

  /** The smallest q drawn; a q of 0 (underflow) is drawn at −log10 of this. */
  static final double MIN_Q = 1e-300;

  /**
   * A volcano plot of one visit and scale: each tested pooled feature a dot at (estimate,
   * −log10 q), a ratio on a log axis around 1, a change on a linear axis around 0; a dashed line
   * at q = 0.05; the primary endpoint a larger, labelled dot. Title and axes name the visit, the
   * scale, the pooled cohorts and the q-value's family; each dot's tooltip names feature,
   * statistic, panel, population, estimate and q.
   */
  static String volcano(Effects.Volcano v, String baseline, String pooled) {
    Frame f = new Frame(420, 300, 52, 14, 30, 40);
    boolean log = v.ratio();
    double xAbs = 0;
    double yMax = -Math.log10(0.05);
    for (Effects.EffectPoint p : v.points()) {
      double x = log ? Math.log10(Math.max(p.estimate(), 1e-12)) : p.estimate();
      xAbs = Math.max(xAbs, Math.abs(x));
      yMax = Math.max(yMax, -Math.log10(Math.max(p.q(), MIN_Q)));
    }
    xAbs = xAbs > 0 ? xAbs * 1.1 : 1;
    double[] yTicks = ticks(yMax, 4);
    double yTop = yTicks[yTicks.length - 1];
    String title =
        v.visit()
            + " vs "
            + baseline
            + ", cohorts pooled ("
            + pooled
            + "): "
            + v.scale().replace('_', ' ')
            + " by −log10 q";
    Svg svg = new Svg(f.w(), f.h(), "plot volcano", title);
    svg.text(f.midX(), 14, title, "middle", "title", 0);
    yAxis(svg, yTicks, 0, f, "−log10 q (BH within family; primary: q = p)");
    final double span = xAbs;
    java.util.function.DoubleUnaryOperator sx = x -> f.left() + f.plotW() * (x + span) / (2 * span);
    double[] xt = {-span * 0.9, -span * 0.45, 0, span * 0.45, span * 0.9};
    for (double t : xt) {
      double x = sx.applyAsDouble(t);
      svg.line(x, f.baseY(), x, f.baseY() + 4, "tick");
      svg.text(
          x, f.baseY() + 15, Html.number(log ? Math.pow(10, t) : t), "middle", "label small", 0);
    }
    double zero = sx.applyAsDouble(0);
    svg.line(zero, f.top(), zero, f.baseY(), "grid");
    double q05 = f.baseY() - f.plotH() * clamp(-Math.log10(0.05) / yTop);
    svg.line(f.left(), q05, f.endX(), q05, "threshold");
    svg.text(f.endX() - 2, q05 - 3, "q = 0.05", "end", "label small", 0);
    svg.text(f.midX(), f.h() - 6, v.axis(baseline), "middle", "label", 0);
    Effects.EffectPoint primary = null;
    for (Effects.EffectPoint p : v.points()) {
      if (p.primary()) {
        primary = p;
        continue;
      }
      dot(svg, p, sx, log, f, yTop, 2.6, "dot");
    }
    if (primary != null) {
      double[] xy = dot(svg, primary, sx, log, f, yTop, 5, "dot primary");
      svg.text(xy[0] + 7, xy[1] - 6, primary.label() + " (primary)", "start", "label primary", 0);
    }
    return svg.end();
  }

  private static double[] dot(
      Svg svg,
      Effects.EffectPoint p,
      java.util.function.DoubleUnaryOperator sx,
      boolean log,
      Frame f,
      double yTop,
      double r,
      String css) {
    double x = sx.applyAsDouble(log ? Math.log10(Math.max(p.estimate(), 1e-12)) : p.estimate());
    double y = f.baseY() - f.plotH() * clamp(-Math.log10(Math.max(p.q(), MIN_Q)) / yTop);
    svg.circle(
        x,
        y,
        r,
        css,
        p.label()
            + (p.population() == null ? "" : " (" + p.population() + ")")
            + ": "
            + p.scale()
            + " "
            + Html.number(p.estimate())
            + ", q "
            + Html.number(p.q())
            + (p.primary() ? " (primary endpoint)" : ""));
    return new double[] {x, y};
  }

  /**
   * The primary feature in one cohort over the visits: one thin line per patient, the median per
   * visit as a bold line; {@code yMin}, {@code yMax} are shared by all cohorts so the small plots
   * compare. Title and axis name the feature, its scale and the cohort.
   */
  static String trajectories(
      Effects.Trajectories t, Effects.CohortTrajectories c, double yMin, double yMax) {
    Frame f = new Frame(300, 210, 48, 10, 24, 30);
    double lo = yMin >= 0 ? 0 : yMin;
    double[] ticks = ticks(yMax - lo, 4);
    double span = ticks[ticks.length - 1];
    Svg svg =
        new Svg(
            f.w(),
            f.h(),
            "plot trajectories",
            t.title() + " per patient by visit, cohort " + c.cohort());
    svg.text(f.midX(), 14, t.title() + ", " + c.cohort(), "middle", "title", 0);
    double max = span;
    yAxis(svg, ticks, lo, f, t.axis());
    double slot = f.plotW() / Math.max(1, t.visits().size());
    for (int v = 0; v < t.visits().size(); v++) {
      svg.text(
          f.left() + slot * (v + 0.5),
          f.baseY() + 14,
          t.visits().get(v),
          "middle",
          "label small",
          0);
    }
    for (Effects.PatientTrajectory p : c.patients()) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int v = 0; v < t.visits().size(); v++) {
        Double value = p.values().get(t.visits().get(v));
        if (value != null) {
          xs.add(f.left() + slot * (v + 0.5));
          ys.add(f.baseY() - f.plotH() * clamp((value - lo) / max));
          svg.circle(
              xs.get(xs.size() - 1),
              ys.get(ys.size() - 1),
              1.8,
              "dot",
              p.patient() + " " + t.visits().get(v) + ": " + Html.number(value) + " " + t.axis());
        }
      }
      polyline(svg, xs, ys, "patient");
    }
    List<Double> mx = new ArrayList<>();
    List<Double> my = new ArrayList<>();
    for (int v = 0; v < t.visits().size(); v++) {
      List<Double> values = c.values(t.visits().get(v));
      if (!values.isEmpty()) {
        mx.add(f.left() + slot * (v + 0.5));
        my.add(
            f.baseY()
                - f.plotH()
                    * clamp((Quantiles.median(values, Quantiles.NaNs.ORDERED_LAST) - lo) / max));
      }
    }
    polyline(svg, mx, my, "median-line");
    return svg.end();
  }

  /** A line through the points {@code (xs[i], ys[i])}, when there are at least two. */
  private static void polyline(Svg svg, List<Double> xs, List<Double> ys, String cssClass) {
    if (xs.size() > 1) {
      svg.polyline(
          xs.stream().mapToDouble(Double::doubleValue).toArray(),
          ys.stream().mapToDouble(Double::doubleValue).toArray(),
          cssClass);
    }
  }

  /** A sequential colour for t in [0, 1]: pale yellow through orange to dark red. */
  static String colour(double t) {
    double[][] stops = {{255, 255, 204}, {253, 141, 60}, {189, 0, 38}, {103, 0, 13}};
    double x = clamp(t) * (stops.length - 1);
    int i = Math.min(stops.length - 2, (int) Math.floor(x));
    double f = x - i;
    int[] rgb = new int[3];
    for (int k = 0; k < 3; k++) {
      rgb[k] = (int) Math.round(stops[i][k] + f * (stops[i + 1][k] - stops[i][k]));
    }
    return String.format(Locale.ROOT, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
  }

  /**
   * One data-adaptive gate limit across a panel's samples: each sample's threshold (y) at its
   * acquisition date (x, days), a dot per sample, those gated with the fallback orange; the median
   * a dashed line. Samples without a date are left out (the summary counts them). Tooltips name
   * sample, date, batch and threshold.
   */
  static String thresholds(String panel, AdaptiveThresholds t) {
    Frame f = new Frame(420, 220, 52, 12, 26, 34);
    List<AdaptiveThresholds.Point> dated =
        t.points().stream().filter(p -> p.date() != null).toList();
    double lo = t.min();
    double hi = t.max();
    double pad = hi > lo ? (hi - lo) * 0.1 : Math.max(Math.abs(lo) * 0.05, 0.05);
    double yLo = lo - pad;
    double yHi = hi + pad;
    String title = panel + " " + t.title() + " by acquisition date";
    Svg svg = new Svg(f.w(), f.h(), "plot thresholds", title);
    svg.text(f.midX(), 14, title, "middle", "title", 0);
    svg.line(f.left(), f.top(), f.left(), f.baseY(), "axis");
    svg.line(f.left(), f.baseY(), f.endX(), f.baseY(), "axis");
    for (int i = 0; i <= 4; i++) {
      double v = yLo + (yHi - yLo) * i / 4;
      double y = f.baseY() - f.plotH() * i / 4;
      svg.line(f.left(), y, f.endX(), y, "grid");
      svg.text(f.left() - 4, y + 4, Html.number(v), "end", "label small", 0);
    }
    svg.text(12, f.midY(), t.dimension() + " threshold", "middle", "label small", -90);
    java.util.function.DoubleUnaryOperator sy =
        v -> f.baseY() - f.plotH() * (v - yLo) / (yHi - yLo);
    double m = t.median();
    if (Double.isFinite(m)) {
      double y = sy.applyAsDouble(m);
      svg.line(f.left(), y, f.endX(), y, "threshold");
      svg.text(f.endX() - 2, y - 3, "median " + Html.number(m), "end", "label small", 0);
    }
    if (dated.isEmpty()) {
      svg.text(f.midX(), f.midY(), "no acquisition dates", "middle", "label", 0);
      return svg.end();
    }
    long first = dated.get(0).date().toEpochDay();
    long last = dated.get(dated.size() - 1).date().toEpochDay();
    java.util.function.LongToDoubleFunction sx =
        dateScale(first, last, f.left(), f.plotW(), 0.03, 0.94);
    svg.text(f.left(), f.baseY() + 14, dated.get(0).date().toString(), "start", "label small", 0);
    if (last != first) {
      svg.text(
          f.endX(),
          f.baseY() + 14,
          dated.get(dated.size() - 1).date().toString(),
          "end",
          "label small",
          0);
    }
    svg.text(
        f.midX(),
        f.h() - 6,
        "acquisition date · " + dated.size() + " samples, " + t.fallbacks() + " fallback (orange)",
        "middle",
        "label small",
        0);
    for (AdaptiveThresholds.Point p : dated) {
      svg.circle(
          sx.applyAsDouble(p.date().toEpochDay()),
          sy.applyAsDouble(p.threshold()),
          3,
          p.fallbackUsed() ? "dot fallback" : "dot",
          p.sampleId()
              + " · "
              + p.date()
              + (p.batch() == null ? "" : " · batch " + p.batch())
              + " · "
              + (p.fallbackUsed() ? "fallback " : t.method() + " ")
              + Html.number(p.threshold()));
    }
    return svg.end();
  }

  /**
   * A Levey-Jennings chart of one normalised column: the median of the column in each control
   * aliquot (y, on the stored scale the axis names) by acquisition date (x, days, dates labelled),
   * raw in orange and normalised in blue; training aliquots filled, validation aliquots open and
   * joined in date order; the goal's median a dashed line. Aliquots without a normalised median
   * (quarantined) have their raw point only. Tooltips name sample, date, batch, role and both
   * medians; a legend under the axes says all of this.
   */
  static String controlMedians(String panel, BatchNormalisation.ControlChart c) {
    Frame f = new Frame(470, 310, 58, 14, 28, 100);
    String title = panel + " " + c.name() + ": median per control aliquot";
    Svg svg = new Svg(f.w(), f.h(), "plot control-medians", title);
    svg.text(f.midX(), 16, title, "middle", "title", 0);
    List<BatchNormalisation.ControlMedian> points = c.points();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (BatchNormalisation.ControlMedian p : points) {
      for (double v : new double[] {p.raw(), p.normalised()}) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (Double.isFinite(c.goalMedian())) {
      lo = Math.min(lo, c.goalMedian());
      hi = Math.max(hi, c.goalMedian());
    }
    svg.line(f.left(), f.top(), f.left(), f.baseY(), "axis");
    svg.line(f.left(), f.baseY(), f.endX(), f.baseY(), "axis");
    svg.text(14, f.midY(), "median " + c.axis(), "middle", "label small", -90);
    if (!(lo <= hi)) {
      svg.text(f.midX(), f.midY(), "no dated control aliquot", "middle", "label", 0);
      return svg.end();
    }
    double pad = hi > lo ? (hi - lo) * 0.08 : Math.max(Math.abs(lo) * 0.05, 0.05);
    double[] yTicks = rangeTicks(lo - pad, hi + pad, 5);
    double yLo = Math.min(lo - pad, yTicks[0]);
    double yHi = Math.max(hi + pad, yTicks[yTicks.length - 1]);
    java.util.function.DoubleUnaryOperator sy =
        v -> f.baseY() - f.plotH() * (v - yLo) / (yHi - yLo);
    for (double t : yTicks) {
      double y = sy.applyAsDouble(t);
      svg.line(f.left(), y, f.endX(), y, "grid");
      svg.text(f.left() - 4, y + 4, Html.number(t), "end", "label small", 0);
    }
    java.util.function.LongToDoubleFunction sx =
        dateAxis(
            svg,
            points.stream().map(p -> p.date().toEpochDay()).distinct().toList(),
            f.left(),
            f.plotW(),
            f.baseY());
    if (Double.isFinite(c.goalMedian())) {
      double y = sy.applyAsDouble(c.goalMedian());
      svg.line(f.left(), y, f.endX(), y, "goal");
    }
    for (String state : List.of("raw", "norm")) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (BatchNormalisation.ControlMedian p : points) {
        double v = state.equals("raw") ? p.raw() : p.normalised();
        if (p.validation() && Double.isFinite(v)) {
          xs.add(sx.applyAsDouble(p.date().toEpochDay()) + 2.5);
          ys.add(sy.applyAsDouble(v));
        }
      }
      polyline(svg, xs, ys, "lj-line " + state);
    }
    for (BatchNormalisation.ControlMedian p : points) {
      double x = sx.applyAsDouble(p.date().toEpochDay()) + (p.validation() ? 2.5 : -2.5);
      String tip =
          p.sampleId()
              + " · "
              + p.date()
              + (p.batch() == null ? "" : " · batch " + p.batch())
              + " · "
              + (p.control() == null ? "control" : p.control())
              + " · raw "
              + Html.number(p.raw())
              + " · normalised "
              + (Double.isFinite(p.normalised()) ? Html.number(p.normalised()) : "none");
      String open = p.validation() ? " open" : "";
      if (Double.isFinite(p.raw())) {
        svg.circle(x, sy.applyAsDouble(p.raw()), 3.2, "lj raw" + open, tip);
      }
      if (Double.isFinite(p.normalised())) {
        svg.circle(x, sy.applyAsDouble(p.normalised()), 3.2, "lj norm" + open, tip);
      }
    }
    double ly = f.h() - 10;
    double lx = f.left() - 40;
    svg.circle(lx + 4, ly - 4, 3.2, "lj legend-key", null);
    svg.text(lx + 11, ly, "training", "start", "label small", 0);
    svg.circle(lx + 66, ly - 4, 3.2, "lj legend-key open", null);
    svg.text(lx + 73, ly, "validation (held out)", "start", "label small", 0);
    svg.rect(lx + 183, ly - 8, 10, 8, "lj raw", null, null);
    svg.text(lx + 197, ly, "raw", "start", "label small", 0);
    svg.rect(lx + 222, ly - 8, 10, 8, "lj norm", null, null);
    svg.text(lx + 236, ly, "normalised", "start", "label small", 0);
    svg.line(lx + 298, ly - 4, lx + 318, ly - 4, "goal");
    svg.text(lx + 322, ly, "goal median", "start", "label small", 0);
    return svg.end();
  }

  /**
   * The x scale of epoch days from {@code first} to {@code last}: {@code first} at {@code margin}
   * of the width {@code plotW}, {@code last} {@code inner} of it further; one day alone in the
   * middle.
   */
  private static java.util.function.LongToDoubleFunction dateScale(
      long first, long last, double left, double plotW, double margin, double inner) {
    double span = Math.max(1, last - first);
    return d ->
        last == first
            ? left + plotW / 2
            : left + plotW * margin + plotW * inner * (d - first) / span;
  }

  /**
   * The x axis of acquisition dates under a plot: the scale of {@code days} (epoch days, sorted;
   * 5% of the width free on each side, one day alone in the middle), a tick and a slanted label
   * for each day (seven evenly spaced over more than twelve days), and the axis title. Returns the
   * scale.
   */
  private static java.util.function.LongToDoubleFunction dateAxis(
      Svg svg, List<Long> days, double left, double plotW, double axisY) {
    long first = days.get(0);
    long last = days.get(days.size() - 1);
    java.util.function.LongToDoubleFunction sx = dateScale(first, last, left, plotW, 0.05, 0.90);
    List<Long> labelled = new ArrayList<>();
    if (days.size() <= 12) {
      labelled.addAll(days);
    } else {
      for (int i = 0; i <= 6; i++) {
        labelled.add(first + Math.round((last - first) * i / 6.0));
      }
    }
    for (long d : labelled) {
      double x = sx.applyAsDouble(d);
      svg.line(x, axisY, x, axisY + 4, "tick");
      svg.text(
          x + 3,
          axisY + 12,
          java.time.LocalDate.ofEpochDay(d).toString(),
          "end",
          "label small",
          -40);
    }
    svg.text(left + plotW / 2, axisY + 68, "acquisition date", "middle", "label small", 0);
    return sx;
  }

  /**
   * Acquisition QC of one panel: each sample's % of events flagged ({@code verb}: removed
   * downstream, or only flagged) by acquisition date, one dot per sample with a date, the flagged
   * ones (over {@code warnShare}, or QC failed) orange; {@code qc.warn-share} a dashed line.
   * Tooltips name sample, date, visit, status and the %.
   */
  static String removedByDate(
      String panel, List<AcquisitionQcView.SampleQc> samples, double warnShare, String verb) {
    Frame f = new Frame(470, 300, 58, 14, 28, 90);
    String title = panel + ": % of events " + verb + " per sample";
    Svg svg = new Svg(f.w(), f.h(), "plot acquisition-qc", title);
    svg.text(f.midX(), 16, title, "middle", "title", 0);
    List<AcquisitionQcView.SampleQc> dated =
        samples.stream()
            .filter(s -> s.acquisitionDate() != null)
            .sorted(
                java.util.Comparator.comparing(AcquisitionQcView.SampleQc::acquisitionDate)
                    .thenComparing(AcquisitionQcView.SampleQc::sampleId))
            .toList();
    double max = 100 * warnShare;
    for (AcquisitionQcView.SampleQc s : dated) {
      max = Math.max(max, s.percent());
    }
    double[] yTicks = ticks(max > 0 ? max * 1.08 : 1, 5);
    yAxis(svg, yTicks, 0, f, "% of events " + verb);
    if (dated.isEmpty()) {
      svg.text(f.midX(), f.midY(), "no dated sample", "middle", "label", 0);
      return svg.end();
    }
    double yMax = yTicks[yTicks.length - 1];
    java.util.function.DoubleUnaryOperator sy = v -> f.baseY() - f.plotH() * clamp(v / yMax);
    java.util.function.LongToDoubleFunction sx =
        dateAxis(
            svg,
            dated.stream().map(s -> s.acquisitionDate().toEpochDay()).distinct().toList(),
            f.left(),
            f.plotW(),
            f.baseY());
    double t = sy.applyAsDouble(100 * warnShare);
    svg.line(f.left(), t, f.endX(), t, "threshold");
    for (AcquisitionQcView.SampleQc s : dated) {
      svg.circle(
          sx.applyAsDouble(s.acquisitionDate().toEpochDay()),
          sy.applyAsDouble(s.percent()),
          3.2,
          s.flagged(warnShare) ? "dot flagged" : "dot",
          s.sampleId()
              + " · "
              + s.acquisitionDate()
              + (s.visit() == null ? "" : " · " + s.visit())
              + " · "
              + s.status()
              + " · "
              + AcquisitionQcView.percent(s.percent())
              + "% "
              + verb);
    }
    return svg.end();
  }

  /** About {@code n} round tick values covering [lo, hi] (e.g. 1.2, 1.4, ... for [1.13, 2.07]). */
  static double[] rangeTicks(double lo, double hi, int n) {
    if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(hi > lo)) {
      return new double[] {Double.isFinite(lo) ? lo : 0};
    }
    double raw = (hi - lo) / n;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = mag * (raw / mag <= 1 ? 1 : raw / mag <= 2 ? 2 : raw / mag <= 5 ? 5 : 10);
    long from = (long) Math.ceil(lo / step - 1e-9);
    long to = (long) Math.floor(hi / step + 1e-9);
    double[] t = new double[(int) Math.max(1, to - from + 1)];
    for (int i = 0; i < t.length; i++) {
      // rounded to the step's decimals, so labels read 1.2, not 1.2000000000000002
      t[i] =
          new java.math.BigDecimal((from + i) * step)
              .setScale(
                  Math.max(0, (int) -Math.floor(Math.log10(step))), java.math.RoundingMode.HALF_UP)
              .doubleValue();
    }
    return t;
  }

  /**
   * The y axis of {@code f}'s plot area: a grid line at each tick (the last at the top), labelled
   * with the tick plus {@code offset} (the value at the bottom), both axis lines and the title.
   */
  private static void yAxis(Svg svg, double[] ticks, double offset, Frame f, String label) {
    double max = ticks[ticks.length - 1];
    for (double t : ticks) {
      double y = f.baseY() - f.plotH() * t / max;
      svg.line(f.left(), y, f.endX(), y, "grid");
      svg.text(f.left() - 4, y + 4, Html.number(t + offset), "end", "label small", 0);
    }
    svg.line(f.left(), f.top(), f.left(), f.baseY(), "axis");
    svg.line(f.left(), f.baseY(), f.endX(), f.baseY(), "axis");
    svg.text(12, f.midY(), label, "middle", "label small", -90);
  }

  private static double clamp(double t) {
    return Double.isFinite(t) ? Math.max(0, Math.min(1, t)) : 0;
  }
}
