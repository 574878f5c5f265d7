package org.cytolake.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.GatingConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.gating.GatingMlException;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.ResolvedThreshold;
import org.cytolake.lake.Lake;
import org.cytolake.plot.BinAxis;
import org.cytolake.plot.GateDrawing;
import org.cytolake.plot.GateFigures;
import org.cytolake.plot.GateThresholds;
import org.cytolake.plot.PopulationFilter;
import org.cytolake.report.AdaptiveThresholds;
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
 * is not a plain SQL expression is listed as not drawn. Which gates are drawn and how is {@link
 * GateDrawing}'s; the counts become figures in {@link GateFigures}; the bin of a value is {@link
 * BinAxis#index}, written as SQL once ({@link PlotFrames#binIndex}).
 *
 * <p>A panel whose strategy has data-adaptive limits ({@code gate_thresholds}): a flagged
 * sample's plot draws its gate at the sample's own thresholds, the pooled plot at the fallbacks
 * with the samples' range said ({@link GateThresholds}), and the page adds each limit across the
 * samples by acquisition date ({@link AdaptiveThresholds}). Without the table nothing changes.
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
    List<GatingQc.Pct> values = ReportTables.percentsOfParent(spark, lake, panel.code());
    Set<String> present = new HashSet<>();
    values.forEach(v -> present.add(v.population()));
    List<GatingQc.Flag> flags = ReportTables.gatingFlags(spark, lake, panel.code());
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

    // 2. the data-adaptive limits of every sample (gate_thresholds; none without the table)
    List<GateThresholdRows.Entry> found = GateThresholdRows.read(spark, lake, panel.code(), null);
    List<AdaptiveThresholds.Entry> entries = new ArrayList<>();
    Map<String, List<ResolvedThreshold>> byPath = new TreeMap<>();
    for (GateThresholdRows.Entry e : found) {
      ResolvedThreshold t = e.threshold();
      entries.add(
          new AdaptiveThresholds.Entry(
              e.sampleId(),
              t.gate(),
              t.dimension(),
              t.side(),
              t.method(),
              t.threshold(),
              t.fallbackUsed(),
              e.acquisitionDate(),
              e.batch()));
      byPath.computeIfAbsent(e.sampleId(), k -> new ArrayList<>()).add(t);
    }
    List<AdaptiveThresholds> thresholds = AdaptiveThresholds.of(entries);
    Map<String, List<ResolvedThreshold>> bySample = new TreeMap<>();
    byPath.forEach((sample, ts) -> bySample.put(sample, GateThresholds.byGateId(strategy, ts)));

    // 3. the gates to draw
    Set<String> eventColumns =
        new HashSet<>(Arrays.asList(lake.read(spark, panel.eventsTable()).columns()));
    GateDrawing.Plan plan =
        GateDrawing.plan(
            panel, strategy, eventColumns, p -> PopulationColumn.supports(strategy, p));
    notes.addAll(plan.notes());
    List<GateDrawing> drawn = plan.drawn();
    if (drawn.isEmpty()) {
      return new GatingQc(panel.code(), List.of(), columns, rows, notes, thresholds);
    }

    // 4. ranges: the panel's events, all samples, so every plot of a gate has the same axes
    Dataset<Row> events = QcEvents.read(spark, lake, panel, QcEvents.cleanOnly(config.settings()));
    Map<String, BinAxis> axes = ranges(spark, lake, panel, events, plan.axisColumns());

    // 5. one Spark job: bins of every gate's parent, per flagged sample (others pooled together)
    GateFigures figures = new GateFigures(drawn, axes);
    for (Row r : binned(events, strategy, drawn, axes, flagged.keySet()).collectAsList()) {
      figures.add(
          r.getInt(0),
          r.isNullAt(1) ? null : r.getString(1),
          r.getInt(2),
          r.getInt(3),
          r.getLong(4));
    }

    // 6. draw: a flagged sample's adaptive gates at its own thresholds
    return new GatingQc(
        panel.code(),
        figures.figures(panel.code(), strategy, flagged, bySample, WIDTH, HEIGHT),
        columns,
        rows,
        notes,
        thresholds);
  }

  /**
   * The events per gate, flagged sample (null for the others) and bin: rows {@code (g, s, bx, by,
   * count)}, in one pass over the events, each event giving one (gate, bin) per gate whose parent
   * holds it. Each parent's membership is a column of its own, computed once over its nearest
   * ancestor's ({@link PopulationColumn#of(GatingStrategy, String, Map, Map)}), and each axis
   * column's bin too ({@link PlotFrames#binIndex}): written gate by gate, the ancestors' tests
   * repeated in every gate's expression outgrew what Spark's generated code may hold (64 KB a
   * method) and Spark logged the compile failure before falling back.
   */
  private static Dataset<Row> binned(
      Dataset<Row> events,
      GatingStrategy strategy,
      List<GateDrawing> drawn,
      Map<String, BinAxis> axes,
      Set<String> flagged) {
    Column none = functions.lit(null).cast("string");
    Column sample = functions.col("sample_id");
    Dataset<Row> e =
        events.withColumn(
            "_s",
            flagged.isEmpty()
                ? none
                : functions.when(sample.isin(flagged.toArray()), sample).otherwise(none));
    Map<String, Column> bins = new LinkedHashMap<>();
    for (Map.Entry<String, BinAxis> a : axes.entrySet()) {
      String name = "_b" + bins.size();
      Column v = functions.col(a.getKey()).cast(DataTypes.DoubleType);
      e = e.withColumn(name, PlotFrames.binIndex(v, a.getValue()));
      bins.put(a.getKey(), functions.col(name));
    }
    // parents from the top down, so that each finds its ancestors' columns
    List<String> parents =
        drawn.stream()
            .map(GateDrawing::parent)
            .filter(Objects::nonNull)
            .distinct()
            .sorted(Comparator.comparingInt(p -> strategy.path(p).split("/").length))
            .toList();
    Map<String, Column> in = new LinkedHashMap<>();
    for (String p : parents) {
      Map<String, String> byDimension = new LinkedHashMap<>();
      PopulationFilter.requiredColumns(strategy, p).forEach(c -> byDimension.put(c, c));
      String name = "_p" + in.size();
      e = e.withColumn(name, PopulationColumn.of(strategy, p, byDimension, in));
      in.put(p, functions.col(name));
    }
    List<Column> hits = new ArrayList<>();
    for (GateDrawing d : drawn) {
      Column by = d.y() == null ? functions.lit(0) : bins.get(d.y().column());
      Column cell =
          functions.struct(
              functions.lit(d.index()).as("g"), bins.get(d.x().column()).as("bx"), by.as("by"));
      hits.add(d.parent() == null ? cell : functions.when(in.get(d.parent()), cell));
    }
    return e.select(
            functions.col("_s").as("s"),
            functions.explode(functions.array(hits.toArray(new Column[0]))).as("h"))
        .where(functions.col("h").isNotNull())
        .select(
            functions.col("h.g").as("g"),
            functions.col("s"),
            functions.col("h.bx").as("bx"),
            functions.col("h.by").as("by"))
        .groupBy("g", "s", "bx", "by")
        .count();
  }

  private static Map<String, BinAxis> ranges(
      SparkSession spark, Lake lake, PanelConfig panel, Dataset<Row> events, List<String> columns) {
    Dataset<Row> s = PlotFrames.rangeSample(spark, lake, panel.code(), events, RANGE_SAMPLE);
    Column[] cols =
        columns.stream()
            .map(c -> functions.col(c).cast(DataTypes.DoubleType).as(c))
            .toArray(Column[]::new);
    double[][] q = PlotFrames.quantiles(s.select(cols), columns);
    Map<String, BinAxis> out = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      double lo = q[i].length < 2 ? 0 : q[i][0];
      double hi = q[i].length < 2 ? 1 : q[i][1];
      out.put(columns.get(i), BinAxis.padded(lo, hi, BINS));
    }
    return out;
  }
}
