package org.cytolake.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.Settings;
import org.cytolake.ingest.QuarantineLimit;
import org.cytolake.lake.Fingerprints;
import org.cytolake.lake.LakeLock;
import org.cytolake.lake.LakeState;
import org.cytolake.lake.TablePublisher;
import org.cytolake.tables.TableSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nightly run: every job in order, as one Spark application, incremental and idempotent.
 *
 * <ol>
 *   <li>Take the lake's lock ({@link LakeLock}) and roll forward any publication a killed run left
 *       unfinished ({@link TablePublisher#recover}).
 *   <li>{@code ingest-clinical}, when the clinical files or the configuration changed since the
 *       last completed run (clinical tables are small: they are rebuilt whole). It runs before
 *       FCS ingest so that FCS files of unknown patients are caught.
 *   <li>{@code ingest-fcs}, incremental: files whose path, size and modification time (else
 *       SHA-256) match the ledger are not read again; only new or changed samples' events
 *       partitions are written; samples the input no longer yields are removed.
 *   <li>{@code gate}: only the new or changed samples (all of them when the gating strategies
 *       changed); the other samples' rows are kept.
 *   <li>{@code cluster}: when any panel's events changed or conf/clustering.yaml did (the model is
 *       refitted on the whole panel; deterministic for the seed).
 *   <li>{@code aggregate}: when clinical tables, populations or clusters changed, or its conf.
 *   <li>{@code report}: the HTML report of the run, every run.
 *   <li>Record the run: a {@code runs} row and {@code _runs/<run>/nightly.json}; then the HTML
 *       page is written again from that final summary, so it shows the run's outcome.
 * </ol>
 *
 * <p>Every table write is staged and published atomically per table or partition
 * ({@link Lake#write}); a step records what it completed in {@link LakeState} only after its
 * tables are published, so a run killed anywhere is completed by the next one.
 *
 * <p>Outcome: {@code succeeded}; {@code degraded} when the quarantined share of input files, FCS
 * events or clinical records exceeds {@code ingest.max-quarantined-fraction} ({@link
 * QuarantineLimit}: every step still runs on what was accepted, and the first warning says what
 * was rejected and why); {@code failed} when a step failed. Every outcome is recorded.
 */
public final class NightlyJob {
  private static final Logger LOG = LoggerFactory.getLogger(NightlyJob.class);
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** Steps in order. */
  public static final List<String> STEPS =
      List.of("ingest-clinical", "ingest-fcs", "gate", "cluster", "aggregate", "report");

  /**
   * Options of a nightly run.
   *
   * @param input directory with {@code clinical/} (CSV/JSON), FCS files anywhere below it and
   *     {@code manifest.csv} (unless {@code manifest} is given)
   * @param manifest sample manifest, or null for {@code <input>/manifest.csv}
   * @param full ignore the incremental state: recompute every step
   * @param lockStale a lock not touched for this long is taken over
   */
  public record Options(String input, String manifest, String lake, Path conf, Path schemas,
      String runId, boolean full, Duration lockStale) {}

  /** One step of the run. */
  public record Step(String name, String status, double seconds, Map<String, Object> detail) {}

  /** What the run did. */
  public record Result(String runId, String status, Instant startedAt, Instant finishedAt,
      List<Step> steps, Map<String, Long> counts, List<String> warnings, String failedStep,
      String message, String reportPath, String htmlReport) {}

  private NightlyJob() {}

  public static Result run(SparkSession spark, Options o) throws IOException {
    JobRun run = JobRun.start(o.runId());
    Configuration hconf = Lake.hadoopConf(spark);
    CytolakeConfig config = CytolakeConfig.load(o.conf());
    Lake lake = Lake.of(o.lake(), o.schemas(), config.settings());
    // Refuses, before anything is read or locked, a lake whose file system cannot publish
    // atomically (unless conf accepts it).
    lake.publisher(spark);
    QuarantineLimit limit = new QuarantineLimit(
        config.settings().getDouble(Settings.INGEST_MAX_QUARANTINED_FRACTION));
    List<QuarantineLimit.Share> shares = new ArrayList<>();
    Map<String, Long> reasons = new TreeMap<>();
    List<Step> steps = new ArrayList<>();
    Map<String, Long> counts = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    String current = "lock";
    String html = null;
    ReportJob.Page page = null;
    LOG.info("nightly {}: input {}, lake {}{}", run.runId(), o.input(), o.lake(),
        o.full() ? " (full: incremental state ignored)" : "");
    try (LakeLock lock = LakeLock.acquire(o.lake(), hconf, run.runId(), o.lockStale())) {
      Result result;
      try {
        int recovered = lake.publisher(spark).recover();
        if (recovered > 0) {
          warnings.add("rolled forward " + recovered + " publication(s) left unfinished by a "
              + "stopped run");
        }
        LakeState state = new LakeState(o.lake(), hconf);
        if (o.full()) {
          for (String s : STEPS) {
            state.clear(s);
          }
          state.clear(IngestFcsJob.STATE);
        }
        String input = o.input().replaceAll("/+$", "");

        // 1. clinical
        current = "ingest-clinical";
        String clinicalDir = input + "/clinical";
        String clinicalPrint = fingerprint(clinicalDir, hconf) + ";conf="
            + Fingerprints.files(o.conf(), List.of("cytolake.yaml", "visits.yaml"));
        Map<String, Object> clinicalState = state.read(current);
        if (clinicalPrint.equals(clinicalState.get("fingerprint"))
            && lake.exists(spark, "patients")) {
          steps.add(skipped(current, "clinical files and configuration unchanged"));
          // The clinical input is what it was: so is its quarantined share.
          if (clinicalState.get("records_in") instanceof Number n
              && clinicalState.get("rejected") instanceof Number m) {
            shares.add(new QuarantineLimit.Share("clinical records", m.longValue(),
                n.longValue()));
          }
          if (clinicalState.get("reasons") instanceof Map<?, ?> rs) {
            rs.forEach((k, v) -> reasons.merge(String.valueOf(k), ((Number) v).longValue(),
                Long::sum));
          }
        } else {
          long t0 = System.nanoTime();
          startStep(spark, run, current);
          IngestClinicalResult r = IngestClinicalJob.run(spark, new IngestClinicalOptions(
              clinicalDir, o.lake(), o.conf(), o.schemas(), null, run.runId()));
          counts.merge("records_in", r.recordsIn(), Long::sum);
          counts.merge("records_written", r.accepted(), Long::sum);
          counts.merge("records_quarantined", r.rejected(), Long::sum);
          if (r.developmentSalt()) {
            warnings.add("pseudonyms use the development salt (set the salt environment "
                + "variable for real patient data)");
          }
          shares.add(new QuarantineLimit.Share("clinical records", r.rejected(), r.recordsIn()));
          r.rejectedByReason().forEach((k, v) -> reasons.merge(k, v, Long::sum));
          state.write(current, Map.of("fingerprint", clinicalPrint, "run_id", run.runId(),
              "records_in", r.recordsIn(), "rejected", r.rejected(), "reasons",
              new TreeMap<>(r.rejectedByReason())));
          steps.add(ran(current, t0, Map.of("records_in", r.recordsIn(), "accepted",
              r.accepted(), "rejected", r.rejected())));
        }

        // 2. FCS, incremental
        current = "ingest-fcs";
        long t1 = System.nanoTime();
        startStep(spark, run, current);
        String manifest = o.manifest() != null ? o.manifest() : input + "/manifest.csv";
        IngestFcsJob.Result f = IngestFcsJob.run(spark, new IngestFcsJob.Options(input, manifest,
            o.lake(), o.conf(), o.schemas(), run.runId(), true));
        counts.put("files_in", (long) f.filesFound());
        counts.put("files_unchanged", (long) f.filesUnchanged());
        counts.put("files_quarantined", (long) f.filesQuarantined());
        counts.put("samples_written", (long) f.changedSamples().size());
        counts.put("samples_removed", (long) f.samplesRemoved());
        counts.put("events_in", f.eventsIn());
        counts.put("events_written", f.eventsWritten());
        counts.put("events_unchanged", f.eventsUnchanged());
        counts.put("events_quarantined", f.eventsQuarantined());
        if (f.developmentSalt() && warnings.stream().noneMatch(w -> w.contains("salt"))) {
          warnings.add("pseudonyms use the development salt (set the salt environment "
              + "variable for real patient data)");
        }
        Map<String, Object> fd = new LinkedHashMap<>();
        fd.put("files", f.filesFound());
        fd.put("unchanged", f.filesUnchanged());
        fd.put("samples_written", f.changedSamples().size());
        fd.put("samples_removed", f.samplesRemoved());
        fd.put("quarantined_files", f.filesQuarantined());
        fd.put("quarantine_reasons", f.reasons());
        steps.add(ran(current, t1, fd));
        shares.add(new QuarantineLimit.Share("FCS files", f.filesQuarantined(), f.filesFound()));
        shares.add(new QuarantineLimit.Share("FCS events", f.eventsQuarantined(), f.eventsIn()));
        f.reasons().forEach((k, v) -> reasons.merge(k, v, Long::sum));
        String degraded = limit.exceeded(shares, reasons).orElse(null);
        if (degraded != null) {
          LOG.warn("nightly {}: DEGRADED: {}", run.runId(), degraded);
          warnings.add(0, "DEGRADED: " + degraded);
        }
        String outcome = degraded == null ? "succeeded" : "degraded";
        // What the lake's samples are now: sample id -> content hash. Gating and clustering
        // compare it with what they last completed, so work a killed run left is done now.
        Map<String, String> samples = new TreeMap<>();
        if (lake.exists(spark, "samples")) {
          for (Row r : lake.read(spark, "samples").select("sample_id", "sha256")
              .collectAsList()) {
            samples.put(r.getString(0), r.getString(1));
          }
        }

        // 3. gating
        current = "gate";
        String gatePrint = Fingerprints.files(o.conf(), List.of("panels.yaml", "cytolake.yaml"))
            + ";gating=" + Fingerprints.directory(o.conf().resolve("gating"));
        Map<String, Object> gateState = state.read(current);
        boolean gateAll = !gatePrint.equals(gateState.get("fingerprint"))
            || !lake.exists(spark, "populations");
        Map<?, ?> gated = gateAll || !(gateState.get("gated") instanceof Map<?, ?> m) ? Map.of()
            : m;
        Set<String> toGate = new TreeSet<>();
        samples.forEach((id, sha) -> {
          if (!sha.equals(gated.get(id))) {
            toGate.add(id);
          }
        });
        long gone = gated.keySet().stream().filter(id -> !samples.containsKey(id)).count();
        if (samples.isEmpty()) {
          steps.add(skipped(current, "no samples in the lake"));
        } else if (!gateAll && toGate.isEmpty() && gone == 0) {
          steps.add(skipped(current, "no new or changed samples; strategies unchanged"));
        } else {
          long t2 = System.nanoTime();
          startStep(spark, run, current);
          GateJob.Result g = GateJob.run(spark, new GateJob.Options(o.lake(), o.conf(),
              o.schemas(), run.runId(), gateAll ? null : Set.copyOf(toGate)));
          state.write(current, Map.of("fingerprint", gatePrint, "gated", samples,
              "run_id", run.runId()));
          steps.add(ran(current, t2, Map.of("samples", gateAll ? samples.size() : toGate.size(),
              "all", gateAll, "qc_flags", g.qcFlags())));
          g.qcFlags().forEach((flag, n) -> warnings.add("gating_qc: " + n + " " + flag));
        }

        // 4. clustering: refitted on the whole panel when its samples or conf changed
        current = "cluster";
        String clusterPrint = Fingerprints.files(o.conf(), List.of("panels.yaml",
            "clustering.yaml")) + ";samples=" + Fingerprints.sha256(
                samples.toString());
        if (samples.isEmpty()) {
          steps.add(skipped(current, "no samples in the lake"));
        } else if (clusterPrint.equals(state.read(current).get("fingerprint"))
            && lake.exists(spark, "clusters")) {
          steps.add(skipped(current, "samples and conf/clustering.yaml unchanged"));
        } else {
          long t3 = System.nanoTime();
          startStep(spark, run, current);
          ClusterJob.Result c = ClusterJob.run(spark, new ClusterJob.Options(o.lake(), o.conf(),
              o.schemas(), "flowsom", null, null, null, run.runId()));
          state.write(current, Map.of("fingerprint", clusterPrint, "run_id", run.runId()));
          steps.add(ran(current, t3, Map.of("panels", c.panels().size())));
        }

        // 5. aggregation: small tables, rebuilt whole when anything they read changed
        current = "aggregate";
        String aggPrint = Fingerprints.files(o.conf(), List.of("cohorts.yaml", "features.yaml",
            "visits.yaml")) + ";clinical=" + state.read("ingest-clinical").get("run_id")
            + ";gate=" + state.read("gate").get("run_id") + ";cluster="
            + state.read("cluster").get("run_id");
        if (samples.isEmpty()) {
          steps.add(skipped(current, "no samples in the lake"));
        } else if (aggPrint.equals(state.read(current).get("fingerprint"))
            && lake.exists(spark, "cohort_summary")) {
          steps.add(skipped(current, "clinical tables, populations, clusters and conf unchanged"));
        } else {
          long t4 = System.nanoTime();
          startStep(spark, run, current);
          AggregateJob.Result a = AggregateJob.run(spark, new AggregateJob.Options(o.lake(),
              o.conf(), o.schemas(), run.runId()));
          state.write(current, Map.of("fingerprint", aggPrint, "run_id", run.runId()));
          steps.add(ran(current, t4, Map.of("patients", a.patients(), "features", a.features(),
              "cohort_summary_rows", a.cohortSummaryRows())));
          if (!a.unknownDiseases().isEmpty()) {
            warnings.add("aggregate: diseases without a cohort in conf/cohorts.yaml: "
                + a.unknownDiseases());
          }
        }

        // 6. the HTML report of this run (always: it is per run, not a table)
        current = "report";
        long t5 = System.nanoTime();
        startStep(spark, run, current);
        // The report shows the outcome the run will have if the report itself succeeds.
        String summary = writeReport(spark, lake, run, o, outcome, steps, counts, warnings,
            null, null);
        page = ReportJob.build(spark, new ReportJob.Options(o.lake(), o.conf(), o.schemas(),
            run.runId(), summary));
        ReportJob.Result rep = ReportJob.write(spark, page);
        steps.add(ran(current, t5, Map.of("page", rep.path())));
        html = rep.path();

        current = null;
        result = finish(spark, lake, run, o, outcome, steps, counts, warnings, null, null,
            html);
        showOutcome(spark, o, run, page, result.reportPath());
      } catch (IOException | RuntimeException e) {
        String failed = current;
        String message = failed + " failed: " + e.getMessage();
        LOG.error("nightly {}: step {} failed", run.runId(), failed, e);
        try {
          Result r = finish(spark, lake, run, o, "failed", steps, counts, warnings, failed,
              message, html);
          showOutcome(spark, o, run, page, r.reportPath());
        } catch (IOException | RuntimeException e2) {
          e.addSuppressed(e2);
        }
        throw new NightlyFailedException(run.runId(), failed, message, e);
      }
      return result;
    }
  }

  /** A failed run: the step that failed and why. */
  public static final class NightlyFailedException extends RuntimeException {
    private final String runId;
    private final String step;

    NightlyFailedException(String runId, String step, String message, Throwable cause) {
      super("nightly run " + runId + " failed: " + message, cause);
      this.runId = runId;
      this.step = step;
    }

    public String runId() {
      return runId;
    }

    public String step() {
      return step;
    }
  }

  private static Result finish(SparkSession spark, Lake lake, JobRun run, Options o,
      String status, List<Step> steps, Map<String, Long> counts, List<String> warnings,
      String failedStep, String message, String html) throws IOException {
    String report = writeReport(spark, lake, run, o, status, steps, counts, warnings,
        failedStep, message);
    Instant end = Instant.now();
    Result r = new Result(run.runId(), status, run.startedAt(), end, List.copyOf(steps),
        Map.copyOf(counts), List.copyOf(warnings), failedStep, message, report, html);
    TableSchema contract = lake.schema("runs");
    Row row = RowFactory.create(r.runId(), Timestamp.from(r.startedAt()), Timestamp.from(end),
        status, failedStep, message, JSON.writeValueAsString(steps),
        counts.getOrDefault("files_in", 0L), counts.getOrDefault("files_unchanged", 0L),
        counts.getOrDefault("files_quarantined", 0L), counts.getOrDefault("samples_written", 0L),
        counts.getOrDefault("samples_removed", 0L), counts.getOrDefault("events_in", 0L),
        counts.getOrDefault("events_written", 0L), counts.getOrDefault("events_unchanged", 0L),
        counts.getOrDefault("events_quarantined", 0L), counts.getOrDefault("records_in", 0L),
        counts.getOrDefault("records_written", 0L),
        counts.getOrDefault("records_quarantined", 0L), String.join("\n", warnings), report);
    lake.write(spark.createDataFrame(List.of(row), contract.sparkSchema()).coalesce(1), contract,
        SaveMode.Append);
    LOG.info("nightly {}: {} in {} s; steps {}; counts {}; report {}{}", r.runId(), status,
        Duration.between(r.startedAt(), end).toMillis() / 1000.0,
        steps.stream().map(s -> s.name() + "=" + s.status()).toList(), new TreeMap<>(counts),
        report, html == null ? "" : "; HTML report " + html);
    return r;
  }

  /**
   * Writes the run's HTML page from its final {@code nightly.json}, so the page shows the outcome
   * and warnings as recorded (a status other than succeeded opens it with a banner): the report
   * step rendered it while the run was still in progress. A run that failed before its report
   * step gets a page too when the lake can still be read. Never throws: the run is recorded.
   *
   * @param page the report step's page, or null when the run did not get that far
   */
  private static void showOutcome(SparkSession spark, Options o, JobRun run,
      ReportJob.Page page, String summary) {
    try {
      ReportJob.Page p = page != null ? page : ReportJob.build(spark, new ReportJob.Options(
          o.lake(), o.conf(), o.schemas(), run.runId(), null));
      ReportJob.write(spark, p, summary);
    } catch (IOException | RuntimeException e) {
      LOG.warn("nightly {}: the report page does not show the run's outcome: {}", run.runId(),
          e.toString());
    }
  }

  /** Writes {@code _runs/<run>/nightly.json} (also while running, for the HTML report). */
  private static String writeReport(SparkSession spark, Lake lake, JobRun run, Options o,
      String status, List<Step> steps, Map<String, Long> counts, List<String> warnings,
      String failedStep, String message) throws IOException {
    Instant end = Instant.now();
    String report = lake.root() + "/_runs/" + run.runId() + "/nightly.json";
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("run_id", run.runId());
    doc.put("status", status);
    doc.put("started_at", run.startedAt().toString());
    doc.put("finished_at", "running".equals(status) ? null : end.toString());
    doc.put("seconds", Duration.between(run.startedAt(), end).toMillis() / 1000.0);
    doc.put("failed_step", failedStep);
    doc.put("message", message);
    doc.put("input", o.input());
    doc.put("full", o.full());
    doc.put("steps", steps);
    doc.put("counts", new TreeMap<>(counts));
    doc.put("warnings", warnings);
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(report);
    FileSystem fs = p.getFileSystem(Lake.hadoopConf(spark));
    fs.mkdirs(p.getParent());
    try (OutputStream out = fs.create(p, true)) {
      out.write(JSON.writeValueAsBytes(doc));
    }
    return report;
  }

  private static void startStep(SparkSession spark, JobRun run, String step) {
    LOG.info("nightly {}: step {} started", run.runId(), step);
    spark.sparkContext().setJobGroup("cytolake-nightly", "nightly " + run.runId() + ": " + step,
        false);
  }

  private static Step ran(String name, long t0, Map<String, Object> detail) {
    double s = (System.nanoTime() - t0) / 1e9;
    LOG.info("nightly step {} done in {} s: {}", name, String.format(java.util.Locale.ROOT,
        "%.1f", s), detail);
    return new Step(name, "ran", Math.round(s * 1000) / 1000.0, detail);
  }

  private static Step skipped(String name, String why) {
    LOG.info("nightly step {} skipped: {}", name, why);
    return new Step(name, "skipped", 0, Map.of("reason", why));
  }

  /** Hash of the names, sizes and modification times of every file under a directory. */
  static String fingerprint(String dir, Configuration conf) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p)) {
      return "absent";
    }
    TreeMap<String, String> files = new TreeMap<>();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
    while (it.hasNext()) {
      LocatedFileStatus s = it.next();
      try (InputStream in = fs.open(s.getPath())) {
        files.put(s.getPath().toString(), Fingerprints.sha256(in.readAllBytes()));
      }
    }
    return Fingerprints.sha256(files.toString());
  }
}
