package org.cytolake.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.GatingConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.config.Settings;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.PopulationStats;
import org.cytolake.lake.Lake;
import org.cytolake.tables.TableSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervised gating of the lake: applies each panel's strategy ({@code conf/gating/<panel>.yaml},
 * compact form, dimensions are {@code events_<panel>} columns) to every sample of
 * {@code events_<panel>} and writes {@code populations}, {@code population_medians},
 * {@code gating_qc} and {@code gate_thresholds}.
 *
 * <ol>
 *   <li>Load conf/, the contracts and every panel's strategy (all problems reported at once).
 *   <li>Per panel: repartition {@code events_<panel>} by sample, sort each partition by sample and
 *       event index, and gate one sample at a time inside {@code mapPartitions} with
 *       {@link PopulationStats}: per population its count, its parent's and the sample's, the
 *       percentages, the exact median of every column and its QC flags. A gate's data-adaptive
 *       limits ({@code auto} in the compact form, {@link org.cytolake.gating.AdaptiveThreshold})
 *       are found in the sample first, from its parent's events (gated before it, top-down).
 *   <li>Write {@code populations} and {@code population_medians}.
 *   <li>Write {@code gating_qc} (EMPTY_GATE, LOW_COUNT, ADAPTIVE_FALLBACK).
 *   <li>Write {@code gate_thresholds} (every data-adaptive limit found, per sample).
 * </ol>
 *
 * Helper gates ({@link GatingStrategy#isHelper}: the parts of a Boolean gate) are not written.
 * Medians are exact (a sample's events are held in one task: about 100 bytes per event, 100 MB
 * for a 10^6-event sample). Tables are replaced on every run; gating is deterministic (a
 * threshold does not depend on the events' order), so re-running writes the same rows.
 */
public final class GateJob {
  private static final Logger LOG = LoggerFactory.getLogger(GateJob.class);
  private static final int STEPS = 5;

  private GateJob() {}

  /**
   * @param lake lake root (any Hadoop path)
   * @param conf configuration directory; strategies are read from {@code conf/gating/}
   * @param schemas directory of the table contracts
   * @param runId run id to record, or null for a new one
   */
  public record Options(
      String lake, Path conf, Path schemas, String runId, java.util.Set<String> samples) {
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
   * @param thresholdRows rows of {@code gate_thresholds}
   */
  public record Result(
      String runId,
      List<String> panels,
      long samples,
      long events,
      long populationRows,
      long medianRows,
      Map<String, Long> qcFlags,
      long thresholdRows,
      String summaryPath) {}

  /** Gates the lake of {@code o}, loading the configuration; tests call this directly. */
  public static Result run(SparkSession spark, Options o) throws IOException {
    return run(RunContext.open(spark, o.lake(), o.conf(), o.schemas(), o.runId()), o.samples());
  }

  /**
   * Gates within a run.
   *
   * @param onlySamples samples to gate (the other samples' rows are kept), or null for all
   */
  public static Result run(RunContext ctx, java.util.Set<String> onlySamples) throws IOException {
    SparkSession spark = ctx.spark();
    JobRun run = ctx.run();
    CytolakeConfig config = ctx.config();
    Lake lake = ctx.lake();
    step(spark, run, 1, "load gating strategies");
    long minEvents = config.settings().getLong(Settings.GATING_MIN_EVENTS);
    TableSchema populations = lake.schema("populations");
    TableSchema medians = lake.schema("population_medians");
    TableSchema qc = lake.schema("gating_qc");
    TableSchema thresholds = lake.schema("gate_thresholds");
    GatingConfig gating = ctx.steps().gating();
    for (String panel : gating.ungated()) {
      LOG.warn(
          "gate: no strategy {} for panel {}; not gated",
          GatingConfig.file(gating.dir(), panel),
          panel);
    }
    Map<String, String> strategies = gating.texts();

    List<String> gated = new ArrayList<>();
    Dataset<Row> all = null;
    for (Map.Entry<String, String> e : strategies.entrySet()) {
      PanelConfig panel = config.panel(e.getKey());
      if (!lake.exists(spark, panel.eventsTable())) {
        LOG.warn(
            "gate {}: no table {} in the lake; panel {} skipped",
            run.runId(),
            panel.eventsTable(),
            panel.code());
        continue;
      }
      QcEvents.requireNormalised(ctx, panel);
      step(spark, run, 2, "gate " + panel.eventsTable());
      Dataset<Row> rows =
          GateFrames.gate(
                  spark,
                  lake,
                  panel,
                  e.getValue(),
                  onlySamples,
                  minEvents,
                  QcEvents.cleanOnly(config.settings()))
              .cache();
      gated.add(panel.code());
      all = all == null ? rows : all.unionByName(rows);
    }
    if (all == null) {
      throw new IllegalStateException(
          "Cannot gate lake '"
              + lake.root()
              + "': no panel has both a "
              + "strategy in "
              + ctx.conf().resolve(GatingConfig.DIR)
              + " and an events table");
    }
    Dataset<Row> out = all.withColumn("gating_run_id", functions.lit(run.runId()));

    step(spark, run, 3, "write populations and population_medians");
    lake.write(
        GateFrames.keepOthers(spark, lake, populations, out, onlySamples),
        populations,
        SaveMode.Overwrite);
    lake.write(
        GateFrames.keepOthers(
            spark,
            lake,
            medians,
            GateFrames.medianRows(all).withColumn("gating_run_id", functions.lit(run.runId())),
            onlySamples),
        medians,
        SaveMode.Overwrite);

    step(spark, run, 4, "write gating_qc");
    Dataset<Row> flags =
        GateFrames.qcFlags(all).withColumn("gating_run_id", functions.lit(run.runId()));
    lake.write(GateFrames.keepOthers(spark, lake, qc, flags, onlySamples), qc, SaveMode.Overwrite);

    step(spark, run, 5, "write gate_thresholds");
    Dataset<Row> found =
        GateFrames.thresholdRows(all).withColumn("gating_run_id", functions.lit(run.runId()));
    lake.write(
        GateFrames.keepOthers(spark, lake, thresholds, found, onlySamples),
        thresholds,
        SaveMode.Overwrite);

    Dataset<Row> written = lake.read(spark, "populations");
    Row totals =
        written
            .select("sample_id", "total_count")
            .distinct()
            .agg(functions.count("sample_id"), functions.sum("total_count"))
            .first();
    long samples = totals.getLong(0);
    long events = totals.isNullAt(1) ? 0 : totals.getLong(1);
    Map<String, Long> byFlag = new LinkedHashMap<>();
    for (Row r :
        lake.read(spark, "gating_qc").groupBy("flag").count().orderBy("flag").collectAsList()) {
      byFlag.put(r.getString(0), r.getLong(1));
    }
    String summary = lake.runSummary(run.runId(), "gate");
    Result result =
        new Result(
            run.runId(),
            List.copyOf(gated),
            samples,
            events,
            written.count(),
            lake.read(spark, "population_medians").count(),
            byFlag,
            lake.read(spark, "gate_thresholds").count(),
            summary);
    ctx.writeRunSummary("gate", result);
    all.unpersist();
    LOG.info(
        "gate {}: panels {}, {} sample(s), {} event(s), {} population row(s), qc {}, {}"
            + " threshold row(s)",
        run.runId(),
        gated,
        samples,
        events,
        result.populationRows(),
        byFlag,
        result.thresholdRows());
    spark.sparkContext().setJobDescription(null);
    return result;
  }

  private static void step(SparkSession spark, JobRun run, int n, String what) {
    String d = "gate " + n + "/" + STEPS + ": " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info("{} [{}]", d, run.runId());
  }
}
