package org.cytolake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.cytolake.bench.BenchLog;
import org.cytolake.bench.ClusterFcsBenchmark;
import org.cytolake.bench.FcsDecodeBenchmark;
import org.cytolake.bench.GatingBenchmark;
import org.cytolake.bench.IngestBenchmark;
import org.cytolake.bench.MachineInfo;
import org.cytolake.bench.NightlyBenchmark;
import org.cytolake.bench.SomBenchmark;
import org.cytolake.bench.SomEpochBenchmark;
import org.cytolake.jobs.SparkSessions;
import org.cytolake.stats.Quantiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cytolake bench}: cytolake's throughput measured side by side with a baseline in one run,
 * reported as ratios and events/s in one JSON document.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure cytolake against baselines in one run and print ratios (JSON on stdout, "
          + "progress on stderr).",
      "Benchmarks: fcs-decode (FCS float32 decode vs a raw read of the same bytes through the "
          + "same I/O path, little and big endian; 1.0 = decoding costs nothing over I/O); "
          + "ingest (ingest-fcs of --events events vs Spark writing the same decoded rows, cached "
          + "in memory, to Parquet; 1.0 = ingest costs no more than the write); "
          + "gating (the gate job on a lake of --events generated panel-P1 events; events/s); "
          + "som (one distributed SOM epoch vs one MLlib k-means iteration, k = 100 SOM nodes, same "
          + "cached events; then whole SOM fits at --som-scale sizes with the heap retained); "
          + "som-epoch (one SOM epoch of the pure-Java core in one thread, no Spark, on the SOM "
          + "tests' six 5-dimensional blobs and on data-samples' P3 lineage markers; events/s); "
          + "nightly (a generated trial of about --events events in about --files FCS files, "
          + "realistic model: the whole nightly run into an empty lake, once, and each of its "
          + "steps vs Spark writing the same events, cached in memory, to Parquet; 1.0 = the "
          + "step costs one Parquet write of the events, lower is better); "
          + "cluster-fcs (the whole cluster-fcs command in this process on --cluster-events "
          + "events x 7 channels, FlowSOM defaults 10x10, 10 epochs, k = 10, and its parts; "
          + "then as fresh processes; beside FlowSOM_Python's fit_predict on the same values "
          + "when --flowsom-python or CYTOLAKE_FLOWSOM_PYTHON names its source, else skipped "
          + "with the reason; ratio "
          + "cluster_fcs_vs_flowsom_python_fit, lower is better). nightly and cluster-fcs are "
          + "not in the default set: name them with --only."
    })
public final class BenchCommand implements Callable<Integer> {
  static final List<String> BENCHMARKS =
      List.of("fcs-decode", "ingest", "gating", "som", "som-epoch", "nightly", "cluster-fcs");

  /** What runs without --only: every benchmark but the (long) nightly and cluster-fcs runs. */
  static final List<String> DEFAULT_BENCHMARKS =
      List.of("fcs-decode", "ingest", "gating", "som", "som-epoch");

  @Spec CommandSpec spec;

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "NAME",
      description =
          "Run only these benchmarks, of ${COMPLETION-CANDIDATES} (default: all but nightly "
              + "and cluster-fcs).",
      completionCandidates = Names.class)
  List<String> only;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      defaultValue = "target/bench",
      description = "Where generated inputs are written and reused (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(
      names = "--fcs-bytes",
      paramLabel = "BYTES",
      defaultValue = "1073741824",
      description =
          "Size of the generated FCS file for fcs-decode (default: ${DEFAULT-VALUE}, 1 GiB).")
  long fcsBytes;

  @Option(
      names = "--events",
      paramLabel = "N",
      defaultValue = "10000000",
      description =
          "Events of the generated input for ingest, gating and nightly "
              + "(default: ${DEFAULT-VALUE}).")
  long events;

  @Option(
      names = "--files",
      paramLabel = "F",
      defaultValue = "1400",
      description =
          "FCS files of nightly's generated trial, about (patients x visits x 3 panels; "
              + "default: ${DEFAULT-VALUE}).")
  int files;

  @Option(
      names = "--sample-per-file",
      paramLabel = "N",
      defaultValue = "2000",
      description =
          "nightly: clustering trains on N events per sample (conf/clustering.yaml's "
              + "sample-per-file in a copy of conf; 0: as conf says; default: ${DEFAULT-VALUE}).")
  int samplePerFile;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description = "Spark master for the Spark benchmarks (default: local[*]).")
  String master;

  @Option(
      names = "--repeats",
      defaultValue = "3",
      description = "Measured passes of each side after one warm-up (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(
      names = "--som-events",
      paramLabel = "N",
      defaultValue = "1000000",
      description =
          "Cached events of the som epoch vs k-means comparison (default: ${DEFAULT-VALUE}).")
  long somEvents;

  @Option(
      names = "--som-scale",
      paramLabel = "N",
      split = ",",
      defaultValue = "1000000,10000000",
      description = "Event counts of the som whole-fit scaling runs (default: ${DEFAULT-VALUE}).")
  List<Long> somScale;

  @Option(
      names = "--cluster-events",
      paramLabel = "N",
      defaultValue = "1000000",
      description =
          "cluster-fcs: events of the generated 7-channel FCS file (default: ${DEFAULT-VALUE}).")
  long clusterEvents;

  @Option(
      names = "--fcs",
      paramLabel = "FILE",
      description =
          "cluster-fcs: cluster this FCS file's first 7 channels instead of a generated file.")
  Path clusterFcs;

  @Option(
      names = "--flowsom-python",
      paramLabel = "DIR",
      description =
          "cluster-fcs: FlowSOM_Python's source tree (holding src/flowsom), the optional peer "
              + "(default: $CYTOLAKE_FLOWSOM_PYTHON; none: the peer is skipped).")
  Path flowsomPython;

  @Option(
      names = "--python",
      paramLabel = "EXE",
      description =
          "cluster-fcs: the Python that runs the peer (default: $CYTOLAKE_PYTHON, else python3).")
  String python;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the JSON result here.")
  Path out;

  static final class Names implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return BENCHMARKS.iterator();
    }
  }

  @Override
  public Integer call() throws IOException {
    boolean sessionBefore = SparkSession.getDefaultSession().isDefined();
    try {
      return measure();
    } finally {
      // Stop the session this command started (not one it found): a cluster's workers would
      // otherwise try to relaunch the executors that the JVM's exit kills.
      scala.Option<SparkSession> session = SparkSession.getDefaultSession();
      if (!sessionBefore && session.isDefined()) {
        session.get().stop();
      }
    }
  }

  private Integer measure() throws IOException {
    Set<String> run = new LinkedHashSet<>(only == null ? DEFAULT_BENCHMARKS : only);
    for (String name : run) {
      if (!BENCHMARKS.contains(name)) {
        spec.commandLine()
            .getErr()
            .println("Cannot run benchmark '" + name + "': known are " + BENCHMARKS);
        return 2;
      }
    }
    for (String generates : List.of("gating", "nightly")) {
      if (run.contains(generates) && !GenerateCommand.generatorPresent()) {
        spec.commandLine()
            .getErr()
            .println(
                "Cannot run benchmark '"
                    + generates
                    + "': it generates its trial "
                    + "with "
                    + GenerateCommand.GENERATOR_ARTIFACT
                    + ", which is not on the classpath (the "
                    + "cluster jar leaves it out)");
        return 2;
      }
    }
    if (run.contains("nightly")) {
      try {
        NightlyBenchmark.plan(events, files);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println(e.getMessage());
        return 2;
      }
      if (samplePerFile < 0) {
        spec.commandLine()
            .getErr()
            .println("Cannot run benchmark 'nightly': --sample-per-file must be >= 0");
        return 2;
      }
    }
    if (repeats < 1) {
      spec.commandLine().getErr().println("Cannot run benchmarks: --repeats must be >= 1");
      return 2;
    }
    Files.createDirectories(workDir);
    BenchLog log = BenchLog.to(System.err);
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode result = f.objectNode();
    result.set("machine", MachineInfo.describe());
    ObjectNode ratios = result.putObject("ratios");
    ObjectNode eps = result.putObject("events_per_second");
    ObjectNode details = result.putObject("details");
    if (run.contains("fcs-decode")) {
      for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
        boolean le = order == ByteOrder.LITTLE_ENDIAN;
        FcsDecodeBenchmark.Result r =
            FcsDecodeBenchmark.run(workDir, fcsBytes, order, repeats, log);
        String suffix = le ? "" : "_big_endian";
        ratios.put("fcs_decode_vs_raw_read" + suffix, round(r.ratio()));
        ratios.put("fcs_decode_vs_raw_read_direct" + suffix, round(r.directRatio()));
        eps.put("fcs_decode" + suffix, Math.round(r.decodeEventsPerSecond()));
        ObjectNode d = details.putObject("fcs_decode" + suffix);
        d.put("file", r.file().toString());
        d.put("data_bytes", r.bytes());
        d.put("events", r.events());
        d.put("channels", FcsDecodeBenchmark.CHANNELS);
        d.put("encoding", "FCS3.1 float32 " + (le ? "little" : "big") + "-endian");
        d.put("vector_api_swap", org.cytolake.simd.VectorApi.ENABLED);
        d.put("raw_read_seconds_median", round(r.rawSeconds()));
        d.put("decode_seconds_median", round(r.decodeSeconds()));
        d.put("raw_read_direct_seconds_median", round(r.rawDirectSeconds()));
        d.put("raw_read_mb_per_second", Math.round(r.rawBytesPerSecond() / 1e6));
        d.put("decode_mb_per_second", Math.round(r.bytes() / r.decodeSeconds() / 1e6));
        r.rawRuns().forEach(d.putArray("raw_read_seconds")::add);
        r.rawDirectRuns().forEach(d.putArray("raw_read_direct_seconds")::add);
        r.decodeRuns().forEach(d.putArray("decode_seconds")::add);
        result.put("events", r.events());
      }
    }
    if (run.contains("ingest")) {
      SparkSession spark = SparkSessions.getOrCreate("cytolake bench", master);
      IngestBenchmark.Result r =
          IngestBenchmark.run(
              spark,
              workDir,
              JobOptions.home().resolve("conf"),
              JobOptions.home().resolve("schemas"),
              events,
              repeats,
              log);
      result.put("events", r.events());
      ratios.put("ingest_vs_parquet_write", round(r.ratio()));
      eps.put("ingest", Math.round(r.eventsPerSecond()));
      ObjectNode d = details.putObject("ingest");
      d.put("events", r.events());
      d.put("files", r.files());
      d.put("spark_master", spark.sparkContext().master());
      d.put("ingest_seconds_median", round(r.ingestSeconds()));
      d.put("parquet_write_seconds_median", round(r.parquetSeconds()));
      r.ingestRuns().forEach(d.putArray("ingest_seconds")::add);
      r.parquetRuns().forEach(d.putArray("parquet_write_seconds")::add);
    }
    if (run.contains("gating")) {
      SparkSession spark = SparkSessions.getOrCreate("cytolake bench", master);
      GatingBenchmark.Result r =
          GatingBenchmark.run(
              spark,
              workDir,
              JobOptions.home().resolve("conf"),
              JobOptions.home().resolve("schemas"),
              events,
              repeats,
              log);
      result.put("events", r.events());
      eps.put("gating", Math.round(r.eventsPerSecond()));
      ObjectNode d = details.putObject("gating");
      d.put("events", r.events());
      d.put("samples", r.samples());
      d.put("population_rows", r.populationRows());
      d.put("spark_master", spark.sparkContext().master());
      d.put("gate_seconds_median", round(r.seconds()));
      r.runs().forEach(d.putArray("gate_seconds")::add);
    }
    if (run.contains("som")) {
      som(SparkSessions.getOrCreate("cytolake bench", master), ratios, eps, details, log);
    }
    if (run.contains("som-epoch")) {
      ObjectNode d = details.putObject("som_epoch");
      for (SomEpochBenchmark.Result r : SomEpochBenchmark.run(JobOptions.home(), repeats, log)) {
        eps.put("som_epoch_one_thread_" + r.input(), Math.round(r.eventsPerSecond()));
        ObjectNode i = d.putObject(r.input());
        i.put("events", r.events());
        i.put("dims", r.dims());
        i.put("nodes", r.nodes());
        i.put("threads", 1);
        i.put("epoch_seconds_median", r.epochSeconds());
        r.runs().forEach(i.putArray("epoch_seconds")::add);
      }
    }
    if (run.contains("nightly")) {
      nightly(SparkSessions.getOrCreate("cytolake bench", master), result, details, log);
    }
    if (run.contains("cluster-fcs")) {
      clusterFcs(result, details, log);
    }
    String json =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result);
    spec.commandLine().getOut().println(json);
    spec.commandLine().getOut().flush();
    if (out != null) {
      Files.writeString(out, json + "\n");
    }
    return 0;
  }

  private void som(
      SparkSession spark, ObjectNode ratios, ObjectNode eps, ObjectNode details, BenchLog log) {
    SomBenchmark.Result r = SomBenchmark.run(spark, somEvents, somScale, repeats, log);
    ratios.put("som_epoch_vs_kmeans_iteration", round(r.ratio()));
    eps.put("som_epoch", Math.round(r.epochEventsPerSecond()));
    ObjectNode d = details.putObject("som");
    d.put("events", r.events());
    d.put("dims", SomBenchmark.DIMS);
    d.put("nodes_and_k", r.nodes());
    d.put("partitions", r.partitions());
    d.put("spark_master", spark.sparkContext().master());
    d.put("som_epoch_seconds_median", round(r.epochSeconds()));
    d.put("kmeans_iteration_seconds_median", round(r.kmeansSeconds()));
    r.epochRuns().forEach(d.putArray("som_epoch_seconds")::add);
    r.kmeansRuns().forEach(d.putArray("kmeans_iteration_seconds")::add);
    var scaling = d.putArray("whole_fit");
    for (SomBenchmark.Scale s : r.scaling()) {
      ObjectNode o = scaling.addObject();
      o.put("events", s.events());
      o.put("seconds", round(s.fitSeconds()));
      o.put("heap_retained_mib", round(s.heapRetainedBytes() / 1048576.0));
    }
    if (r.scaling().size() >= 2) {
      SomBenchmark.Scale a = r.scaling().get(0);
      SomBenchmark.Scale b = r.scaling().get(r.scaling().size() - 1);
      ratios.put(
          "som_fit_time_" + b.events() + "_vs_" + a.events(),
          round(b.fitSeconds() / a.fitSeconds()));
    }
  }

  private void nightly(SparkSession spark, ObjectNode result, ObjectNode details, BenchLog log)
      throws IOException {
    NightlyBenchmark.Result r =
        NightlyBenchmark.run(
            spark,
            workDir,
            JobOptions.home().resolve("conf"),
            JobOptions.home().resolve("schemas"),
            events,
            files,
            samplePerFile,
            repeats,
            log);
    result.put("events", r.events());
    ObjectNode ratios = (ObjectNode) result.get("ratios");
    r.ratios().forEach((k, v) -> ratios.put(k, round(v)));
    ObjectNode d = details.putObject("nightly");
    d.put("events_asked", events);
    d.put("files_asked", files);
    d.put("model", "realistic (generate's default), 2% bad inputs");
    d.put("patients", r.plan().patients());
    d.put("visits", r.plan().visits().size());
    d.put("panels", 3);
    d.put("p1_events_per_sample", r.plan().eventsPerSample());
    d.put("events", r.events());
    d.put("events_written", r.eventsWritten());
    d.put("fcs_files", r.files());
    d.put("fcs_bytes", r.fcsBytes());
    d.put("samples_written", r.samplesWritten());
    d.put("events_per_file", Math.round((double) r.events() / r.files()));
    d.put("cluster_sample_per_file", r.samplePerFile());
    d.put("status", r.status());
    d.put("spark_master", spark.sparkContext().master());
    d.put("nightly_seconds", round(r.nightlySeconds()));
    ObjectNode steps = d.putObject("step_seconds");
    r.stepSeconds().forEach((k, v) -> steps.put(k, round(v)));
    ObjectNode perFile = d.putObject("step_ms_per_file");
    r.stepSeconds().forEach((k, v) -> perFile.put(k, round(v * 1000 / r.files())));
    d.put("parquet_write_seconds_median", round(r.parquetSeconds()));
    r.parquetRuns().forEach(d.putArray("parquet_write_seconds")::add);
    ObjectNode heap = d.putObject("driver_heap");
    heap.put("max_mib", Runtime.getRuntime().maxMemory() >> 20);
    heap.put("collections", r.nightHeap().collections());
    heap.put("gc_seconds", round(r.nightHeap().gcMillis() / 1000.0));
    heap.put("peak_after_gc_mib", round(r.nightHeap().peakHeapAfterGcMib()));
    ObjectNode perStep = heap.putObject("step_peak_after_gc_mib");
    r.stepHeap().forEach((k, v) -> perStep.put(k, round(v.peakHeapAfterGcMib())));
    ObjectNode gcs = heap.putObject("step_collections");
    r.stepHeap().forEach((k, v) -> gcs.put(k, v.collections()));
    ObjectNode ex = d.putObject("executor_peak_heap_in_use_mib");
    r.executorPeakHeapBytes().forEach((k, v) -> ex.put(k, round(v / 1048576.0)));
  }

  private void clusterFcs(ObjectNode result, ObjectNode details, BenchLog log) throws IOException {
    ClusterFcsBenchmark.Result r =
        ClusterFcsBenchmark.run(
            workDir,
            clusterFcs,
            clusterEvents,
            repeats,
            true,
            flowsomPython,
            python,
            JobOptions.home(),
            (args, o, e) -> {
              var cl = CytolakeCli.commandLine();
              cl.setOut(new java.io.PrintWriter(o));
              cl.setErr(new java.io.PrintWriter(e));
              return cl.execute(args.toArray(new String[0]));
            },
            log);
    ObjectNode ratios = (ObjectNode) result.get("ratios");
    if (r.peer().ran()) {
      ratios.put("cluster_fcs_vs_flowsom_python_fit", round(r.ratioToPeer()));
      ratios.put("cluster_fcs_in_process_vs_flowsom_python_fit", round(r.inProcessRatioToPeer()));
    }
    ratios.put("parquet_write_seconds_per_million_rows", round(r.parquetSecondsPerMillionRows()));
    if (!r.processPartRuns().isEmpty()) {
      double write =
          Quantiles.median(r.processPartRuns().get("write"), Quantiles.NaNs.ORDERED_LAST);
      ratios.put(
          "parquet_write_seconds_per_million_rows_fresh_process", round(write / r.events() * 1e6));
    }
    ObjectNode d = details.putObject("cluster_fcs");
    d.put("fcs", r.fcs().toString());
    d.put("events", r.events());
    d.put("channels", ClusterFcsBenchmark.CHANNELS);
    d.put(
        "parameters",
        "xdim=ydim="
            + ClusterFcsBenchmark.GRID
            + ", rlen="
            + ClusterFcsBenchmark.RLEN
            + ", k="
            + ClusterFcsBenchmark.K
            + ", seed="
            + ClusterFcsBenchmark.SEED
            + ", transform none");
    d.put("process_seconds_median", round(r.processSeconds()));
    r.processRuns().forEach(d.putArray("process_seconds")::add);
    ObjectNode procParts = d.putObject("process_part_seconds");
    r.processPartRuns().forEach((k, v) -> v.forEach(procParts.putArray(k)::add));
    d.put("whole_seconds_median", round(r.wholeSeconds()));
    r.wholeRuns().forEach(d.putArray("whole_seconds")::add);
    d.put("fit_map_metacluster_seconds_median", round(r.fitMapMetaclusterSeconds()));
    ObjectNode parts = d.putObject("part_seconds_median");
    r.partRuns().keySet().forEach(k -> parts.put(k, round(r.partSeconds(k))));
    ObjectNode partRuns = d.putObject("part_seconds");
    r.partRuns().forEach((k, v) -> v.forEach(partRuns.putArray(k)::add));
    ObjectNode peer = d.putObject("flowsom_python");
    if (r.peer().ran()) {
      peer.put("fit_predict_seconds_median", round(r.peer().fitSeconds()));
      peer.set("report", r.peer().report());
    } else {
      peer.put("skipped", r.peer().skipReason());
    }
  }

  private static double round(double x) {
    return Math.round(x * 1000) / 1000.0;
  }
}
