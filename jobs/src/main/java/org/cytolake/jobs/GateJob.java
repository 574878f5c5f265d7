package org.cytolake.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.GatingConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.config.Settings;
import org.cytolake.gating.EventTable;
import org.cytolake.gating.GateEvaluator;
import org.cytolake.gating.GatingResult;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.stats.Quantiles;
import org.cytolake.tables.TableSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervised gating of the lake: applies each panel's strategy ({@code conf/gating/<panel>.yaml},
 * compact form, dimensions are {@code events_<panel>} columns) to every sample of
 * {@code events_<panel>} and writes {@code populations}, {@code population_medians} and
 * {@code gating_qc}.
 *
 * <ol>
 *   <li>Load conf/, the contracts and every panel's strategy (all problems reported at once).
 *   <li>Per panel: repartition {@code events_<panel>} by sample, sort each partition by sample and
 *       event index, and gate one sample at a time inside {@code mapPartitions}: per population
 *       its count, its parent's and the sample's, and the exact median of every column.
 *   <li>Write {@code populations} and {@code population_medians}.
 *   <li>Derive and write {@code gating_qc} (EMPTY_GATE, LOW_COUNT).
 * </ol>
 *
 * Gate ids starting with {@value #HELPER_PREFIX} are helpers (the parts of a Boolean gate) and are
 * not written. Medians are exact (a sample's events are held in one task: about 100 bytes per event, 100 MB
 * for a 10^6-event sample). Tables are replaced on every run.
 */
public final class GateJob {
  private static final Logger LOG = LoggerFactory.getLogger(GateJob.class);
  private static final int STEPS = 4;
  /** Gate ids starting with this are helpers (parts of Boolean gates): evaluated, not written. */
  public static final String HELPER_PREFIX = "_";

  private GateJob() {}

  /**
   * @param lake lake root (any Hadoop path)
   * @param conf configuration directory; strategies are read from {@code conf/gating/}
   * @param schemas directory of the table contracts
   * @param runId run id to record, or null for a new one
   */
  public record Options(String lake, Path conf, Path schemas, String runId,
      java.util.Set<String> samples) {
    /** Gates every sample. */
    public Options(String lake, Path conf, Path schemas, String runId) {
      this(lake, conf, schemas, runId, null);
    }
  }

  /**
   * @param panels panels gated (those with a strategy and an events table)
   * @param samples samples gated, all panels together
   * @param events events gated
   * @param populationRows rows of {@code populations}
   * @param medianRows rows of {@code population_medians}
   * @param qcFlags rows of {@code gating_qc}, per flag
   */
  public record Result(String runId, List<String> panels, long samples, long events,
      long populationRows, long medianRows, Map<String, Long> qcFlags, String summaryPath) {}

  /** Output of the per-partition gating: one row per sample x population. */
  static final StructType GATED = new StructType()
      .add("sample_id", DataTypes.StringType, false)
      .add("panel", DataTypes.StringType, false)
      .add("population", DataTypes.StringType, false)
      .add("population_name", DataTypes.StringType, false)
      .add("parent", DataTypes.StringType, true)
      .add("count", DataTypes.LongType, false)
      .add("parent_count", DataTypes.LongType, false)
      .add("total_count", DataTypes.LongType, false)
      .add("medians", DataTypes.createArrayType(DataTypes.DoubleType, true), false);

  public static Result run(SparkSession spark, Options o) throws IOException {
    JobRun run = JobRun.start(o.runId());
    step(spark, run, 1, "load configuration and gating strategies");
    CytolakeConfig config = CytolakeConfig.load(o.conf());
    long minEvents = config.settings().getLong(Settings.GATING_MIN_EVENTS);
    Lake lake = Lake.of(o.lake(), o.schemas(), config.settings());
    TableSchema populations = lake.schema("populations");
    TableSchema medians = lake.schema("population_medians");
    TableSchema qc = lake.schema("gating_qc");
    Map<String, String> strategies = loadStrategies(o.conf().resolve(GatingConfig.DIR), config);

    List<String> gated = new ArrayList<>();
    Dataset<Row> all = null;
    Dataset<Row> allMedians = null;
    for (Map.Entry<String, String> e : strategies.entrySet()) {
      PanelConfig panel = config.panel(e.getKey());
      if (!lake.exists(spark, panel.eventsTable())) {
        LOG.warn("gate {}: no table {} in the lake; panel {} skipped", run.runId(),
            panel.eventsTable(), panel.code());
        continue;
      }
      step(spark, run, 2, "gate " + panel.eventsTable());
      Dataset<Row> rows = gate(spark, lake, panel, e.getValue(), o.samples()).cache();
      gated.add(panel.code());
      all = all == null ? rows : all.unionByName(rows);
      allMedians = allMedians == null ? medianRows(rows, panel)
          : allMedians.unionByName(medianRows(rows, panel));
    }
    if (all == null) {
      throw new IllegalStateException("Cannot gate lake '" + o.lake() + "': no panel has both a "
          + "strategy in " + o.conf().resolve(GatingConfig.DIR) + " and an events table");
    }
    Dataset<Row> out = all
        .withColumn("pct_of_parent", functions.when(functions.col("parent_count").gt(0),
            functions.col("count").multiply(100.0).divide(functions.col("parent_count"))))
        .withColumn("pct_of_total", functions.when(functions.col("total_count").gt(0),
            functions.col("count").multiply(100.0).divide(functions.col("total_count"))))
        .withColumn("gating_run_id", functions.lit(run.runId()));

    step(spark, run, 3, "write populations and population_medians");
    lake.write(keepOthers(spark, lake, populations, out, o.samples()), populations,
        SaveMode.Overwrite);
    lake.write(keepOthers(spark, lake, medians, allMedians.withColumn("gating_run_id",
        functions.lit(run.runId())), o.samples()), medians, SaveMode.Overwrite);

    step(spark, run, 4, "write gating_qc");
    Dataset<Row> flags = qcRows(all, minEvents).withColumn("gating_run_id",
        functions.lit(run.runId()));
    lake.write(keepOthers(spark, lake, qc, flags, o.samples()), qc, SaveMode.Overwrite);

    Dataset<Row> written = lake.read(spark, "populations");
    Row totals = written.select("sample_id", "total_count").distinct()
        .agg(functions.count("sample_id"), functions.sum("total_count")).first();
    long samples = totals.getLong(0);
    long events = totals.isNullAt(1) ? 0 : totals.getLong(1);
    Map<String, Long> byFlag = new LinkedHashMap<>();
    for (Row r : lake.read(spark, "gating_qc").groupBy("flag").count().orderBy("flag")
        .collectAsList()) {
      byFlag.put(r.getString(0), r.getLong(1));
    }
    String summary = lake.root() + "/_runs/" + run.runId() + "/gate.json";
    Result result = new Result(run.runId(), List.copyOf(gated), samples, events,
        written.count(), lake.read(spark, "population_medians").count(), byFlag, summary);
    JobRun.writeSummary(summary, result, Lake.hadoopConf(spark));
    all.unpersist();
    LOG.info("gate {}: panels {}, {} sample(s), {} event(s), {} population row(s), qc {}",
        run.runId(), gated, samples, events, result.populationRows(), byFlag);
    spark.sparkContext().setJobDescription(null);
    return result;
  }

  /**
   * When only some samples were gated: their new rows plus the table's rows of every other sample
   * the lake still has (a sample gone from {@code samples} goes from the gating tables too).
   */
  private static Dataset<Row> keepOthers(SparkSession spark, Lake lake, TableSchema contract,
      Dataset<Row> fresh, java.util.Set<String> gated) {
    if (gated == null || !lake.exists(spark, contract.table())) {
      return fresh;
    }
    org.apache.spark.sql.Column[] cols = contract.columnNames().stream().map(functions::col)
        .toArray(org.apache.spark.sql.Column[]::new);
    Dataset<Row> current = lake.read(spark, "samples").select("sample_id").distinct();
    Dataset<Row> old = lake.read(spark, contract.table())
        .where(functions.not(functions.col("sample_id").isin(gated.toArray())))
        .join(current, "sample_id").select(cols);
    return fresh.select(cols).unionByName(old);
  }

  /**
   * The checked strategy text of every configured panel that has one ({@link GatingConfig#load}),
   * warning about each panel without one.
   */
  static Map<String, String> loadStrategies(Path dir, CytolakeConfig config) throws IOException {
    GatingConfig gating = GatingConfig.load(dir, config);
    for (String panel : gating.ungated()) {
      LOG.warn("gate: no strategy {} for panel {}; not gated", GatingConfig.file(dir, panel),
          panel);
    }
    return gating.texts();
  }

  /** One row per sample x population of a panel (schema {@link #GATED}). */
  static Dataset<Row> gate(SparkSession spark, Lake lake, PanelConfig panel, String strategy) {
    return gate(spark, lake, panel, strategy, null);
  }

  /** Gates the events of {@code only} these samples (null: all). */
  static Dataset<Row> gate(SparkSession spark, Lake lake, PanelConfig panel, String strategy,
      java.util.Set<String> only) {
    List<String> columns = panel.columns();
    List<org.apache.spark.sql.Column> select = new ArrayList<>();
    select.add(functions.col("sample_id"));
    for (String c : columns) {
      select.add(functions.col(c).cast(DataTypes.DoubleType));
    }
    Dataset<Row> events = lake.read(spark, panel.eventsTable());
    if (only != null) {
      events = events.where(functions.col("sample_id").isin(only.toArray()));
    }
    events = events.select(select.toArray(new org.apache.spark.sql.Column[0]));
    int partitions = Math.max(1, events.rdd().getNumPartitions());
    Dataset<Row> bySample = events.repartition(partitions, functions.col("sample_id"))
        .sortWithinPartitions("sample_id");
    return bySample.mapPartitions(new GatePartition(panel.code(), columns, strategy),
        ExpressionEncoder.apply(GATED));
  }

  /** Long-form medians: one row per sample x population x column. */
  static Dataset<Row> medianRows(Dataset<Row> gated, PanelConfig panel) {
    List<String> columns = panel.columns();
    List<org.apache.spark.sql.Column> names = new ArrayList<>();
    List<org.apache.spark.sql.Column> markers = new ArrayList<>();
    for (ChannelConfig c : panel.channels()) {
      names.add(functions.lit(c.column()));
      markers.add(c.marker() == null ? functions.lit(null).cast(DataTypes.StringType)
          : functions.lit(c.marker()));
    }
    if (names.size() != columns.size()) {
      throw new IllegalStateException("Cannot list medians of panel " + panel.code()
          + ": channels and columns differ");
    }
    return gated
        .withColumn("columns", functions.array(names.toArray(new org.apache.spark.sql.Column[0])))
        .withColumn("markers", functions.array(markers.toArray(new org.apache.spark.sql.Column[0])))
        .select(functions.col("sample_id"), functions.col("panel"), functions.col("population"),
            functions.col("count").as("events"),
            functions.posexplode(functions.col("medians")).as(new String[] {"i", "median"}),
            functions.col("columns"), functions.col("markers"))
        .withColumn("column", functions.element_at(functions.col("columns"),
            functions.col("i").plus(1)))
        .withColumn("marker", functions.element_at(functions.col("markers"),
            functions.col("i").plus(1)))
        .drop("i", "columns", "markers");
  }

  /** The QC flags of every gated population. */
  static Dataset<Row> qcRows(Dataset<Row> gated, long minEvents) {
    Dataset<Row> empty = gated
        .filter(functions.col("count").equalTo(0).and(functions.col("parent_count").gt(0)))
        .withColumn("flag", functions.lit("EMPTY_GATE"))
        .withColumn("detail", functions.concat(functions.lit("gate caught none of the "),
            functions.col("parent_count").cast(DataTypes.StringType),
            functions.lit(" events of its parent")));
    Dataset<Row> low = gated
        .filter(functions.col("count").gt(0).and(functions.col("count").lt(minEvents)))
        .withColumn("flag", functions.lit("LOW_COUNT"))
        .withColumn("detail", functions.concat(functions.col("count").cast(DataTypes.StringType),
            functions.lit(" events, fewer than gating.min-events = " + minEvents)));
    return empty.unionByName(low);
  }

  /**
   * Gates the samples of one partition, which holds whole samples sorted by sample id: buffers
   * one sample's events, evaluates the strategy, emits its population rows, then the next sample.
   */
  static final class GatePartition extends SampleGatingPartition {
    private static final long serialVersionUID = 1L;

    GatePartition(String panel, List<String> columns, String strategyText) {
      super(panel, columns, strategyText, false);
    }

    @Override
    List<Row> gateSample(GatingStrategy strategy, String sample, double[] values, long[] eventIndex, int n) {
      GatingResult result = GateEvaluator.evaluate(strategy,
          new EventTable(sample, columns, n, values, null));
      int p = columns.size();
      double[] buf = new double[n];
      List<Row> rows = new ArrayList<>();
      for (String id : strategy.populations()) {
        if (id.startsWith(HELPER_PREFIX)) {
          continue;
        }
        BitSet in = result.events(id);
        String parentId = strategy.parentOf(id).orElse(null);
        long count = in.cardinality();
        long parentCount = parentId == null ? n : result.count(parentId);
        Double[] medians = new Double[p];
        for (int c = 0; c < p; c++) {
          int k = 0;
          for (int e = in.nextSetBit(0); e >= 0; e = in.nextSetBit(e + 1)) {
            buf[k++] = values[e * p + c];
          }
          medians[c] = k == 0 ? null : Quantiles.medianInPlace(buf, k, Quantiles.NaNs.ORDERED_LAST);
        }
        rows.add(RowFactory.create(sample, panel, path(strategy, id), id,
            parentId == null ? null : path(strategy, parentId), count, parentCount, (long) n,
            scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(medians)).toSeq()));
      }
      return rows;
    }
  }

  /** A population's full path: the gate ids from the top, joined by '/'. */
  static String path(GatingStrategy strategy, String id) {
    return strategy.path(id);
  }

  private static void step(SparkSession spark, JobRun run, int n, String what) {
    String d = "gate " + n + "/" + STEPS + ": " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info("{} [{}]", d, run.runId());
  }
}
