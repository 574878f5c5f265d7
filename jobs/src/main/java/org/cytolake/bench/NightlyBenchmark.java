package org.cytolake.bench;

import static org.cytolake.stats.Quantiles.NaNs.ORDERED_LAST;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.status.api.v1.ExecutorSummary;
import org.apache.spark.storage.StorageLevel;
import org.cytolake.config.ClusteringConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.generate.GenerateOptions;
import org.cytolake.generate.GenerateResult;
import org.cytolake.generate.TrialGenerator;
import org.cytolake.ingest.EventsLayout;
import org.cytolake.jobs.NightlyJob;
import org.cytolake.stats.Quantiles;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The whole nightly run against Spark writing the same events once as Parquet, side by side in one
 * run (issue 21).
 *
 * <p>The input is a trial of about {@code events} events in about {@code files} FCS files made by
 * the generator with its defaults (the realistic model, 2% deliberately bad inputs, clinical
 * files), {@link #plan sized} as patients × visits × 3 panels; it is made once under the work
 * directory and reused. Then:
 *
 * <ol>
 *   <li>(b) {@link NightlyJob#run} into an empty lake under the work directory, once, with the
 *       shipped configuration except that clustering trains on {@code samplePerFile} events per
 *       sample (the setting a large night needs; 0 keeps the shipped value). The per-step wall
 *       times are the night's own ({@link NightlyJob.Result#steps()}, the same figures as its
 *       run summary {@code _runs/<run>/nightly.json}).
 *   <li>(a) every {@code events_<panel>} table the night wrote, read back in as many partitions
 *       as Spark has cores (whatever the number of input files, so that (a) stays the floor: one
 *       write of the events), cached in memory (deserialized) and materialised before the clock
 *       starts, then written to Parquet with the same compression and options as {@link
 *       IngestBenchmark}'s baseline (partitioned by visit), all panels one after the other: one
 *       warm-up pass (not counted), then {@code repeats} passes, median.
 * </ol>
 *
 * <p>Ratio of a step = its seconds / (a) (lower is better; 1 = the step costs one Parquet write of
 * the events). The night runs once and cold (a real night starts a fresh JVM); (a) runs after it.
 */
public final class NightlyBenchmark {
  /** The generator's panels: a patient-visit yields one file each. */
  static final int PANELS = 3;

  /** Visits of a small trial (fewer than {@link #FULL_VISITS_MIN_PATIENTS} patients at 10). */
  static final List<String> FEW_VISITS = List.of("D1", "D8", "M6");

  static final int FULL_VISITS_MIN_PATIENTS = 10;

  /** Steps with a ratio in the result, as named in the run summary. */
  public static final List<String> RATIO_STEPS = List.of("ingest-fcs", "gate", "cluster");

  private NightlyBenchmark() {}

  /**
   * How a trial of about {@code events} events in about {@code files} files is generated: {@code
   * patients} × {@code visits} × 3 panels files (before the generator adds bad inputs), P1 files of
   * {@code eventsPerSample} events and P2, P3 files of half that.
   */
  public record Plan(int patients, List<String> visits, int eventsPerSample) {
    public int files() {
      return patients * visits.size() * PANELS;
    }

    /** Events of the regular files: a patient-visit holds P1's events and twice half of them. */
    public long events() {
      return (long) patients * visits.size() * (eventsPerSample + 2L * (eventsPerSample / 2));
    }
  }

  /**
   * The trial shape closest to {@code events} in {@code files} files: all 10 protocol visits when
   * that leaves at least {@value #FULL_VISITS_MIN_PATIENTS} patients, else visits D1, D8 and M6.
   *
   * @throws IllegalArgumentException when no generated trial fits
   */
  public static Plan plan(long events, int files) {
    if (files < PANELS) {
      throw new IllegalArgumentException(
          "Cannot benchmark nightly: --files must be >= " + PANELS + ", not " + files);
    }
    List<String> visits = GenerateOptions.VISITS_DEFAULT;
    if (Math.round((double) files / (visits.size() * PANELS)) < FULL_VISITS_MIN_PATIENTS) {
      visits = FEW_VISITS;
    }
    long patients = Math.max(1, Math.round((double) files / (visits.size() * PANELS)));
    if (patients > GenerateOptions.PATIENTS_MAX) {
      throw new IllegalArgumentException(
          "Cannot benchmark nightly: "
              + files
              + " files need "
              + patients
              + " patients, more than the generator's "
              + GenerateOptions.PATIENTS_MAX);
    }
    long perSample = Math.round((double) events / (2.0 * patients * visits.size()));
    if (perSample < GenerateOptions.EVENTS_PER_SAMPLE_MIN
        || perSample > GenerateOptions.EVENTS_PER_SAMPLE_MAX) {
      throw new IllegalArgumentException(
          "Cannot benchmark nightly: "
              + events
              + " events in "
              + files
              + " files need "
              + perSample
              + " P1 events per sample; the generator takes "
              + GenerateOptions.EVENTS_PER_SAMPLE_MIN
              + " to "
              + GenerateOptions.EVENTS_PER_SAMPLE_MAX);
    }
    return new Plan((int) patients, visits, (int) perSample);
  }

  /** One measured comparison. */
  public record Result(
      Plan plan,
      long events,
      int files,
      long fcsBytes,
      long eventsWritten,
      int samplesWritten,
      String status,
      double nightlySeconds,
      Map<String, Double> stepSeconds,
      double parquetSeconds,
      List<Double> parquetRuns,
      int samplePerFile,
      HeapWatch.Summary nightHeap,
      Map<String, HeapWatch.Summary> stepHeap,
      Map<String, Long> executorPeakHeapBytes) {

    /** Each ratio of issue 21: the night, and each step of {@link #RATIO_STEPS}, over (a). */
    public Map<String, Double> ratios() {
      return NightlyBenchmark.ratios(nightlySeconds, stepSeconds, parquetSeconds);
    }
  }

  /**
   * {@code nightly_vs_parquet_write} and {@code <step>_vs_parquet_write} for each step of {@link
   * #RATIO_STEPS} (dashes as underscores): seconds over {@code parquetSeconds}; a step the run
   * does not list is left out.
   */
  public static Map<String, Double> ratios(
      double nightlySeconds, Map<String, Double> stepSeconds, double parquetSeconds) {
    if (!(parquetSeconds > 0)) {
      throw new IllegalArgumentException(
          "Cannot compute ratios: the Parquet write took " + parquetSeconds + " s");
    }
    Map<String, Double> r = new LinkedHashMap<>();
    r.put("nightly_vs_parquet_write", nightlySeconds / parquetSeconds);
    for (String step : RATIO_STEPS) {
      Double s = stepSeconds.get(step);
      if (s != null) {
        r.put(step.replace('-', '_') + "_vs_parquet_write", s / parquetSeconds);
      }
    }
    return r;
  }

  public static Result run(
      SparkSession spark,
      Path workDir,
      Path conf,
      Path schemas,
      long events,
      int files,
      int samplePerFile,
      int repeats,
      BenchLog log)
      throws IOException {
    if (samplePerFile < 0) {
      throw new IllegalArgumentException(
          "Cannot benchmark nightly: --sample-per-file must be >= 0, not " + samplePerFile);
    }
    Plan plan = plan(events, files);
    Path input = workDir.resolve("nightly-input-" + events + "-" + files);
    if (!Files.exists(input.resolve("manifest.csv"))) {
      IngestBenchmark.deleteTree(input);
      log.info(
          "generating %d patients x %d visits x %d panels, %d P1 events per sample, under %s",
          plan.patients(), plan.visits().size(), PANELS, plan.eventsPerSample(), input);
      GenerateResult g =
          TrialGenerator.run(
              GenerateOptions.defaults(input)
                  .withPatients(plan.patients())
                  .withVisits(plan.visits())
                  .withEventsPerSample(plan.eventsPerSample()));
      log.info(
          "generated %d events in %d FCS files in %.1f s", g.events(), g.fcsFiles(), g.seconds());
    }
    int fcsFiles;
    long fcsBytes = 0;
    try (Stream<Path> s = Files.walk(input)) {
      List<Path> fcs = s.filter(p -> p.toString().endsWith(".fcs")).toList();
      fcsFiles = fcs.size();
      for (Path p : fcs) {
        fcsBytes += Files.size(p);
      }
    }
    Path nightConf = workDir.resolve("nightly-conf");
    copyConf(conf, nightConf, samplePerFile);
    Path lake = workDir.resolve("nightly-lake-" + events + "-" + files);
    IngestBenchmark.deleteTree(lake);

    log.info("nightly run over %d FCS files (%d bytes) into %s", fcsFiles, fcsBytes, lake);
    HeapWatch heap = HeapWatch.open();
    long t0 = System.nanoTime();
    NightlyJob.Result night;
    try (heap) {
      night =
          NightlyJob.run(
              spark,
              new NightlyJob.Options(
                  input.toString(),
                  null,
                  lake.toString(),
                  nightConf,
                  schemas,
                  "bench-nightly",
                  false,
                  Duration.ofMinutes(30)));
    }
    long t1 = System.nanoTime();
    double wall = (t1 - t0) / 1e9;
    Map<String, Double> steps = new LinkedHashMap<>();
    Map<String, HeapWatch.Summary> stepHeap = new LinkedHashMap<>();
    // The steps run one after the other from t0: each one's collections are those that ended
    // within its seconds (the last step also takes what the night did after it).
    long from = t0;
    for (int i = 0; i < night.steps().size(); i++) {
      NightlyJob.Step st = night.steps().get(i);
      steps.put(st.name(), st.seconds());
      long to = i == night.steps().size() - 1 ? t1 + 1 : from + Math.round(st.seconds() * 1e9);
      stepHeap.put(st.name(), heap.between(from, to));
      from = to;
    }
    HeapWatch.Summary nightHeap = heap.between(t0, t1 + 1);
    Map<String, Long> executors = executorPeakHeap(spark);
    double nightSeconds =
        Duration.between(night.startedAt(), night.finishedAt()).toMillis() / 1000.0;
    log.info(
        "nightly %s in %.1f s (its run), %.1f s (wall): %s",
        night.status(), nightSeconds, wall, steps);
    log.info(
        "driver heap: %d collections, %.1f s in GC, peak after GC %.0f MiB; executors' peak"
            + " heap in use (MiB, at heartbeats): %s",
        nightHeap.collections(),
        nightHeap.gcMillis() / 1000.0,
        nightHeap.peakHeapAfterGcMib(),
        executors.entrySet().stream().map(e -> e.getKey() + "=" + (e.getValue() >> 20)).toList());

    CytolakeConfig config = CytolakeConfig.load(nightConf);
    List<Dataset<Row>> cached = new ArrayList<>();
    List<PanelConfig> panels = new ArrayList<>();
    long written = 0;
    for (PanelConfig p : config.panels().values()) {
      Path table = lake.resolve(p.eventsTable());
      if (!Files.isDirectory(table)) {
        continue;
      }
      // As many partitions as cores, whatever the lake's layout: the table of a trial of many
      // small files reads as many small partitions, and writing those costs more files and tasks
      // (at 10^6 events, 19 s from 1,394 samples against 6 s from 95), which is not the floor.
      Dataset<Row> rows =
          spark
              .read()
              .parquet(table.toString())
              .coalesce(spark.sparkContext().defaultParallelism())
              .persist(StorageLevel.MEMORY_ONLY());
      written += rows.count();
      cached.add(rows);
      panels.add(p);
    }
    List<Double> parquet = new ArrayList<>();
    for (int i = 0; i <= repeats; i++) {
      Path out = workDir.resolve("nightly-parquet-baseline");
      IngestBenchmark.deleteTree(out);
      long tw = System.nanoTime();
      for (int k = 0; k < cached.size(); k++) {
        cached
            .get(k)
            .write()
            .partitionBy("visit")
            .option("compression", "snappy")
            .options(EventsLayout.parquetOptions(panels.get(k)))
            .parquet(out.resolve(panels.get(k).eventsTable()).toString());
      }
      double tp = (System.nanoTime() - tw) / 1e9;
      if (i == 0) {
        log.info("Parquet write warm-up pass: %.2f s (not counted)", tp);
        continue;
      }
      parquet.add(tp);
      log.info("Parquet write pass %d/%d: %d cached events in %.2f s", i, repeats, written, tp);
    }
    cached.forEach(d -> d.unpersist(true));
    return new Result(
        plan,
        night.counts().getOrDefault("events_in", 0L),
        fcsFiles,
        fcsBytes,
        written,
        night.counts().getOrDefault("samples_written", 0L).intValue(),
        night.status(),
        nightSeconds,
        steps,
        Quantiles.median(parquet, ORDERED_LAST),
        parquet,
        samplePerFile,
        nightHeap,
        stepHeap,
        executors);
  }

  /**
   * Each executor's peak JVM heap in use as its heartbeats reported it (Spark's executor metrics
   * {@code JVMHeapMemory}; in local mode the one executor is the driver's JVM), by executor id;
   * an executor that reported none is left out.
   */
  static Map<String, Long> executorPeakHeap(SparkSession spark) {
    Map<String, Long> peaks = new TreeMap<>();
    for (ExecutorSummary e :
        CollectionConverters.asJava(spark.sparkContext().statusStore().executorList(false))) {
      if (e.peakMemoryMetrics().isDefined()) {
        peaks.put(e.id(), e.peakMemoryMetrics().get().getMetricValue("JVMHeapMemory"));
      }
    }
    return peaks;
  }

  /**
   * Copies {@code conf} to {@code to}; with {@code samplePerFile} > 0, clustering.yaml's {@code
   * sample-per-file} becomes that.
   */
  static void copyConf(Path conf, Path to, int samplePerFile) throws IOException {
    IngestBenchmark.deleteTree(to);
    try (Stream<Path> s = Files.walk(conf)) {
      for (Path src : s.toList()) {
        Path dst = to.resolve(conf.relativize(src).toString());
        if (Files.isDirectory(src)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(src, dst);
        }
      }
    }
    if (samplePerFile > 0) {
      Path yaml = to.resolve("clustering.yaml");
      String text = Files.readString(yaml);
      Matcher m =
          Pattern.compile("(?m)^(\\s*" + ClusteringConfig.SAMPLE_PER_FILE + ":\\s*)\\d+\\s*$")
              .matcher(text);
      if (!m.find()) {
        throw new IllegalStateException(
            "Cannot set " + ClusteringConfig.SAMPLE_PER_FILE + " in " + yaml);
      }
      Files.writeString(yaml, m.replaceFirst("$1" + samplePerFile));
    }
  }
}
