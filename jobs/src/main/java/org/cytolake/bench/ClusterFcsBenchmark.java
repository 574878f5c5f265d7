package org.cytolake.bench;

import static org.cytolake.stats.Quantiles.NaNs.ORDERED_LAST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cytolake.fcs.FcsWriter;
import org.cytolake.gating.EventTable;
import org.cytolake.stats.Quantiles;

/**
 * {@code bench --only cluster-fcs}: the whole {@code cluster-fcs} command path, in this process, on one FCS file of
 * {@code events} events × {@value #CHANNELS} channels with FlowSOM's defaults (10×10 grid, 10 epochs, k = 10,
 * transform none), and its parts as the command reports them (read, som, metacluster, map, write); then, when it is
 * there, FlowSOM_Python's {@code FlowSOMEstimator.fit_predict} on the same values through {@code
 * scripts/bench/flowsom_python_peer.py}. Medians of {@code repeats} passes after one warm-up pass; then, unless left out,
 * {@code repeats} fresh JVMs running the same command line, timed from start to exit, as a person running
 * {@code cytolake cluster-fcs} pays (the peer's script
 * warms numba up on 10,000 events and runs {@code repeats} passes itself).
 *
 * <p>The generated file holds {@value #CHANNELS} float32 channels {@code C1..C7}: {@link Blobs} of ten Gaussian
 * blobs. With {@code --fcs} the first {@value #CHANNELS} channels of that file are clustered. The peer is optional:
 * without its source directory, without a Python that runs the script, or when the script fails, the peer part is
 * skipped and {@link Peer#skipReason} says why.
 */
public final class ClusterFcsBenchmark {
  public static final int CHANNELS = 7;
  public static final int GRID = 10;
  public static final int RLEN = 10;
  public static final int K = 10;
  public static final long SEED = 1;

  /** Environment variable naming FlowSOM_Python's source directory (when no option does). */
  public static final String FLOWSOM_PYTHON_ENV = "CYTOLAKE_FLOWSOM_PYTHON";

  /** Environment variable naming the Python interpreter for the peer (default {@code python3}). */
  public static final String PYTHON_ENV = "CYTOLAKE_PYTHON";

  /** The peer's script, relative to the cytolake home. */
  public static final String PEER_SCRIPT = "scripts/bench/flowsom_python_peer.py";

  /** How long the peer's script may run, all its passes together. */
  static final long PEER_TIMEOUT_MINUTES = 60;

  private ClusterFcsBenchmark() {}

  /** Runs one {@code cytolake} command line in this process: exit status, stdout and stderr into the writers. */
  @FunctionalInterface
  public interface CommandRunner {
    int run(List<String> args, StringWriter out, StringWriter err);
  }

  /**
   * FlowSOM_Python's side: either ran (its passes' {@code fit_predict} seconds and the script's JSON) or was skipped
   * with a reason.
   */
  public record Peer(String skipReason, List<Double> fitRuns, JsonNode report) {
    public static Peer skipped(String reason) {
      return new Peer(reason, List.of(), null);
    }

    public boolean ran() {
      return skipReason == null;
    }

    public double fitSeconds() {
      return Quantiles.median(fitRuns, ORDERED_LAST);
    }
  }

  /**
   * The measured comparison.
   *
   * @param fcs the clustered file
   * @param events its events
   * @param wholeRuns wall seconds of each measured pass of the whole command (read to summary.json)
   * @param partRuns per part (the command's {@code seconds}: read, som, metacluster, map, summarise, write), each
   *     in-process pass's seconds
   * @param processRuns wall seconds of each fresh {@code java ... cluster-fcs} process (JVM start to exit; empty when
   *     not asked for)
   * @param processPartRuns per part, each fresh process's own {@code seconds}
   * @param peer FlowSOM_Python's side
   */
  public record Result(
      Path fcs,
      long events,
      List<Double> wholeRuns,
      Map<String, List<Double>> partRuns,
      List<Double> processRuns,
      Map<String, List<Double>> processPartRuns,
      Peer peer) {
    public double wholeSeconds() {
      return Quantiles.median(wholeRuns, ORDERED_LAST);
    }

    /** Median wall time of a fresh process (NaN when none ran). */
    public double processSeconds() {
      return processRuns.isEmpty() ? Double.NaN : Quantiles.median(processRuns, ORDERED_LAST);
    }

    public double partSeconds(String part) {
      List<Double> runs = partRuns.get(part);
      return runs == null ? Double.NaN : Quantiles.median(runs, ORDERED_LAST);
    }

    /** fit + map + metacluster: the command's som, map and metacluster parts. */
    public double fitMapMetaclusterSeconds() {
      return partSeconds("som") + partSeconds("map") + partSeconds("metacluster");
    }

    /** The write part (four Parquet files, events.parquet one row per event) per 10^6 events. */
    public double parquetSecondsPerMillionRows() {
      return partSeconds("write") / events * 1e6;
    }

    /**
     * The whole fresh process (the in-process command when no process ran) over the peer's fit_predict (NaN when the
     * peer was skipped; lower is better).
     */
    public double ratioToPeer() {
      double ours = processRuns.isEmpty() ? wholeSeconds() : processSeconds();
      return peer.ran() ? ours / peer.fitSeconds() : Double.NaN;
    }

    /** The in-process command over the peer's fit_predict (NaN when the peer was skipped). */
    public double inProcessRatioToPeer() {
      return peer.ran() ? wholeSeconds() / peer.fitSeconds() : Double.NaN;
    }
  }

  /**
   * Runs the benchmark.
   *
   * @param fcs the file to cluster, or null to generate {@code events} events under {@code workDir}
   * @param flowsomPython FlowSOM_Python's source directory, or null (then {@value #FLOWSOM_PYTHON_ENV})
   * @param python the interpreter for the peer, or null (then {@value #PYTHON_ENV}, else {@code python3})
   * @param home the cytolake home, where {@value #PEER_SCRIPT} lies
   * @param processes whether each measured pass also runs the command in a fresh JVM (this one's java, JVM
   *     arguments and class path), timed from start to exit
   */
  public static Result run(
      Path workDir,
      Path fcs,
      long events,
      int repeats,
      boolean processes,
      Path flowsomPython,
      String python,
      Path home,
      CommandRunner cli,
      BenchLog log)
      throws IOException {
    Path dir = workDir.resolve("cluster-fcs");
    Files.createDirectories(dir);
    if (fcs == null) {
      fcs = dir.resolve("blobs-" + events + "x" + CHANNELS + ".fcs");
      if (!Files.exists(fcs)) {
        log.info("cluster-fcs: writing %d events x %d channels to %s", events, CHANNELS, fcs);
        writeFcs(fcs, (int) events);
      }
    }
    List<String> args = new ArrayList<>(List.of("cluster-fcs", "--fcs", fcs.toString()));
    List<String> cols = new ArrayList<>();
    for (int c = 1; c <= CHANNELS; c++) {
      cols.add(Integer.toString(c));
    }
    args.addAll(
        List.of(
            "--columns",
            String.join(",", cols),
            "--transform",
            "none",
            "--xdim",
            "" + GRID,
            "--ydim",
            "" + GRID,
            "--rlen",
            "" + RLEN,
            "--metaclusters",
            "" + K,
            "--seed",
            "" + SEED,
            "--out",
            dir.resolve("out").toString(),
            "--json"));
    List<Double> whole = new ArrayList<>();
    Map<String, List<Double>> parts = new LinkedHashMap<>();
    long n = 0;
    for (int i = 0; i <= repeats; i++) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      long t0 = System.nanoTime();
      int rc = cli.run(args, out, err);
      double t = (System.nanoTime() - t0) / 1e9;
      if (rc != 0) {
        throw new IllegalStateException(
            "Cannot benchmark cluster-fcs on '" + fcs + "': exit status " + rc + ": " + err);
      }
      JsonNode summary = new ObjectMapper().readTree(out.toString());
      n = summary.get("events").asLong();
      JsonNode secs = summary.get("seconds");
      if (i == 0) {
        log.info("cluster-fcs warm-up pass: %.3f s %s (not counted)", t, secs);
        continue;
      }
      whole.add(t);
      addParts(parts, secs);
      log.info("cluster-fcs pass %d/%d: whole %.3f s %s", i, repeats, t, secs);
    }
    List<Double> process = new ArrayList<>();
    Map<String, List<Double>> processParts = new LinkedHashMap<>();
    for (int i = 1; processes && i <= repeats; i++) {
      long t0 = System.nanoTime();
      JsonNode secs = freshProcess(args, dir).get("seconds");
      double t = (System.nanoTime() - t0) / 1e9;
      process.add(t);
      addParts(processParts, secs);
      log.info("cluster-fcs fresh process %d/%d: %.3f s %s", i, repeats, t, secs);
    }
    Peer peer = peer(dir, fcs, repeats, flowsomPython, python, home, log);
    return new Result(fcs, n, whole, parts, process, processParts, peer);
  }

  /** Appends each part's seconds of one pass's summary ({@code seconds} object) to its list. */
  private static void addParts(Map<String, List<Double>> parts, JsonNode seconds) {
    seconds
        .fields()
        .forEachRemaining(
            e ->
                parts
                    .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                    .add(e.getValue().asDouble()));
  }

  /** Runs {@code args} in a new JVM like this one (java, JVM arguments but JFR's, class path); its --json summary. */
  static JsonNode freshProcess(List<String> args, Path dir) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-XX:StartFlightRecording") && !a.startsWith("-agentlib")) {
        cmd.add(a);
      }
    }
    cmd.addAll(
        List.of("-cp", System.getProperty("java.class.path"), "org.cytolake.cli.CytolakeCli"));
    cmd.addAll(args);
    Path stdout = dir.resolve("process-stdout.json");
    Path stderr = dir.resolve("process-stderr.txt");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    try {
      if (p.waitFor() != 0) {
        throw new IllegalStateException(
            "Cannot benchmark cluster-fcs in a fresh process: exit status "
                + p.exitValue()
                + ": "
                + lastLine(Files.readString(stderr, StandardCharsets.UTF_8)));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "Cannot benchmark cluster-fcs in a fresh process: interrupted", e);
    }
    return new ObjectMapper().readTree(stdout.toFile());
  }

  /** Ten Gaussian blobs (SD 1, centres 4 apart) of {@value #CHANNELS} float32 channels C1..C7. */
  static void writeFcs(Path fcs, int events) throws IOException {
    int[] sizes = new int[K];
    for (int b = 0; b < K; b++) {
      sizes[b] = (int) ((long) events * (b + 1) / K - (long) events * b / K);
    }
    double[] v = Blobs.make(CHANNELS, sizes, 4, SEED).events();
    float[] rows = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      rows[i] = (float) v[i];
    }
    List<FcsWriter.Channel> ch = new ArrayList<>();
    for (int c = 1; c <= CHANNELS; c++) {
      ch.add(FcsWriter.channel("C" + c, "M" + c, 1024));
    }
    FcsWriter.write(fcs, FcsWriter.spec(ch), rows, events);
  }

  /** FlowSOM_Python's passes on the file's first {@value #CHANNELS} channels, or why they did not run. */
  static Peer peer(
      Path dir, Path fcs, int repeats, Path flowsomPython, String python, Path home, BenchLog log)
      throws IOException {
    Peer skip = check(flowsomPython, home);
    if (skip != null) {
      log.info("cluster-fcs: FlowSOM_Python peer skipped: %s", skip.skipReason());
      return skip;
    }
    if (flowsomPython == null) {
      flowsomPython = Path.of(System.getenv(FLOWSOM_PYTHON_ENV));
    }
    if (python == null) {
      python = System.getenv().getOrDefault(PYTHON_ENV, "python3");
    }
    Path values = dir.resolve("peer-events.f64");
    EventTable table = EventTable.read(fcs);
    int p = table.channels().size();
    try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(values), 1 << 20)) {
      ByteBuffer b = ByteBuffer.allocate(8 * CHANNELS).order(ByteOrder.LITTLE_ENDIAN);
      for (int e = 0; e < table.events(); e++) {
        b.clear();
        for (int c = 0; c < CHANNELS; c++) {
          b.putDouble(table.values()[e * p + c]);
        }
        o.write(b.array());
      }
    }
    List<String> cmd =
        List.of(
            python,
            home.resolve(PEER_SCRIPT).toString(),
            flowsomPython.toString(),
            values.toString(),
            "" + CHANNELS,
            "--xdim",
            "" + GRID,
            "--ydim",
            "" + GRID,
            "--rlen",
            "" + RLEN,
            "--k",
            "" + K,
            "--seed",
            "" + SEED,
            "--repeats",
            "" + repeats);
    log.info("cluster-fcs: running FlowSOM_Python: %s", String.join(" ", cmd));
    Path stdout = dir.resolve("peer-stdout.json");
    Path stderr = dir.resolve("peer-stderr.txt");
    Process proc;
    try {
      proc =
          new ProcessBuilder(cmd)
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile())
              .start();
    } catch (IOException e) {
      return skipped(log, "cannot start '" + python + "': " + e.getMessage());
    }
    try {
      if (!proc.waitFor(PEER_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        proc.destroyForcibly();
        return skipped(log, "the peer ran over " + PEER_TIMEOUT_MINUTES + " minutes");
      }
    } catch (InterruptedException e) {
      proc.destroyForcibly();
      Thread.currentThread().interrupt();
      return skipped(log, "interrupted");
    }
    if (proc.exitValue() != 0) {
      return skipped(
          log,
          "'"
              + String.join(" ", cmd.subList(0, 2))
              + "' exited with status "
              + proc.exitValue()
              + ": "
              + lastLine(Files.readString(stderr, StandardCharsets.UTF_8)));
    }
    JsonNode report = new ObjectMapper().readTree(stdout.toFile());
    List<Double> runs = new ArrayList<>();
    report.get("fit_predict_seconds").forEach(x -> runs.add(x.asDouble()));
    log.info(
        "cluster-fcs: FlowSOM_Python fit_predict %s s (numba warm-up %.1f s)",
        runs, report.get("jit_warmup_seconds").asDouble());
    Files.deleteIfExists(values);
    return new Peer(null, runs, report);
  }

  /** A skipped peer when its source directory or script is missing; null when it can be tried. */
  static Peer check(Path flowsomPython, Path home) {
    String env = System.getenv(FLOWSOM_PYTHON_ENV);
    if (flowsomPython == null && (env == null || env.isBlank())) {
      return Peer.skipped(
          "no FlowSOM_Python source directory: give --flowsom-python DIR or set "
              + FLOWSOM_PYTHON_ENV);
    }
    Path dir = flowsomPython != null ? flowsomPython : Path.of(env);
    if (!Files.isRegularFile(dir.resolve("src/flowsom/models/_som.py"))
        && !Files.isRegularFile(dir.resolve("flowsom/models/_som.py"))) {
      return Peer.skipped(
          "'" + dir + "' is no FlowSOM_Python source tree (no src/flowsom/models/_som.py)");
    }
    if (!Files.isRegularFile(home.resolve(PEER_SCRIPT))) {
      return Peer.skipped("the peer script " + home.resolve(PEER_SCRIPT) + " is missing");
    }
    return null;
  }

  private static Peer skipped(BenchLog log, String reason) {
    log.info("cluster-fcs: FlowSOM_Python peer skipped: %s", reason);
    return Peer.skipped(reason);
  }

  private static String lastLine(String s) {
    String[] lines = s.strip().split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1];
  }
}
