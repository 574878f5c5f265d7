package org.cytolake.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.util.SerializableConfiguration;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.config.Settings;
import org.cytolake.ingest.FileCheck;
import org.cytolake.ingest.IngestPlan;
import org.cytolake.ingest.KeywordLink;
import org.cytolake.ingest.LedgerEntry;
import org.cytolake.ingest.Manifest;
import org.cytolake.ingest.ManifestRow;
import org.cytolake.ingest.PlannedSample;
import org.cytolake.lake.Fingerprints;
import org.cytolake.lake.LakeState;
import org.cytolake.source.FcsSourceOptions;
import org.cytolake.source.HadoopFcsInput;
import org.cytolake.tables.Pseudonymizer;
import org.cytolake.tables.QuarantineRecord;
import org.cytolake.tables.TableSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ingest-fcs}: FCS files and their manifest into {@code samples}, {@code channels},
 * {@code events_<panel>}, {@code quarantine} and {@code ingest_ledger}.
 *
 * <ol>
 *   <li>List the input files and read the manifest (driver).
 *   <li>Inspect every file in parallel: size, SHA-256, HEADER and TEXT (executors; one small
 *       record per file comes back).
 *   <li>Plan (driver, pure Java {@link IngestPlan}): each file is accepted or quarantined.
 *   <li>Per panel, read the accepted files' events with the {@code fcs} data source (compensated
 *       with the file's spillover, transformed per conf/panels.yaml) and write
 *       {@code events_<panel>} partitioned by visit and sample_id.
 *   <li>Write samples, channels, quarantine and the ledger.
 *   <li>Reconcile: events in = events written + events quarantined; files found = samples +
 *       quarantined files; fail the run if not.
 * </ol>
 */
public final class IngestFcsJob {
  private static final Logger LOG = LoggerFactory.getLogger(IngestFcsJob.class);

  /** Options of one run. */
  public record Options(String input, String manifest, String lake, Path conf, Path schemas,
      String runId, boolean incremental) {
    /** A full (non-incremental) run. */
    public Options(String input, String manifest, String lake, Path conf, Path schemas,
        String runId) {
      this(input, manifest, lake, conf, schemas, runId, false);
    }
  }

  /** What one run did; the counts reconcile. */
  public record Result(String runId, int filesFound, int manifestRows, int samplesIngested,
      int filesQuarantined, int recordsQuarantined, long eventsIn, long eventsWritten,
      long eventsQuarantined, Map<String, Long> eventsPerPanel, Map<String, Long> reasons,
      boolean developmentSalt, String summaryPath, boolean incremental, int filesUnchanged,
      long eventsUnchanged, List<String> changedSamples, int samplesRemoved) {}

  /** The step name under which the incremental state is kept ({@link LakeState}). */
  public static final String STATE = "ingest-fcs";

  private IngestFcsJob() {}

  public static Result run(SparkSession spark, Options o) throws IOException {
    JobRun run = JobRun.start(o.runId());
    CytolakeConfig config = CytolakeConfig.load(o.conf());
    Pseudonymizer ids =
        Pseudonymizer.fromEnvironment(config.settings().get(Settings.PSEUDONYM_SALT_ENV));
    if (ids.isDevelopmentSalt()) {
      LOG.warn("ingest-fcs: environment variable {} is not set: using the DEVELOPMENT "
          + "pseudonymisation salt (never for real patient data)",
          config.settings().get(Settings.PSEUDONYM_SALT_ENV));
    }
    Lake lake = Lake.of(o.lake(), o.schemas(), config.settings());
    Configuration hconf = Lake.hadoopConf(spark);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());

    // 1. input files and manifest
    step(spark, run, 1, "list input files and read the manifest");
    org.apache.hadoop.fs.Path inputRoot = qualify(new org.apache.hadoop.fs.Path(o.input()), hconf);
    Map<String, FileStatus> statuses = listFcs(inputRoot, hconf);
    List<String> files = new ArrayList<>(statuses.keySet());
    Map<String, String> relative = new LinkedHashMap<>();
    for (String f : files) {
      relative.put(f, relativize(inputRoot.toString(), f));
    }
    org.apache.hadoop.fs.Path manifestPath =
        qualify(new org.apache.hadoop.fs.Path(o.manifest()), hconf);
    Manifest manifest;
    String manifestSha = "none";
    String linkSpec = config.settings().get(Settings.INGEST_KEYWORD_LINK);
    KeywordLink keywordLink = linkSpec.isBlank() ? null : KeywordLink.parse(linkSpec);
    List<String> keepKeywords = keywordLink == null ? List.of() : keywordLink.keywords();
    boolean byPattern = !config.settings().get(Settings.INGEST_FILENAME_PATTERN).isBlank()
        || keywordLink != null;
    if (byPattern && !manifestPath.getFileSystem(hconf).exists(manifestPath)) {
      LOG.info("ingest-fcs: no manifest at {}: files are linked by ingest.filename-pattern or "
          + "ingest.keyword-link only", manifestPath);
      manifest = new Manifest(manifestPath.getName(), List.of(), List.of());
    } else {
      byte[] bytes;
      try (InputStream in = manifestPath.getFileSystem(hconf).open(manifestPath)) {
        bytes = in.readAllBytes();
      }
      manifestSha = Fingerprints.sha256(bytes);
      manifest = Manifest.parse(manifestPath.getName(), new java.io.ByteArrayInputStream(bytes),
          IngestPlan.JOB);
    }
    Map<Integer, String> resolved = new LinkedHashMap<>();
    for (ManifestRow r : manifest.rows()) {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(r.file());
      if (!p.isAbsolute()) {
        p = new org.apache.hadoop.fs.Path(manifestPath.getParent(), r.file());
      }
      resolved.put(r.line(), qualify(p, hconf).toString());
    }
    LOG.info("ingest-fcs {}: {} FCS file(s) under {}, {} manifest row(s) ({} rejected)",
        run.runId(), files.size(), inputRoot, manifest.rows().size() + manifest.rejected().size(),
        manifest.rejected().size());
    Set<String> knownPatients = null;
    if (lake.exists(spark, "patients")) {
      knownPatients = new HashSet<>(lake.read(spark, "patients").select("patient_id")
          .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    } else {
      LOG.warn("ingest-fcs: no patients table in {}: manifest patients are not checked "
          + "(run ingest-clinical first)", lake.root());
    }

    // Incremental: what the lake already holds. A change of the manifest or of the configuration
    // makes the run a full one (links or values of unchanged files may change).
    LakeState state = new LakeState(lake.root(), hconf);
    String fingerprint = "manifest=" + manifestSha + ";conf="
        + Fingerprints.files(o.conf(), List.of("panels.yaml", "visits.yaml", "cytolake.yaml"));
    Previous prev = Previous.EMPTY;
    if (o.incremental()) {
      Map<String, Object> last = state.read(STATE);
      if (!fingerprint.equals(last.get("fingerprint"))) {
        LOG.info("ingest-fcs {}: {}: every file is read", run.runId(), last.isEmpty()
            ? "first incremental run on this lake" : "manifest or configuration changed");
      } else if (lake.exists(spark, "ingest_ledger") && lake.exists(spark, "samples")) {
        prev = Previous.load(spark, lake);
      }
    }
    Map<String, String> knownSha = new HashMap<>();
    for (String f : files) {
      Row l = prev.ledger().get(f);
      FileStatus st = statuses.get(f);
      if (l != null && l.getLong(l.fieldIndex("size")) == st.getLen()
          && !l.isNullAt(l.fieldIndex("modified_at"))
          && l.getTimestamp(l.fieldIndex("modified_at")).getTime() == st.getModificationTime()) {
        knownSha.put(f, l.getString(l.fieldIndex("sha256")));
      }
    }

    // 2. inspect files in parallel
    step(spark, run, 2, "inspect " + files.size() + " files (sha256 of " + (files.size()
        - knownSha.size()) + " new or changed, HEADER and TEXT of all)");
    Broadcast<HashMap<String, String>> bknown = jsc.broadcast(new HashMap<>(knownSha));
    Broadcast<SerializableConfiguration> bconf =
        jsc.broadcast(new SerializableConfiguration(hconf));
    List<FileCheck> checks = files.isEmpty() ? List.of()
        : jsc.parallelize(files, Math.max(1, Math.min(files.size(),
            jsc.defaultParallelism() * 4))).map(p -> {
              try (HadoopFcsInput in = HadoopFcsInput.open(p, bconf.value().value())) {
                return FileCheck.inspect(in, keepKeywords, bknown.value().get(p));
              }
            }).collect();

    // 3. plan
    step(spark, run, 3, "plan");
    String pattern = config.settings().get(Settings.INGEST_FILENAME_PATTERN);
    IngestPlan plan = IngestPlan.plan(checks, relative, manifest, resolved, knownPatients, config,
        ids, pattern.isBlank() ? null : java.util.regex.Pattern.compile(pattern), keywordLink);
    LOG.info("ingest-fcs {}: {} sample(s) accepted, {} quarantine record(s)", run.runId(),
        plan.samples().size(), plan.quarantine().size());

    // Unchanged samples: same path, content, outcome and sample id as the ledger says; their
    // events partitions stay as they are.
    Set<String> unchanged = new HashSet<>();
    long eventsUnchanged = 0;
    for (PlannedSample sample : plan.samples()) {
      Row l = prev.ledger().get(sample.check().path());
      if (l != null && sample.check().sha256().equals(l.getString(l.fieldIndex("sha256")))
          && "ingested".equals(l.getString(l.fieldIndex("outcome")))
          && sample.sampleId().equals(l.getString(l.fieldIndex("sample_id")))
          && prev.samples().containsKey(sample.sampleId())) {
        unchanged.add(sample.sampleId());
        eventsUnchanged += sample.check().events();
      }
    }
    List<PlannedSample> changed = plan.samples().stream()
        .filter(x -> !unchanged.contains(x.sampleId())).toList();
    // Samples the lake holds that this input no longer yields (file gone, or now quarantined):
    // their events partitions go, so the lake mirrors the input.
    Set<String> planned = plan.samples().stream().map(PlannedSample::sampleId)
        .collect(Collectors.toSet());
    Map<String, List<String>> removed = new TreeMap<>();
    for (Row r : prev.samples().values()) {
      String id = r.getString(r.fieldIndex("sample_id"));
      if (!planned.contains(id)) {
        removed.computeIfAbsent(r.getString(r.fieldIndex("panel")), k -> new ArrayList<>())
            .add("visit=" + r.getString(r.fieldIndex("visit")) + "/sample_id=" + id);
      }
    }
    if (o.incremental()) {
      LOG.info("ingest-fcs {}: incremental: {} sample(s) unchanged ({} events not read again), "
          + "{} new or changed, {} removed", run.runId(), unchanged.size(), eventsUnchanged,
          changed.size(), removed.values().stream().mapToInt(List::size).sum());
    }

    // 4. events per panel
    Map<String, Long> perPanel = new TreeMap<>();
    long written = 0;
    Map<String, List<PlannedSample>> byPanel = changed.stream().collect(
        Collectors.groupingBy(PlannedSample::panel, TreeMap::new, Collectors.toList()));
    for (Map.Entry<String, List<PlannedSample>> e : byPanel.entrySet()) {
      PanelConfig panel = config.panel(e.getKey());
      step(spark, run, 4, "events of panel " + panel.code() + " (" + e.getValue().size()
          + " samples)");
      long n = writeEvents(spark, lake, config, panel, e.getValue());
      perPanel.put(panel.code(), n);
      written += n;
      LOG.info("ingest-fcs {}: wrote {} events to {}", run.runId(), n, panel.eventsTable());
    }
    for (Map.Entry<String, List<String>> e : removed.entrySet()) {
      String table = config.panel(e.getKey()).eventsTable();
      LOG.info("ingest-fcs {}: removing {} sample(s) from {} that the input no longer yields",
          run.runId(), e.getValue().size(), table);
      lake.deletePartitions(spark, table, e.getValue());
    }

    // 5. samples, channels, quarantine, ledger
    Previous before = prev;
    step(spark, run, 5, "write samples, channels, quarantine, ingest_ledger");
    // Four small, independent writes: run them as concurrent Spark jobs.
    runConcurrently(spark, List.of(
        () -> writeSamples(spark, lake, config, run, plan.samples(), unchanged, before),
        () -> writeChannels(spark, lake, config, plan.samples()),
        () -> writeQuarantine(spark, lake, run, plan.quarantine(), before),
        () -> writeLedger(spark, lake, run, plan.ledger(), statuses, before)));

    // 6. reconcile
    step(spark, run, 6, "reconcile");
    long in = 0;
    for (LedgerEntry l : plan.ledger()) {
      in += l.events() == null ? 0 : l.events();
    }
    long quarantined = plan.quarantine().stream().filter(q -> q.events() != null)
        .mapToLong(QuarantineRecord::events).sum();
    long expectedWritten = changed.stream().mapToLong(s -> s.check().events()).sum();
    int filesQuarantined = (int) plan.ledger().stream()
        .filter(l -> l.outcome().equals("quarantined")).count();
    Map<String, Long> reasons = plan.quarantine().stream().collect(Collectors.groupingBy(
        QuarantineRecord::reasonCode, TreeMap::new, Collectors.counting()));
    if (written != expectedWritten || in != written + eventsUnchanged + quarantined
        || files.size() != plan.samples().size() + filesQuarantined) {
      throw new IllegalStateException(String.format(Locale.ROOT, "ingest-fcs %s does not "
          + "reconcile: events in %d, written %d (expected %d), unchanged %d, quarantined %d; "
          + "files %d, samples %d, quarantined files %d", run.runId(), in, written,
          expectedWritten, eventsUnchanged, quarantined, files.size(), plan.samples().size(),
          filesQuarantined));
    }
    int manifestRows = manifest.rows().size() + manifest.rejected().size();
    String summary = lake.root() + "/_runs/" + run.runId() + "/ingest-fcs.json";
    Result result = new Result(run.runId(), files.size(), manifestRows, plan.samples().size(),
        filesQuarantined, plan.quarantine().size(), in, written, quarantined, perPanel, reasons,
        ids.isDevelopmentSalt(), summary, o.incremental(), unchanged.size(), eventsUnchanged,
        changed.stream().map(PlannedSample::sampleId).sorted().toList(),
        removed.values().stream().mapToInt(List::size).sum());
    JobRun.writeSummary(summary, result, hconf);
    if (o.incremental()) {
      state.write(STATE, Map.of("fingerprint", fingerprint, "run_id", run.runId()));
    }
    LOG.info("ingest-fcs {}: events in {} = written {} + unchanged {} + quarantined {}; files {} "
        + "= samples {} + quarantined {}; summary {}", run.runId(), in, written, eventsUnchanged,
        quarantined, files.size(), plan.samples().size(), filesQuarantined, summary);
    spark.sparkContext().setJobDescription(null);
    return result;
  }

  private static long writeEvents(SparkSession spark, Lake lake, CytolakeConfig config,
      PanelConfig panel, List<PlannedSample> samples) throws IOException {
    List<PlannedSample> ordered = new ArrayList<>(samples);
    ordered.sort(java.util.Comparator.comparing(PlannedSample::visit)
        .thenComparing(PlannedSample::sampleId));
    List<String> paths = ordered.stream().map(s -> s.check().path()).toList();
    Map<String, List<String>> tags = new LinkedHashMap<>();
    long events = 0;
    for (PlannedSample s : ordered) {
      tags.put(s.check().path(), List.of(s.sampleId(), s.visit()));
      events += s.check().events();
    }
    ObjectMapper json = new ObjectMapper();
    org.apache.spark.sql.DataFrameReader reader = spark.read().format("fcs")
        .option(FcsSourceOptions.PATHS, json.writeValueAsString(paths))
        .option(FcsSourceOptions.CHANNELS, String.join(",", panel.detectors()))
        .option(FcsSourceOptions.NAMES, String.join(",", panel.columns()))
        .option(FcsSourceOptions.TRANSFORMS, panel.channels().stream()
            .map(c -> c.transform().spec()).collect(Collectors.joining(";")))
        .option(FcsSourceOptions.LINEARIZE, "true")
        .option(FcsSourceOptions.COMPENSATE, Boolean.toString(!panel.spillover().kind()
            .equals("none")))
        .option(FcsSourceOptions.SPLIT_BYTES,
            config.settings().get(Settings.INGEST_SPLIT_BYTES))
        .option(FcsSourceOptions.TAG_NAMES, "sample_id,visit")
        .option(FcsSourceOptions.TAGS, json.writeValueAsString(tags));
    if (panel.spillover().fromConf()) {
      reader = reader.option(FcsSourceOptions.SPILLOVER_CHANNELS,
              String.join(",", panel.spillover().channels()))
          .option(FcsSourceOptions.SPILLOVER_MATRIX,
              json.writeValueAsString(panel.spillover().matrix()));
    }
    Dataset<Row> raw = reader.load();
    long maxRecords = config.settings().getLong(Settings.INGEST_MAX_RECORDS_PER_FILE);
    // Fewer, larger files than one per split, but never fewer tasks than cores.
    int tasks = raw.rdd().getNumPartitions();
    int cores = spark.sparkContext().defaultParallelism();
    int target = (int) Math.min(tasks, Math.max(cores, (events + maxRecords - 1) / maxRecords));
    Dataset<Row> rows = raw.withColumnRenamed("event", "event_index");
    rows = rows.coalesce(target);
    TableSchema contract = TableSchema.events(lake.schemasDir(), panel);
    spark.conf().set("spark.sql.files.maxRecordsPerFile", Long.toString(maxRecords));
    // One writer per visit partition a task meets instead of sorting its rows by visit first.
    spark.conf().set("spark.sql.maxConcurrentOutputFileWriters",
        Integer.toString(Math.max(1, config.visits().visits().size())));
    lake.write(rows, contract, SaveMode.Overwrite, eventsWriteOptions(panel));
    // Count what landed in the partitions just replaced (row counts from Parquet footers only).
    List<String> ids = ordered.stream().map(PlannedSample::sampleId).toList();
    return lake.read(spark, panel.eventsTable())
        .where(functions.col("sample_id").isin(ids.toArray())).count();
  }

  /**
   * Parquet options of the events tables: no dictionary for the float columns (continuous values
   * never fit one; trying costs time), dictionary for the sample and visit columns.
   */
  public static Map<String, String> eventsWriteOptions(PanelConfig panel) {
    Map<String, String> o = new LinkedHashMap<>();
    for (String c : panel.columns()) {
      o.put("parquet.enable.dictionary#" + c, "false");
    }
    return o;
  }

  private static void writeSamples(SparkSession spark, Lake lake, CytolakeConfig config,
      JobRun run, List<PlannedSample> samples, Set<String> unchanged, Previous prev) {
    List<Row> rows = new ArrayList<>();
    for (PlannedSample s : samples) {
      Row before = unchanged.contains(s.sampleId()) ? prev.samples().get(s.sampleId()) : null;
      FileCheck c = s.check();
      Integer day = config.visits().find(s.visit()).map(v -> v.studyDay()).orElse(null);
      rows.add(RowFactory.create(s.sampleId(), s.patientId(), s.visit(), day, s.panel(),
          s.acquisitionDate() == null ? null : Date.valueOf(s.acquisitionDate()), s.batch(),
          c.instrument(), c.version(), c.dataType(), c.events(), c.detectors().size(),
          c.sha256(), s.qcStatus(),
          s.qcWarnings().isEmpty() ? null : String.join("; ", s.qcWarnings()),
          before == null ? run.runId() : before.getString(before.fieldIndex("ingest_run_id")),
          before == null ? run.timestamp()
              : before.getTimestamp(before.fieldIndex("ingested_at"))));
    }
    TableSchema contract = lake.schema("samples");
    lake.write(spark.createDataFrame(rows, contract.sparkSchema()), contract, SaveMode.Overwrite);
  }

  private static void writeChannels(SparkSession spark, Lake lake, CytolakeConfig config,
      List<PlannedSample> samples) {
    List<Row> rows = new ArrayList<>();
    for (PlannedSample s : samples) {
      PanelConfig panel = config.panel(s.panel());
      FileCheck c = s.check();
      for (int i = 0; i < c.detectors().size(); i++) {
        String det = c.detectors().get(i);
        ChannelConfig ch = panel.channels().stream().filter(x -> x.detector().equals(det))
            .findFirst().orElse(null);
        double range = c.ranges().get(i);
        rows.add(RowFactory.create(s.sampleId(), s.panel(), i + 1, det, c.labels().get(i),
            ch == null ? null : ch.marker(), ch == null ? null : ch.column(),
            Double.isNaN(range) ? null : range, c.bits().get(i),
            ch == null ? null : ch.transform().spec(), compensated(panel, c, det)));
      }
    }
    TableSchema contract = lake.schema("channels");
    lake.write(spark.createDataFrame(rows, contract.sparkSchema()), contract, SaveMode.Overwrite);
  }

  /** Whether ingest compensated a detector of a file (per the panel's spillover source). */
  private static boolean compensated(PanelConfig panel, FileCheck c, String detector) {
    return switch (panel.spillover().kind()) {
      case "conf" -> panel.spillover().channels().contains(detector);
      case "none" -> false;
      default -> c.spilloverChannels() != null && c.spilloverChannels().contains(detector);
    };
  }

  private static void writeLedger(SparkSession spark, Lake lake, JobRun run,
      List<LedgerEntry> ledger, Map<String, FileStatus> statuses, Previous prev) {
    List<Row> rows = new ArrayList<>();
    for (LedgerEntry l : ledger) {
      FileStatus st = statuses.get(l.path());
      java.sql.Timestamp modified = st == null ? null
          : new java.sql.Timestamp(st.getModificationTime());
      Row b = prev.ledger().get(l.path());
      boolean same = b != null && l.sha256().equals(b.getString(b.fieldIndex("sha256")))
          && l.outcome().equals(b.getString(b.fieldIndex("outcome")))
          && java.util.Objects.equals(l.sampleId(), b.getString(b.fieldIndex("sample_id")))
          && java.util.Objects.equals(l.reasonCode(), b.getString(b.fieldIndex("reason_code")));
      rows.add(RowFactory.create(l.path(), l.size(), l.sha256(), modified, l.sampleId(),
          l.panel(), l.outcome(), l.reasonCode(), l.events(),
          same ? b.getString(b.fieldIndex("first_run_id")) : run.runId(),
          same ? b.getString(b.fieldIndex("last_run_id")) : run.runId(),
          same ? b.getTimestamp(b.fieldIndex("last_seen_at")) : run.timestamp()));
    }
    TableSchema contract = lake.schema("ingest_ledger");
    lake.write(spark.createDataFrame(rows, contract.sparkSchema()), contract, SaveMode.Overwrite);
  }

  /** Runs independent Spark writes on a few threads and rethrows the first failure. */
  static void runConcurrently(SparkSession spark, List<Runnable> writes) throws IOException {
    String description = spark.sparkContext().getLocalProperty("spark.job.description");
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(writes.size());
    try {
      List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
      for (Runnable w : writes) {
        futures.add(pool.submit(() -> {
          spark.sparkContext().setJobDescription(description);
          w.run();
        }));
      }
      for (java.util.concurrent.Future<?> f : futures) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          Throwable c = e.getCause();
          if (c instanceof RuntimeException re) {
            throw re;
          }
          throw new IOException(c);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("Interrupted while writing tables", e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void step(SparkSession spark, JobRun run, int n, String what) {
    String d = "ingest-fcs " + n + "/6: " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info("{} [{}]", d, run.runId());
  }

  static org.apache.hadoop.fs.Path qualify(org.apache.hadoop.fs.Path p, Configuration conf) {
    try {
      return p.getFileSystem(conf).makeQualified(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every *.fcs / *.lmd file under {@code root}, recursively, sorted. */
  static Map<String, FileStatus> listFcs(org.apache.hadoop.fs.Path root, Configuration conf)
      throws IOException {
    FileSystem fs = root.getFileSystem(conf);
    Map<String, FileStatus> out = new TreeMap<>();
    if (!fs.exists(root)) {
      throw new IOException("Cannot ingest: input '" + root + "' does not exist");
    }
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
    while (it.hasNext()) {
      LocatedFileStatus s = it.next();
      String name = s.getPath().getName().toLowerCase(Locale.ROOT);
      if (s.isFile() && (name.endsWith(".fcs") || name.endsWith(".lmd"))) {
        out.put(s.getPath().toString(), s);
      }
    }
    return out;
  }

  /**
   * This job's quarantine rows; a record identical to one the lake already holds (the same
   * unchanged bad input) keeps its original run id and time, so re-running changes nothing.
   */
  private static void writeQuarantine(SparkSession spark, Lake lake, JobRun run,
      List<QuarantineRecord> records, Previous prev) {
    List<String> columns = lake.schema(Lake.QUARANTINE).columnNames();
    List<Row> rows = new ArrayList<>();
    for (Row r : run.quarantineRows(records)) {
      Row b = prev.quarantine().get(quarantineKey(r, columns));
      rows.add(b == null ? r : b);
    }
    lake.replaceQuarantine(spark, IngestPlan.JOB, rows);
  }

  /** Columns that identify a quarantine row whatever run wrote it. */
  private static final List<String> QUARANTINE_KEY = List.of("job", "source", "locator",
      "reason_code", "message", "field", "value", "events", "record");

  /** The identity of a row in the quarantine contract's column order (run id and time left out). */
  private static String quarantineKey(Row r, List<String> columns) {
    StringBuilder k = new StringBuilder();
    for (String c : QUARANTINE_KEY) {
      k.append(r.get(columns.indexOf(c))).append('\u0000');
    }
    return k.toString();
  }

  /** What the lake held before this run (empty for a full run). */
  private record Previous(Map<String, Row> ledger, Map<String, Row> samples,
      Map<String, Row> quarantine) {
    static final Previous EMPTY = new Previous(Map.of(), Map.of(), Map.of());

    static Previous load(SparkSession spark, Lake lake) {
      Map<String, Row> ledger = new HashMap<>();
      for (Row r : lake.read(spark, "ingest_ledger").collectAsList()) {
        ledger.put(r.getString(r.fieldIndex("path")), r);
      }
      Map<String, Row> samples = new HashMap<>();
      for (Row r : lake.read(spark, "samples").collectAsList()) {
        samples.put(r.getString(r.fieldIndex("sample_id")), r);
      }
      Map<String, Row> quarantine = new HashMap<>();
      if (lake.exists(spark, "quarantine")) {
        TableSchema contract = lake.schema("quarantine");
        Column[] cols = contract.columnNames().stream().map(functions::col)
            .toArray(Column[]::new);
        for (Row r : lake.read(spark, contract)
            .where(functions.col("job").equalTo(IngestPlan.JOB)).select(cols).collectAsList()) {
          quarantine.put(quarantineKey(r, contract.columnNames()), r);
        }
      }
      return new Previous(ledger, samples, quarantine);
    }
  }

  static String relativize(String root, String path) {
    String r = root.endsWith("/") ? root : root + "/";
    return path.startsWith(r) ? path.substring(r.length()) : path;
  }
}
