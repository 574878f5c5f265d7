package org.cytolake.jobs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.config.Settings;
import org.cytolake.ingest.EventQc;
import org.cytolake.ingest.EventsLayout;
import org.cytolake.ingest.IngestDelta;
import org.cytolake.ingest.IngestPlan;
import org.cytolake.ingest.IngestRows;
import org.cytolake.ingest.InputFile;
import org.cytolake.ingest.PlannedSample;
import org.cytolake.ingest.PreviousIngest;
import org.cytolake.ingest.RunStamp;
import org.cytolake.lake.Lake;
import org.cytolake.source.FcsSourceOptions;
import org.cytolake.tables.TableSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes of ingest-fcs: the events of a panel's changed samples, read by the {@code fcs} data
 * source with each event's {@code qc_flag}, and the small tables ({@code samples}, {@code
 * sample_qc}, {@code channels}, {@code quarantine}, {@code ingest_ledger}) from the rows the
 * {@code ingest} core makes ({@link IngestRows}), as concurrent Spark jobs. Every write goes
 * through its contract ({@link Lake#write}).
 */
final class IngestFcsWrites {
  private static final Logger LOG = LoggerFactory.getLogger(IngestFcsJob.class);

  private IngestFcsWrites() {}

  /**
   * Writes the events of {@code samples} (one panel) to {@code events_<panel>}, replacing their
   * partitions, each event flagged from {@code qc}; returns the events that landed there.
   */
  static long events(
      SparkSession spark,
      Lake lake,
      CytolakeConfig config,
      PanelConfig panel,
      List<PlannedSample> samples,
      Broadcast<HashMap<String, EventQc>> qc,
      JobRun run) {
    Dataset<Row> raw =
        spark
            .read()
            .format("fcs")
            .options(
                FcsSourceOptions.forIngest(
                    panel, samples, config.settings().getLong(Settings.INGEST_SPLIT_BYTES)))
            .load();
    long maxRecords = config.settings().getLong(Settings.INGEST_MAX_RECORDS_PER_FILE);
    int tasks =
        EventsLayout.writeTasks(
            raw.rdd().getNumPartitions(),
            spark.sparkContext().defaultParallelism(),
            samples.stream().mapToLong(s -> s.check().events()).sum(),
            maxRecords);
    UserDefinedFunction flag =
        functions.udf(
            (UDF2<String, Long, Integer>)
                (sample, event) -> {
                  EventQc q = qc.value().get(sample);
                  return q == null ? 0 : (int) q.flag(event);
                },
            DataTypes.IntegerType);
    Dataset<Row> rows =
        raw.withColumnRenamed("event", "event_index")
            .withColumn(
                "qc_flag",
                functions
                    .when(
                        functions.col("dataset").equalTo(0),
                        flag.apply(functions.col("sample_id"), functions.col("event_index")))
                    .otherwise(0))
            .coalesce(tasks);
    spark.conf().set("spark.sql.files.maxRecordsPerFile", Long.toString(maxRecords));
    spark
        .conf()
        .set(
            "spark.sql.maxConcurrentOutputFileWriters",
            Integer.toString(EventsLayout.concurrentWriters(config.visits())));
    lake.write(
        rows,
        TableSchema.events(lake.schemasDir(), panel),
        SaveMode.Overwrite,
        EventsLayout.parquetOptions(panel));
    // Count what landed in the partitions just replaced (row counts from Parquet footers only).
    List<String> ids = samples.stream().map(PlannedSample::sampleId).toList();
    long n =
        lake.read(spark, panel.eventsTable())
            .where(functions.col("sample_id").isin(ids.toArray()))
            .count();
    LOG.info("ingest-fcs {}: wrote {} events to {}", run.runId(), n, panel.eventsTable());
    return n;
  }

  /** Deletes the partitions of the samples the input no longer yields, per panel. */
  static void removeSamples(
      SparkSession spark,
      Lake lake,
      CytolakeConfig config,
      Map<String, List<String>> removed,
      String runId) {
    for (Map.Entry<String, List<String>> e : removed.entrySet()) {
      String table = config.panel(e.getKey()).eventsTable();
      LOG.info(
          "ingest-fcs {}: removing {} sample(s) from {} that the input no longer yields",
          runId,
          e.getValue().size(),
          table);
      lake.deletePartitions(spark, table, e.getValue());
    }
  }

  /**
   * Replaces {@code samples}, {@code sample_qc}, {@code channels}, this job's {@code quarantine}
   * records and {@code ingest_ledger}, as concurrent Spark jobs.
   *
   * @param files the input files found, by path
   * @param qc the acquisition QC of the samples checked now
   */
  static void tables(
      SparkSession spark,
      Lake lake,
      CytolakeConfig config,
      IngestPlan plan,
      IngestDelta delta,
      PreviousIngest prev,
      Map<String, InputFile> files,
      List<EventQc> qc,
      RunStamp now) {
    List<Row> sampleQc = sampleQcRows(spark, lake, delta, qc, now);
    concurrently(
        spark,
        List.of(
            () ->
                write(
                    spark,
                    lake,
                    "samples",
                    c -> IngestRows.samples(c, plan.samples(), delta, prev, config.visits(), now)),
            () ->
                lake.write(
                    spark.createDataFrame(
                        sampleQc, lake.schema(IngestFcsJob.SAMPLE_QC).sparkSchema()),
                    lake.schema(IngestFcsJob.SAMPLE_QC),
                    SaveMode.Overwrite),
            () ->
                write(
                    spark,
                    lake,
                    "channels",
                    c -> IngestRows.channels(c, plan.samples(), config.panels())),
            () ->
                lake.replaceQuarantine(
                    spark,
                    IngestPlan.JOB,
                    rows(
                        IngestRows.quarantine(
                            lake.schema(Lake.QUARANTINE), plan.quarantine(), prev, now))),
            () ->
                write(
                    spark,
                    lake,
                    "ingest_ledger",
                    c -> IngestRows.ledger(c, plan.ledger(), files, prev, now))));
  }

  /**
   * {@code sample_qc}: the rows of the samples checked now, and the previous rows of the samples
   * an incremental run found unchanged (collected before the table is replaced).
   */
  private static List<Row> sampleQcRows(
      SparkSession spark, Lake lake, IngestDelta delta, List<EventQc> qc, RunStamp now) {
    TableSchema contract = lake.schema(IngestFcsJob.SAMPLE_QC);
    List<Row> rows = new ArrayList<>(rows(qc.stream().map(q -> q.row(contract, now)).toList()));
    if (!delta.unchanged().isEmpty() && lake.exists(spark, IngestFcsJob.SAMPLE_QC)) {
      rows.addAll(
          lake.read(spark, IngestFcsJob.SAMPLE_QC)
              .where(functions.col("sample_id").isin(delta.unchanged().toArray()))
              .select(contract.columnNames().stream().map(functions::col).toArray(Column[]::new))
              .collectAsList());
    }
    return rows;
  }

  /** Writes a small table from rows the ingest core makes in its contract's column order. */
  private static void write(
      SparkSession spark, Lake lake, String table, Function<TableSchema, List<Object[]>> rows) {
    TableSchema contract = lake.schema(table);
    lake.write(
        spark.createDataFrame(rows(rows.apply(contract)), contract.sparkSchema()),
        contract,
        SaveMode.Overwrite);
  }

  private static List<Row> rows(List<Object[]> values) {
    return values.stream().map(RowFactory::create).toList();
  }

  /**
   * Runs independent Spark writes as concurrent jobs, one thread each, under the current job
   * description; waits for all of them and rethrows a failure.
   */
  private static void concurrently(SparkSession spark, List<Runnable> writes) {
    String description = spark.sparkContext().getLocalProperty("spark.job.description");
    ExecutorService pool = Executors.newFixedThreadPool(writes.size());
    try {
      CompletableFuture.allOf(
              writes.stream()
                  .map(
                      w ->
                          CompletableFuture.runAsync(
                              () -> {
                                spark.sparkContext().setJobDescription(description);
                                w.run();
                              },
                              pool))
                  .toArray(CompletableFuture[]::new))
          .join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    } finally {
      pool.shutdown();
    }
  }
}
