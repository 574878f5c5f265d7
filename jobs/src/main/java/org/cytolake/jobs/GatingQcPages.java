package org.cytolake.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
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
import org.cytolake.stats.LongCounts;

/**
 * The report's gating QC pages ({@link GatingQc}), one per panel with a strategy, events and
 * populations: the tables {@code populations} and {@code gating_qc} give the per-sample table and
 * the flagged samples; the density of every drawable gate's parent is binned on Spark, one job per
 * panel for all its gates and samples (only the bin counts reach the driver), and drawn as inline
 * SVG with the gate's outline.
 *
 * <p>Work is capped: {@value #BINS} × {@value #BINS} bins, ranges from the 0.1% and 99.9%
 * quantiles of about {@value #RANGE_SAMPLE} of the panel's events, taken from a seeded choice of
 * its samples ({@link PlotFrames#rangeSample}; the same axes for the pooled and per-sample plots of
 * a gate), and at most {@value #SAMPLES_PER_PANEL}
 * flagged samples drawn per panel, each only for the gates whose population it is flagged in.
 * A gate with no dimension (a Boolean gate), on a ratio or transformed dimension, or whose parent
 * is not a plain SQL expression is listed as not drawn. Which gates are drawn and how is {@link
 * GateDrawing}'s; the counts become figures in {@link GateFigures}; the bin of a value is {@link
 * BinAxis#index}.
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
    binned(events, strategy, drawn, axes, List.copyOf(flagged.keySet()), figures);

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
   * Adds the events of every gate's parent per flagged sample (null for the others) and bin to
   * {@code figures}, in one pass over the events. Spark selects, per event, its slot ({@code 0} for
   * the samples not flagged, {@code 1..} for the flagged ones in {@code flagged}'s order), the axis
   * columns and whether each parent holds it; a map function ({@link CellCounts}) bins the values
   * ({@link BinAxis#index}) and tallies (gate, slot, bin x, bin y) per partition, and only the
   * tallies reach the driver. It reads Spark's internal rows ({@code queryExecution().toRdd()}):
   * converting each to a {@link Row} took more time than the binning and counting. Each parent's
   * membership is a column of its own, computed once over its nearest ancestor's ({@link
   * PopulationColumn#of(GatingStrategy, String, Map, Map)}).
   *
   * <p>Binning in SQL and counting with an explode and a group-by, as before session 14, made the
   * stage's generated code too big for HotSpot to compile (11-13 KB of bytecode), and Spark ran it
   * unfused: the report's gating QC step on the 10^7-event trial took 70 s with it, 34 s with this
   * (BENCHMARKS.md, session 14).
   */
  private static void binned(
      Dataset<Row> events,
      GatingStrategy strategy,
      List<GateDrawing> drawn,
      Map<String, BinAxis> axes,
      List<String> flagged,
      GateFigures figures) {
    Column sample = functions.col("sample_id");
    Column slot = functions.lit(0);
    for (int i = flagged.size() - 1; i >= 0; i--) {
      slot = functions.when(sample.equalTo(flagged.get(i)), functions.lit(i + 1)).otherwise(slot);
    }
    List<String> axisColumns = List.copyOf(axes.keySet());
    List<Column> select = new ArrayList<>();
    select.add(slot.as("_s"));
    axisColumns.forEach(c -> select.add(functions.col(c).cast(DataTypes.DoubleType)));
    // parents from the top down, so that each finds its ancestors' columns
    List<String> parents =
        drawn.stream()
            .map(GateDrawing::parent)
            .filter(Objects::nonNull)
            .distinct()
            .sorted(Comparator.comparingInt(p -> strategy.path(p).split("/").length))
            .toList();
    Dataset<Row> e = events;
    Map<String, Column> in = new LinkedHashMap<>();
    for (String p : parents) {
      Map<String, String> byDimension = new LinkedHashMap<>();
      PopulationFilter.requiredColumns(strategy, p).forEach(c -> byDimension.put(c, c));
      String name = "_p" + in.size();
      e = e.withColumn(name, PopulationColumn.of(strategy, p, byDimension, in));
      in.put(p, functions.col(name));
    }
    in.values().forEach(select::add);
    int first = 1 + axisColumns.size();
    List<String> parentNames = List.copyOf(in.keySet());
    int[] x = new int[drawn.size()];
    int[] y = new int[drawn.size()];
    int[] parent = new int[drawn.size()];
    for (int i = 0; i < drawn.size(); i++) {
      GateDrawing d = drawn.get(i);
      x[i] = 1 + axisColumns.indexOf(d.x().column());
      y[i] = d.y() == null ? -1 : 1 + axisColumns.indexOf(d.y().column());
      parent[i] = d.parent() == null ? -1 : first + parentNames.indexOf(d.parent());
    }
    BinAxis[] byColumn = new BinAxis[first];
    for (int i = 0; i < axisColumns.size(); i++) {
      byColumn[i + 1] = axes.get(axisColumns.get(i));
    }
    for (LongCounts t : tally(e.select(select.toArray(new Column[0])), byColumn, x, y, parent)) {
      t.forEach(
          (key, n) -> {
            int s = (int) (key >>> 48);
            figures.add(
                drawn.get((int) (key >>> 32) & 0xffff).index(),
                s == 0 ? null : flagged.get(s - 1),
                (short) (key >>> 16),
                (short) key,
                n);
          });
    }
  }

  /** {@link CellCounts} of every partition of {@code rows}, on Spark. */
  static List<LongCounts> tally(Dataset<Row> rows, BinAxis[] axes, int[] x, int[] y, int[] parent) {
    return rows.queryExecution()
        .toRdd()
        .toJavaRDD()
        .mapPartitions(new CellCounts(axes, x, y, parent))
        .collect();
  }

  /**
   * Per partition, the events per (slot, gate, bin x, bin y) of rows {@code (slot, axis values...,
   * parent memberships...)}: keys {@code slot << 48 | gate << 32 | bx << 16 | by} (16 bits each,
   * the bins as signed shorts: {@link BinAxis#index} is at least {@link BinAxis#MISSING}); a gate's
   * y bin is 0 when it has one axis.
   */
  static final class CellCounts implements FlatMapFunction<Iterator<InternalRow>, LongCounts> {
    private static final long serialVersionUID = 1L;
    private final BinAxis[] axes;
    private final int[] x;
    private final int[] y;
    private final int[] parent;

    /**
     * @param axes the axis of each row position that holds a value to bin (null elsewhere)
     * @param x per gate, the row position of its x value
     * @param y per gate, the row position of its y value, -1 for none
     * @param parent per gate, the row position of its parent's membership, -1 for none
     */
    CellCounts(BinAxis[] axes, int[] x, int[] y, int[] parent) {
      this.axes = axes.clone();
      this.x = x.clone();
      this.y = y.clone();
      this.parent = parent.clone();
    }

    @Override
    public Iterator<LongCounts> call(Iterator<InternalRow> rows) {
      LongCounts counts = new LongCounts(1 << 14);
      int[] bins = new int[axes.length];
      while (rows.hasNext()) {
        InternalRow r = rows.next();
        for (int c = 1; c < axes.length; c++) {
          bins[c] = axes[c].index(r.isNullAt(c) ? Double.NaN : r.getDouble(c));
        }
        long slot = (long) r.getInt(0) << 48;
        for (int g = 0; g < x.length; g++) {
          if (parent[g] >= 0 && (r.isNullAt(parent[g]) || !r.getBoolean(parent[g]))) {
            continue;
          }
          int by = y[g] < 0 ? 0 : bins[y[g]];
          counts.add(slot | (long) g << 32 | (bins[x[g]] & 0xffffL) << 16 | (by & 0xffffL), 1);
        }
      }
      return List.of(counts).iterator();
    }
  }

  private static Map<String, BinAxis> ranges(
      SparkSession spark, Lake lake, PanelConfig panel, Dataset<Row> events, List<String> columns) {
    double[][] q =
        PlotFrames.quantiles(
            PlotFrames.rangeSample(spark, lake, panel.code(), events, RANGE_SAMPLE), columns);
    Map<String, BinAxis> out = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      double lo = q[i].length < 2 ? 0 : q[i][0];
      double hi = q[i].length < 2 ? 1 : q[i][1];
      out.put(columns.get(i), BinAxis.padded(lo, hi, BINS));
    }
    return out;
  }
}
