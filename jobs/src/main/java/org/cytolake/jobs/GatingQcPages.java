package org.cytolake.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.GatingConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.gating.Dimension;
import org.cytolake.gating.Gate;
import org.cytolake.gating.GatingMlException;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.QuadrantGate;
import org.cytolake.lake.Lake;
import org.cytolake.plot.AxisProjection;
import org.cytolake.plot.BinAxis;
import org.cytolake.plot.DensityGrid;
import org.cytolake.plot.DensityPlot;
import org.cytolake.plot.GateOutline;
import org.cytolake.plot.PanelChannels;
import org.cytolake.plot.PlotRenderer;
import org.cytolake.plot.PopulationFilter;
import org.cytolake.plot.RangeChoice;
import org.cytolake.report.GatingQc;

/**
 * The report's gating QC pages ({@link GatingQc}), one per panel with a strategy, events and
 * populations: the tables {@code populations} and {@code gating_qc} give the per-sample table and
 * the flagged samples; the density of every drawable gate's parent is binned on Spark, one job per
 * panel for all its gates and samples (the {@code plot} command's binning: only the bin counts
 * reach the driver), and drawn as inline SVG with the gate's outline.
 *
 * <p>Work is capped: {@value #BINS} × {@value #BINS} bins, ranges from the 0.1% and 99.9%
 * quantiles of at most about {@value #RANGE_SAMPLE} of the panel's events (all events, so the
 * pooled and per-sample plots of a gate share their axes), and at most {@value #SAMPLES_PER_PANEL}
 * flagged samples drawn per panel, each only for the gates whose population it is flagged in.
 * A gate with no dimension (a Boolean gate), on a ratio or transformed dimension, or whose parent
 * is not a plain SQL expression is listed as not drawn.
 */
final class GatingQcPages {
  /** Bins per axis. */
  static final int BINS = 128;

  /** Flagged samples drawn per panel, the most flagged first. */
  static final int SAMPLES_PER_PANEL = 6;

  /** Events the range quantiles are computed on, about. */
  static final long RANGE_SAMPLE = 200_000;

  static final int WIDTH = 340;
  static final int HEIGHT = 320;

  private GatingQcPages() {}

  /** The pages of every panel of the lake that has a strategy, events and populations. */
  static List<GatingQc> of(
      SparkSession spark, Lake lake, CytolakeConfig config, java.nio.file.Path conf)
      throws IOException {
    List<GatingQc> out = new ArrayList<>();
    if (!lake.exists(spark, "populations") || !lake.exists(spark, "samples")) {
      return out;
    }
    Comparator<String> byVisit = config.visits().order();
    for (PanelConfig panel : config.panels().values()) {
      Optional<GatingStrategy> strategy;
      try {
        strategy = GatingConfig.read(conf, panel.code());
      } catch (GatingMlException e) {
        continue; // the gate job reports a strategy that does not parse
      }
      if (strategy.isEmpty() || !lake.exists(spark, panel.eventsTable())) {
        continue;
      }
      GatingQc page = panel(spark, lake, config, panel, strategy.get(), byVisit);
      if (!page.rows().isEmpty()) {
        out.add(page);
      }
    }
    return out;
  }

  private record Drawn(
      int index,
      String gateId,
      Gate gate,
      String parent,
      List<String> populations,
      ChannelConfig x,
      ChannelConfig y) {}

  static GatingQc panel(
      SparkSession spark,
      Lake lake,
      CytolakeConfig config,
      PanelConfig panel,
      GatingStrategy strategy,
      Comparator<String> byVisit) {
    // 1. the table: % of parent per sample and population, gating_qc flags, MAD outliers
    List<String> paths = new ArrayList<>();
    for (String p : strategy.reportedPopulations()) {
      paths.add(strategy.path(p));
    }
    Column ofPanel = functions.col("panel").equalTo(panel.code());
    List<GatingQc.Pct> values = new ArrayList<>();
    Set<String> present = new HashSet<>();
    for (Row r :
        lake.read(spark, "populations")
            .where(ofPanel)
            .select("sample_id", "population", "pct_of_parent")
            .join(lake.read(spark, "samples").select("sample_id", "visit"), "sample_id")
            .select("sample_id", "visit", "population", "pct_of_parent")
            .collectAsList()) {
      values.add(
          new GatingQc.Pct(
              r.getString(0),
              r.getString(1),
              r.getString(2),
              r.isNullAt(3) ? Double.NaN : r.getDouble(3)));
      present.add(r.getString(2));
    }
    List<GatingQc.Flag> flags = new ArrayList<>();
    if (lake.exists(spark, "gating_qc")) {
      for (Row r :
          lake.read(spark, "gating_qc")
              .where(ofPanel)
              .select("sample_id", "population", "flag")
              .collectAsList()) {
        flags.add(new GatingQc.Flag(r.getString(0), r.getString(1), r.getString(2)));
      }
    }
    List<String> columns = paths.stream().filter(present::contains).toList();
    List<GatingQc.SampleRow> rows = GatingQc.table(columns, values, flags, byVisit);
    Map<String, Set<String>> flagged = GatingQc.flaggedSamples(columns, rows, SAMPLES_PER_PANEL);
    List<String> notes = new ArrayList<>();
    long marked = rows.stream().filter(GatingQc.SampleRow::marked).count();
    if (marked > flagged.size()) {
      notes.add(
          marked
              + " samples are flagged or outlying; the "
              + flagged.size()
              + " most marked are drawn one by one");
    }

    // 2. the gates to draw
    Set<String> eventColumns =
        new HashSet<>(Arrays.asList(lake.read(spark, panel.eventsTable()).columns()));
    List<Drawn> drawn = new ArrayList<>();
    for (Map.Entry<String, Gate> e : strategy.gates().entrySet()) {
      String id = e.getKey();
      Gate g = e.getValue();
      if (GatingStrategy.isHelper(id)) {
        continue;
      }
      String why = notDrawn(strategy, g, eventColumns);
      if (why != null) {
        notes.add("gate " + id + " is not drawn: " + why);
        continue;
      }
      List<Dimension> dims = g.dimensions();
      ChannelConfig x;
      ChannelConfig y;
      try {
        x = PanelChannels.find(panel, dims.get(0).name());
        y = dims.size() > 1 ? PanelChannels.find(panel, dims.get(1).name()) : null;
      } catch (IllegalArgumentException ex) {
        notes.add("gate " + id + " is not drawn: a dimension is not a channel of the panel");
        continue;
      }
      List<String> pops = new ArrayList<>();
      if (g instanceof QuadrantGate) {
        for (String p : strategy.populations()) {
          if (strategy.gateOf(p) == g && !p.equals(id)) {
            pops.add(strategy.path(p));
          }
        }
      } else {
        pops.add(strategy.path(id));
      }
      drawn.add(new Drawn(drawn.size(), id, g, g.parentId(), pops, x, y));
    }
    if (drawn.isEmpty()) {
      return new GatingQc(panel.code(), List.of(), columns, rows, notes);
    }

    // 3. ranges: the panel's events, all samples, so every plot of a gate has the same axes
    Dataset<Row> events = QcEvents.read(spark, lake, panel, QcEvents.cleanOnly(config.settings()));
    Set<String> axisColumns = new LinkedHashSet<>();
    for (Drawn d : drawn) {
      axisColumns.add(d.x().column());
      if (d.y() != null) {
        axisColumns.add(d.y().column());
      }
    }
    Map<String, BinAxis> axes = ranges(spark, lake, panel, events, List.copyOf(axisColumns));

    // 4. one Spark job: bins of every gate's parent, per flagged sample (others pooled together)
    Column group =
        flagged.isEmpty()
            ? functions.lit(null).cast("string")
            : functions
                .when(
                    functions.col("sample_id").isin(flagged.keySet().toArray()),
                    functions.col("sample_id"))
                .otherwise(functions.lit(null).cast("string"));
    // one pass over the events: each event gives one (gate, bin) per gate whose parent holds it
    List<Column> hits = new ArrayList<>();
    for (Drawn d : drawn) {
      BinAxis ax = axes.get(d.x().column());
      Column bx = binIndex(functions.col(d.x().column()).cast(DataTypes.DoubleType), ax);
      Column by =
          d.y() == null
              ? functions.lit(0)
              : binIndex(
                  functions.col(d.y().column()).cast(DataTypes.DoubleType),
                  axes.get(d.y().column()));
      Column cell = functions.struct(functions.lit(d.index()).as("g"), bx.as("bx"), by.as("by"));
      if (d.parent() == null) {
        hits.add(cell);
      } else {
        Map<String, String> byDimension = new LinkedHashMap<>();
        PopulationFilter.requiredColumns(strategy, d.parent()).forEach(c -> byDimension.put(c, c));
        hits.add(functions.when(PopulationColumn.of(strategy, d.parent(), byDimension), cell));
      }
    }
    Dataset<Row> all =
        events
            .select(
                group.as("s"),
                functions.explode(functions.array(hits.toArray(new Column[0]))).as("h"))
            .where(functions.col("h").isNotNull())
            .select(
                functions.col("h.g").as("g"),
                functions.col("s"),
                functions.col("h.bx").as("bx"),
                functions.col("h.by").as("by"));
    Map<Integer, DensityGrid.Builder> pooled = new TreeMap<>();
    Map<String, DensityGrid.Builder> bySample = new TreeMap<>();
    for (Drawn d : drawn) {
      pooled.put(d.index(), builder(d, axes));
    }
    for (Row r : all.groupBy("g", "s", "bx", "by").count().collectAsList()) {
      int g = r.getInt(0);
      int bx = r.getInt(2);
      int by = r.getInt(3);
      long n = r.getLong(4);
      pooled.get(g).add(bx, by, n);
      if (!r.isNullAt(1)) {
        bySample
            .computeIfAbsent(g + "\t" + r.getString(1), k -> builder(drawn.get(g), axes))
            .add(bx, by, n);
      }
    }

    // 5. draw
    List<GatingQc.GateFigure> figures = new ArrayList<>();
    for (Drawn d : drawn) {
      List<GatingQc.Plot> plots = new ArrayList<>();
      String prefix = panel.code() + "-" + d.index();
      plots.add(
          new GatingQc.Plot(
              "all samples",
              draw(
                  panel,
                  strategy,
                  d,
                  pooled.get(d.index()).build(),
                  "all samples",
                  prefix + "-all")));
      int k = 0;
      for (Map.Entry<String, Set<String>> f : flagged.entrySet()) {
        if (d.populations().stream().noneMatch(f.getValue()::contains)) {
          continue;
        }
        DensityGrid.Builder b = bySample.get(d.index() + "\t" + f.getKey());
        DensityGrid grid = b == null ? empty(d, axes) : b.build();
        plots.add(
            new GatingQc.Plot(
                f.getKey(),
                draw(panel, strategy, d, grid, "sample " + f.getKey(), prefix + "-s" + k++)));
      }
      figures.add(new GatingQc.GateFigure(d.gateId(), String.join(", ", d.populations()), plots));
    }
    return new GatingQc(panel.code(), figures, columns, rows, notes);
  }

  private static String notDrawn(GatingStrategy strategy, Gate g, Set<String> eventColumns) {
    List<Dimension> dims = g.dimensions();
    if (dims.isEmpty()) {
      return "a Boolean gate has no axes of its own";
    }
    for (Dimension d : dims) {
      if (d.isDerived() || d.transformationRef() != null) {
        return "dimension " + d.name() + " is a ratio or transformed";
      }
      if (!eventColumns.contains(d.name())) {
        return "dimension " + d.name() + " is not a column of the events";
      }
    }
    if (g.parentId() != null) {
      if (!PopulationColumn.supports(strategy, g.parentId())) {
        return "its parent " + g.parentId() + " is not a plain expression of the columns";
      }
      for (String c : PopulationFilter.requiredColumns(strategy, g.parentId())) {
        if (!eventColumns.contains(c)) {
          return "its parent reads " + c + ", not a column of the events";
        }
      }
    }
    return null;
  }

  private static Map<String, BinAxis> ranges(
      SparkSession spark, Lake lake, PanelConfig panel, Dataset<Row> events, List<String> columns) {
    Row total =
        lake.read(spark, "samples")
            .where(functions.col("panel").equalTo(panel.code()))
            .agg(functions.sum("event_count"))
            .first();
    long n = total.isNullAt(0) ? 0 : total.getLong(0);
    Dataset<Row> s =
        n <= RANGE_SAMPLE ? events : events.sample(false, (double) RANGE_SAMPLE / n, 19L);
    Column[] cols =
        columns.stream()
            .map(c -> functions.col(c).cast(DataTypes.DoubleType).as(c))
            .toArray(Column[]::new);
    double[][] q =
        s.select(cols)
            .stat()
            .approxQuantile(
                columns.toArray(new String[0]),
                new double[] {RangeChoice.LOW_QUANTILE, RangeChoice.HIGH_QUANTILE},
                RangeChoice.QUANTILE_ERROR);
    Map<String, BinAxis> out = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      double lo = q[i].length < 2 ? 0 : q[i][0];
      double hi = q[i].length < 2 ? 1 : q[i][1];
      out.put(columns.get(i), BinAxis.padded(lo, hi, BINS));
    }
    return out;
  }

  private static DensityGrid.Builder builder(Drawn d, Map<String, BinAxis> axes) {
    return DensityGrid.builder(
        axes.get(d.x().column()), d.y() == null ? null : axes.get(d.y().column()));
  }

  private static DensityGrid empty(Drawn d, Map<String, BinAxis> axes) {
    return DensityGrid.empty(
        axes.get(d.x().column()), d.y() == null ? null : axes.get(d.y().column()));
  }

  private static String draw(
      PanelConfig panel,
      GatingStrategy strategy,
      Drawn d,
      DensityGrid grid,
      String selection,
      String idPrefix) {
    String parent = d.parent() == null ? "all events" : strategy.path(d.parent());
    GateOutline outline =
        GateOutline.of(
            d.gate(),
            AxisProjection.byName(d.x().column(), d.y() == null ? null : d.y().column()),
            grid.x(),
            grid.y());
    String title =
        panel.code()
            + " gate "
            + d.gateId()
            + " on "
            + name(d.x())
            + (d.y() == null ? "" : " vs " + name(d.y()));
    List<String> subtitles =
        List.of(
            selection + " · parent " + parent,
            String.format(Locale.ROOT, "%,d events, %d bins", grid.total(), BINS));
    DensityPlot plot =
        new DensityPlot(
            grid,
            outline == null ? List.of() : List.of(outline),
            title,
            subtitles,
            PanelChannels.label(d.x()),
            d.y() == null ? DensityPlot.histogramLabel(grid.x()) : PanelChannels.label(d.y()),
            WIDTH,
            HEIGHT);
    return PlotRenderer.svgElement(plot, "gq-" + idPrefix.replaceAll("[^A-Za-z0-9_-]", "_") + "-");
  }

  private static String name(ChannelConfig c) {
    return c.marker() == null ? c.column() : c.marker();
  }

  /** The bin of a double column as SQL, as {@link BinAxis#index} computes it (the plot command's). */
  static Column binIndex(Column v, BinAxis a) {
    Column t = v.minus(functions.lit(a.lo())).multiply(functions.lit(a.scale()));
    Column clamped =
        functions.least(
            functions.greatest(t, functions.lit((double) BinAxis.BELOW)),
            functions.lit((double) a.bins()));
    return functions
        .when(v.isNull().or(functions.isnan(v)), functions.lit(BinAxis.MISSING))
        .otherwise(functions.floor(clamped).cast(DataTypes.IntegerType));
  }
}
