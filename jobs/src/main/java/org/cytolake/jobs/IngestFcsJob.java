package org.cytolake.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
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
 *       {@code events_<panel>} partitioned by visit.
 *   <li>Write samples, channels, quarantine and the ledger.
 *   <li>Reconcile: events in = events written + events quarantined; files found = samples +
 *       quarantined files; fail the run if not.
 * </ol>
 */
public final class IngestFcsJob {
  private static final Logger LOG = LoggerFactory.getLogger(IngestFcsJob.class);

  /** Options of one run. */
  public record Options(String input, String manifest, String lake, Path conf, Path schemas,
      String runId) {}

  /** What one run did; the counts reconcile. */
  public record Result(String runId, int filesFound, int manifestRows, int samplesIngested,
      int filesQuarantined, int recordsQuarantined, long eventsIn, long eventsWritten,
      long eventsQuarantined, Map<String, Long> eventsPerPanel, Map<String, Long> reasons,
      boolean developmentSalt, String summaryPath) {}

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
    Lake lake = new Lake(o.lake(), o.schemas());
    Configuration hconf = Lake.hadoopConf(spark);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());

    // 1. input files and manifest
    step(spark, run, 1, "list input files and read the manifest");
    org.apache.hadoop.fs.Path inputRoot = qualify(new org.apache.hadoop.fs.Path(o.input()), hconf);
    List<String> files = listFcs(inputRoot, hconf);
    Map<String, String> relative = new LinkedHashMap<>();
    for (String f : files) {
      relative.put(f, relativize(inputRoot.toString(), f));
    }
    org.apache.hadoop.fs.Path manifestPath =
        qualify(new org.apache.hadoop.fs.Path(o.manifest()), hconf);
    Manifest manifest;
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
      try (InputStream in = manifestPath.getFileSystem(hconf).open(manifestPath)) {
        manifest = Manifest.parse(manifestPath.getName(), in, IngestPlan.JOB);
      }
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

    // 2. inspect files in parallel
    step(spark, run, 2, "inspect " + files.size() + " files (sha256, HEADER, TEXT)");
    Broadcast<SerializableConfiguration> bconf =
        jsc.broadcast(new SerializableConfiguration(hconf));
    List<FileCheck> checks = files.isEmpty() ? List.of()
        : jsc.parallelize(files, Math.max(1, Math.min(files.size(),
            jsc.defaultParallelism() * 4))).map(p -> {
              try (HadoopFcsInput in = HadoopFcsInput.open(p, bconf.value().value())) {
                return FileCheck.inspect(in, keepKeywords);
              }
            }).collect();

    // 3. plan
    step(spark, run, 3, "plan");
    String pattern = config.settings().get(Settings.INGEST_FILENAME_PATTERN);
    IngestPlan plan = IngestPlan.plan(checks, relative, manifest, resolved, knownPatients, config,
        ids, pattern.isBlank() ? null : java.util.regex.Pattern.compile(pattern), keywordLink);
    LOG.info("ingest-fcs {}: {} sample(s) accepted, {} quarantine record(s)", run.runId(),
        plan.samples().size(), plan.quarantine().size());

    // 4. events per panel
    Map<String, Long> perPanel = new TreeMap<>();
    long written = 0;
    Map<String, List<PlannedSample>> byPanel = plan.samples().stream().collect(
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

    // 5. samples, channels, quarantine, ledger
    step(spark, run, 5, "write samples, channels, quarantine, ingest_ledger");
    // Four small, independent writes: run them as concurrent Spark jobs.
    runConcurrently(spark, List.of(
        () -> writeSamples(spark, lake, config, run, plan.samples()),
        () -> writeChannels(spark, lake, config, plan.samples()),
        () -> lake.write(run.quarantineRows(spark, lake.schema("quarantine"), plan.quarantine()),
            lake.schema("quarantine"), SaveMode.Overwrite),
        () -> writeLedger(spark, lake, run, plan.ledger())));

    // 6. reconcile
    step(spark, run, 6, "reconcile");
    long in = 0;
    for (LedgerEntry l : plan.ledger()) {
      in += l.events() == null ? 0 : l.events();
    }
    long quarantined = plan.quarantine().stream().filter(q -> q.events() != null)
        .mapToLong(QuarantineRecord::events).sum();
    long expectedWritten = plan.samples().stream().mapToLong(s -> s.check().events()).sum();
    int filesQuarantined = (int) plan.ledger().stream()
        .filter(l -> l.outcome().equals("quarantined")).count();
    Map<String, Long> reasons = plan.quarantine().stream().collect(Collectors.groupingBy(
        QuarantineRecord::reasonCode, TreeMap::new, Collectors.counting()));
    if (written != expectedWritten || in != written + quarantined
        || files.size() != plan.samples().size() + filesQuarantined) {
      throw new IllegalStateException(String.format(Locale.ROOT, "ingest-fcs %s does not "
          + "reconcile: events in %d, written %d (expected %d), quarantined %d; files %d, "
          + "samples %d, quarantined files %d", run.runId(), in, written, expectedWritten,
          quarantined, files.size(), plan.samples().size(), filesQuarantined));
    }
    int manifestRows = manifest.rows().size() + manifest.rejected().size();
    String summary = lake.root() + "/_runs/" + run.runId() + "/ingest-fcs.json";
    Result result = new Result(run.runId(), files.size(), manifestRows, plan.samples().size(),
        filesQuarantined, plan.quarantine().size(), in, written, quarantined, perPanel, reasons,
        ids.isDevelopmentSalt(), summary);
    writeSummary(summary, result, hconf);
    LOG.info("ingest-fcs {}: events in {} = written {} + quarantined {}; files {} = samples {} "
        + "+ quarantined {}; summary {}", run.runId(), in, written, quarantined, files.size(),
        plan.samples().size(), filesQuarantined, summary);
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
    List<String> visits = ordered.stream().map(PlannedSample::visit).distinct().toList();
    return lake.read(spark, panel.eventsTable())
        .where(functions.col("visit").isin(visits.toArray())).count();
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
      JobRun run, List<PlannedSample> samples) {
    List<Row> rows = new ArrayList<>();
    for (PlannedSample s : samples) {
      FileCheck c = s.check();
      Integer day = config.visits().find(s.visit()).map(v -> v.studyDay()).orElse(null);
      rows.add(RowFactory.create(s.sampleId(), s.patientId(), s.visit(), day, s.panel(),
          s.acquisitionDate() == null ? null : Date.valueOf(s.acquisitionDate()), s.batch(),
          c.instrument(), c.version(), c.dataType(), c.events(), c.detectors().size(),
          c.sha256(), s.qcWarnings().isEmpty() ? "ok" : "warnings",
          s.qcWarnings().isEmpty() ? null : String.join("; ", s.qcWarnings()), run.runId(),
          run.timestamp()));
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
      List<LedgerEntry> ledger) {
    List<Row> rows = new ArrayList<>();
    for (LedgerEntry l : ledger) {
      rows.add(RowFactory.create(l.path(), l.size(), l.sha256(), l.sampleId(), l.panel(),
          l.outcome(), l.reasonCode(), l.events(), run.runId(), run.runId(), run.timestamp()));
    }
    TableSchema contract = lake.schema("ingest_ledger");
    lake.write(spark.createDataFrame(rows, contract.sparkSchema()), contract, SaveMode.Overwrite);
  }

  private static void writeSummary(String path, Result r, Configuration conf)
      throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    FileSystem fs = p.getFileSystem(conf);
    try (OutputStream out = fs.create(p, true)) {
      out.write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies
              .SNAKE_CASE)
          .writeValueAsString(r).getBytes(StandardCharsets.UTF_8));
    }
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
  static List<String> listFcs(org.apache.hadoop.fs.Path root, Configuration conf)
      throws IOException {
    FileSystem fs = root.getFileSystem(conf);
    List<String> out = new ArrayList<>();
    if (!fs.exists(root)) {
      throw new IOException("Cannot ingest: input '" + root + "' does not exist");
    }
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
    while (it.hasNext()) {
      LocatedFileStatus s = it.next();
      String name = s.getPath().getName().toLowerCase(Locale.ROOT);
      if (s.isFile() && (name.endsWith(".fcs") || name.endsWith(".lmd"))) {
        out.add(s.getPath().toString());
      }
    }
    out.sort(null);
    return out;
  }

  static String relativize(String root, String path) {
    String r = root.endsWith("/") ? root : root + "/";
    return path.startsWith(r) ? path.substring(r.length()) : path;
  }
}
