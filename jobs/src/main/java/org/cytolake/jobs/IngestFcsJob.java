package org.cytolake.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.KeywordLink;
import org.cytolake.config.PanelConfig;
import org.cytolake.config.Settings;
import org.cytolake.ingest.EventQc;
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
import org.cytolake.tables.Pseudonymizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ingest-fcs}: FCS files and their manifest into {@code samples}, {@code channels},
 * {@code events_<panel>}, {@code quarantine} and {@code ingest_ledger}.
 *
 * <ol>
 *   <li>List the input files, read the manifest and what the lake holds ({@link IngestFcsInputs}).
 *   <li>Inspect every file in parallel: size, SHA-256, HEADER and TEXT (executors, {@link
 *       IngestFcsChecks}; one small record per file comes back).
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
 *       concurrent Spark jobs ({@link IngestFcsWrites}, which writes the events too).
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
    Broadcast<SerializableConfiguration> bconf =
        jsc.broadcast(new SerializableConfiguration(hconf));
    List<FileCheck> checks = IngestFcsChecks.inspect(jsc, bconf, files, knownSha, keepKeywords);

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
      LOG.info("ingest-fcs {}: incremental: {}", run.runId(), delta.describe());
    }

    // 4. acquisition QC of the changed files, then events per panel
    List<PlannedSample> changed =
        delta.changedByPanel().values().stream().flatMap(List::stream).toList();
    step(spark, run, 4, "acquisition QC of " + changed.size() + " new or changed files");
    List<EventQc> qc = IngestFcsChecks.acquisitionQc(jsc, bconf, changed, settings);
    Broadcast<HashMap<String, EventQc>> bqc = jsc.broadcast(EventQc.bySample(qc));
    LOG.info("ingest-fcs {}: acquisition QC {}", run.runId(), EventQc.describe(qc));
    Map<String, Long> perPanel = new TreeMap<>();
    long written = 0;
    for (Map.Entry<String, List<PlannedSample>> e : delta.changedByPanel().entrySet()) {
      PanelConfig panel = config.panel(e.getKey());
      step(
          spark,
          run,
          4,
          "events of panel " + panel.code() + " (" + e.getValue().size() + " samples)");
      long n = IngestFcsWrites.events(spark, lake, config, panel, e.getValue(), bqc, run);
      perPanel.put(panel.code(), n);
      written += n;
    }
    IngestFcsWrites.removeSamples(spark, lake, config, delta.removed(), run.runId());

    // 5. samples, channels, quarantine, ledger
    step(spark, run, 5, "write samples, sample_qc, channels, quarantine, ingest_ledger");
    RunStamp now = new RunStamp(run.runId(), run.startedAt());
    IngestFcsWrites.tables(spark, lake, config, plan, delta, prev, files, qc, now);

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
    LOG.info("ingest-fcs {}: {}; summary {}", run.runId(), counts.describe(), summary);
    spark.sparkContext().setJobDescription(null);
    return result;
  }

  private static void step(SparkSession spark, JobRun run, int n, String what) {
    String d = "ingest-fcs " + n + "/6: " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info("{} [{}]", d, run.runId());
  }
}
