package org.cytolake.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
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
import org.apache.spark.util.SerializableConfiguration;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.KeywordLink;
import org.cytolake.config.PanelConfig;
import org.cytolake.config.Settings;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsReader;
import org.cytolake.ingest.EventQc;
import org.cytolake.ingest.EventsLayout;
import org.cytolake.ingest.FileCheck;
import org.cytolake.ingest.IngestDelta;
import org.cytolake.ingest.IngestPlan;
import org.cytolake.ingest.IngestRows;
import org.cytolake.ingest.InputFile;
import org.cytolake.ingest.PlannedSample;
import org.cytolake.ingest.PreviousIngest;
import org.cytolake.ingest.Reconciliation;
import org.cytolake.ingest.RunStamp;
import org.cytolake.lake.Lake;
import org.cytolake.lake.LakeState;
import org.cytolake.qc.AcquisitionQc;
import org.cytolake.qc.FcsQcInput;
import org.cytolake.qc.QcParams;
import org.cytolake.source.FcsSourceOptions;
import org.cytolake.source.HadoopFcsInput;
import org.cytolake.tables.Pseudonymizer;
import org.cytolake.tables.TableSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ingest-fcs}: FCS files and their manifest into {@code samples}, {@code channels},
 * {@code events_<panel>}, {@code quarantine} and {@code ingest_ledger}.
 *
 * <ol>
 *   <li>List the input files, read the manifest and what the lake holds ({@link IngestFcsInputs}).
 *   <li>Inspect every file in parallel: size, SHA-256, HEADER and TEXT (executors; one small
 *       record per file comes back).
 *   <li>Plan (driver, pure Java {@link IngestPlan}): each file is accepted or quarantined; and
 *       what that changes in the lake ({@link IngestDelta}: unchanged, changed, removed samples).
 *   <li>Acquisition QC ({@code org.cytolake.qc}, {@link EventQc}) of every changed file, one task
 *       per file, on the file's raw events in acquisition order; then, per panel, read the changed
 *       files' events with the {@code fcs} data source (compensated with the file's spillover,
 *       transformed per conf/panels.yaml), set each event's {@code qc_flag} from the broadcast
 *       flagged events, and write {@code events_<panel>} partitioned by visit and sample_id. QC
 *       runs here, not in the data source, because it needs all of a file's events in time order
 *       while the source reads a large file in several splits, and on the raw values ($PnR
 *       margins) that the events table no longer holds; and not as a later step, which would have
 *       to rewrite every events partition to add the column.
 *   <li>Write samples, sample_qc, channels, quarantine and the ledger ({@link IngestRows}), as
 *       concurrent Spark jobs.
 *   <li>Reconcile ({@link Reconciliation}): events in = events written + unchanged +
 *       quarantined; files found = samples + quarantined files; fail the run if not.
 * </ol>
 */
public final class IngestFcsJob {
  private static final Logger LOG = LoggerFactory.getLogger(IngestFcsJob.class);

  /** Options of one run. */
  public record Options(
      String input,
      String manifest,
      String lake,
      Path conf,
      Path schemas,
      String runId,
      boolean incremental) {
    /** A full (non-incremental) run. */
    public Options(
        String input, String manifest, String lake, Path conf, Path schemas, String runId) {
      this(input, manifest, lake, conf, schemas, runId, false);
    }
  }

  /** What one run did; the counts reconcile. */
  public record Result(
      String runId,
      int filesFound,
      int manifestRows,
      int samplesIngested,
      int filesQuarantined,
      int recordsQuarantined,
      long eventsIn,
      long eventsWritten,
      long eventsQuarantined,
      Map<String, Long> eventsPerPanel,
      Map<String, Long> reasons,
      boolean developmentSalt,
      String summaryPath,
      boolean incremental,
      int filesUnchanged,
      long eventsUnchanged,
      List<String> changedSamples,
      int samplesRemoved) {}

  /** The step name under which the incremental state is kept ({@link LakeState}). */
  public static final String STATE = "ingest-fcs";

  /** The per-sample acquisition QC table. */
  public static final String SAMPLE_QC = "sample_qc";

  private IngestFcsJob() {}

  /** Ingests the input of {@code o}, loading the configuration; tests call this directly. */
  public static Result run(SparkSession spark, Options o) throws IOException {
    return run(
        RunContext.open(spark, o.lake(), o.conf(), o.schemas(), o.runId()),
        o.input(),
        o.manifest(),
        o.incremental());
  }

  /**
   * Ingests within a run.
   *
   * @param input directory (any Hadoop path) searched for FCS files
   * @param manifest the sample manifest
   * @param incremental skip files the ledger already holds unchanged
   */
  public static Result run(RunContext ctx, String input, String manifest, boolean incremental)
      throws IOException {
    SparkSession spark = ctx.spark();
    JobRun run = ctx.run();
    CytolakeConfig config = ctx.config();
    Settings settings = config.settings();
    Pseudonymizer ids = Pseudonymizer.fromEnvironment(settings.get(Settings.PSEUDONYM_SALT_ENV));
    if (ids.isDevelopmentSalt()) {
      LOG.warn(
          "ingest-fcs: environment variable {} is not set: using the DEVELOPMENT "
              + "pseudonymisation salt (never for real patient data)",
          settings.get(Settings.PSEUDONYM_SALT_ENV));
    }
    Lake lake = ctx.lake();
    Configuration hconf = ctx.hadoopConf();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());

    // 1. input files, manifest, and what the lake holds
    step(spark, run, 1, "list input files and read the manifest");
    KeywordLink keywordLink = settings.keywordLink();
    List<String> keepKeywords = keywordLink == null ? List.of() : keywordLink.keywords();
    String pattern = settings.get(Settings.INGEST_FILENAME_PATTERN);
    LakeState state = lake.state(hconf);
    IngestFcsInputs inputs =
        IngestFcsInputs.read(
            ctx, input, manifest, incremental, !pattern.isBlank() || keywordLink != null, state);
    Map<String, InputFile> files = inputs.files();
    PreviousIngest prev = inputs.previous();
    Map<String, String> knownSha = prev.knownSha256(files.values());

    // 2. inspect files in parallel
    step(
        spark,
        run,
        2,
        "inspect "
            + files.size()
            + " files (sha256 of "
            + (files.size() - knownSha.size())
            + " new or changed, HEADER and TEXT of all)");
    Broadcast<HashMap<String, String>> bknown = jsc.broadcast(new HashMap<>(knownSha));
    Broadcast<SerializableConfiguration> bconf =
        jsc.broadcast(new SerializableConfiguration(hconf));
    List<String> paths = new ArrayList<>(files.keySet());
    List<FileCheck> checks =
        paths.isEmpty()
            ? List.of()
            : jsc.parallelize(
                    paths, Math.max(1, Math.min(paths.size(), jsc.defaultParallelism() * 4)))
                .map(
                    p -> {
                      try (HadoopFcsInput in = HadoopFcsInput.open(p, bconf.value().value())) {
                        return FileCheck.inspect(in, keepKeywords, bknown.value().get(p));
                      }
                    })
                .collect();

    // 3. plan, and what it changes in the lake
    step(spark, run, 3, "plan");
    IngestPlan plan =
        IngestPlan.plan(
            checks,
            inputs.relative(),
            inputs.manifest(),
            inputs.resolved(),
            inputs.knownPatients(),
            config,
            ids,
            pattern.isBlank() ? null : Pattern.compile(pattern),
            keywordLink);
    IngestDelta delta = IngestDelta.of(plan, prev.ledger(), prev.samples());
    LOG.info(
        "ingest-fcs {}: {} sample(s) accepted, {} quarantine record(s)",
        run.runId(),
        plan.samples().size(),
        plan.quarantine().size());
    if (incremental) {
      LOG.info(
          "ingest-fcs {}: incremental: {} sample(s) unchanged ({} events not read again), "
              + "{} new or changed, {} removed",
          run.runId(),
          delta.unchanged().size(),
          delta.eventsUnchanged(),
          delta.changed().size(),
          delta.removedCount());
    }

    // 4. acquisition QC of the changed files, then events per panel
    List<PlannedSample> changed =
        delta.changedByPanel().values().stream().flatMap(List::stream).toList();
    step(spark, run, 4, "acquisition QC of " + changed.size() + " new or changed files");
    List<EventQc> qc = acquisitionQc(jsc, bconf, changed, settings);
    HashMap<String, EventQc> qcBySample = new HashMap<>();
    qc.forEach(q -> qcBySample.put(q.sampleId(), q));
    Broadcast<HashMap<String, EventQc>> bqc = jsc.broadcast(qcBySample);
    long flagged = qc.stream().mapToLong(EventQc::flagged).sum();
    LOG.info(
        "ingest-fcs {}: acquisition QC flagged {} events of {} in {} files",
        run.runId(),
        flagged,
        qc.stream().mapToLong(EventQc::events).sum(),
        qc.size());
    Map<String, Long> perPanel = new TreeMap<>();
    long written = 0;
    for (Map.Entry<String, List<PlannedSample>> e : delta.changedByPanel().entrySet()) {
      PanelConfig panel = config.panel(e.getKey());
      step(
          spark,
          run,
          4,
          "events of panel " + panel.code() + " (" + e.getValue().size() + " samples)");
      long n = writeEvents(spark, lake, config, panel, e.getValue(), bqc);
      perPanel.put(panel.code(), n);
      written += n;
      LOG.info("ingest-fcs {}: wrote {} events to {}", run.runId(), n, panel.eventsTable());
    }
    for (Map.Entry<String, List<String>> e : delta.removed().entrySet()) {
      String table = config.panel(e.getKey()).eventsTable();
      LOG.info(
          "ingest-fcs {}: removing {} sample(s) from {} that the input no longer yields",
          run.runId(),
          e.getValue().size(),
          table);
      lake.deletePartitions(spark, table, e.getValue());
    }

    // 5. samples, channels, quarantine, ledger
    step(spark, run, 5, "write samples, sample_qc, channels, quarantine, ingest_ledger");
    RunStamp now = new RunStamp(run.runId(), run.startedAt());
    List<Row> sampleQc = sampleQcRows(spark, lake, plan, delta, qc, now);
    writeConcurrently(
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
                    spark.createDataFrame(sampleQc, lake.schema(SAMPLE_QC).sparkSchema()),
                    lake.schema(SAMPLE_QC),
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

    // 6. reconcile
    step(spark, run, 6, "reconcile");
    Reconciliation counts =
        Reconciliation.of(run.runId(), files.size(), plan, delta, written).check();
    String summary = lake.runSummary(run.runId(), STATE);
    Result result =
        new Result(
            run.runId(),
            files.size(),
            inputs.manifest().rows().size() + inputs.manifest().rejected().size(),
            plan.samples().size(),
            counts.filesQuarantined(),
            plan.quarantine().size(),
            counts.eventsIn(),
            written,
            counts.eventsQuarantined(),
            perPanel,
            plan.quarantineReasons(),
            ids.isDevelopmentSalt(),
            summary,
            incremental,
            delta.unchanged().size(),
            delta.eventsUnchanged(),
            delta.changedSampleIds(),
            delta.removedCount());
    ctx.writeRunSummary(STATE, result);
    if (incremental) {
      state.write(STATE, Map.of("fingerprint", inputs.fingerprint(), "run_id", run.runId()));
    }
    LOG.info(
        "ingest-fcs {}: events in {} = written {} + unchanged {} + quarantined {}; files {} "
            + "= samples {} + quarantined {}; summary {}",
        run.runId(),
        counts.eventsIn(),
        written,
        counts.eventsUnchanged(),
        counts.eventsQuarantined(),
        files.size(),
        plan.samples().size(),
        counts.filesQuarantined(),
        summary);
    spark.sparkContext().setJobDescription(null);
    return result;
  }

  private static long writeEvents(
      SparkSession spark,
      Lake lake,
      CytolakeConfig config,
      PanelConfig panel,
      List<PlannedSample> samples,
      Broadcast<HashMap<String, EventQc>> qc) {
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
    return lake.read(spark, panel.eventsTable())
        .where(functions.col("sample_id").isin(ids.toArray()))
        .count();
  }

  /**
   * Runs acquisition QC on the first data set of each file, one task per file; a file whose events
   * cannot be read for QC is {@link EventQc#FAILED} (nothing flagged) and never stops the run.
   */
  private static List<EventQc> acquisitionQc(
      JavaSparkContext jsc,
      Broadcast<SerializableConfiguration> conf,
      List<PlannedSample> samples,
      Settings settings) {
    if (samples.isEmpty()) {
      return List.of();
    }
    if (!settings.getBoolean(Settings.QC_ENABLED)) {
      return samples.stream()
          .map(s -> EventQc.none(s, EventQc.DISABLED, "qc.enabled is false"))
          .toList();
    }
    QcParams params = settings.qcParams();
    return jsc.parallelize(samples, samples.size())
        .map(
            s -> {
              try (HadoopFcsInput in = HadoopFcsInput.open(s.check().path(), conf.value().value());
                  FcsFile file = FcsReader.open(in)) {
                return EventQc.of(
                    s, new AcquisitionQc(params).run(FcsQcInput.read(file, file.first())));
              } catch (IOException | RuntimeException e) {
                // sample_qc is an analyst table: the file's path (it may name people) is left out
                return EventQc.none(
                    s,
                    EventQc.FAILED,
                    "Cannot read the events for acquisition QC: "
                        + String.valueOf(e.getMessage()).replace(s.check().path(), "the file"));
              }
            })
        .collect();
  }

  /**
   * {@code sample_qc}: the rows of the samples checked now, and the previous rows of the samples
   * an incremental run found unchanged (collected before the table is replaced).
   */
  private static List<Row> sampleQcRows(
      SparkSession spark,
      Lake lake,
      IngestPlan plan,
      IngestDelta delta,
      List<EventQc> qc,
      RunStamp now) {
    TableSchema contract = lake.schema(SAMPLE_QC);
    List<Row> rows = new ArrayList<>(rows(qc.stream().map(q -> q.row(contract, now)).toList()));
    if (!delta.unchanged().isEmpty() && lake.exists(spark, SAMPLE_QC)) {
      rows.addAll(
          lake.read(spark, SAMPLE_QC)
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
  private static void writeConcurrently(SparkSession spark, List<Runnable> writes) {
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

  private static void step(SparkSession spark, JobRun run, int n, String what) {
    String d = "ingest-fcs " + n + "/6: " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info("{} [{}]", d, run.runId());
  }
}
