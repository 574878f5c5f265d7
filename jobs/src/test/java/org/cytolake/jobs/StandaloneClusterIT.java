package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.cytolake.testing.LakeSnapshot;
import org.cytolake.testing.NightlyFixture;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly run on a real Spark standalone cluster: a Master and two Workers as separate JVMs
 * bound to 127.0.0.1 only, the job submitted with {@code SparkSubmit} (the class the
 * {@code spark-submit} script runs) and the shaded cluster jar, as a data engineer deploys it. One
 * Worker is killed once the run's tasks are under way; the run must still complete, and its tables
 * must equal a local-mode run's (Spark reschedules the lost tasks). Every process
 * the test starts (and the executors the Workers start) it stops by process id.
 *
 * <p>The Workers need a Spark home to launch executors from: a directory with a {@code RELEASE}
 * file and {@code jars/} holding links to the Spark and Hadoop jars of this test's classpath,
 * which is what a Spark distribution is.
 */
class StandaloneClusterIT {
  @TempDir static Path tmp;
  static final List<Process> STARTED = new ArrayList<>();
  static SparkSession spark;
  static Path home;
  static Path sparkHome;
  static Path input;
  static Map<String, List<String>> local;
  static String master;
  static List<Process> workers = new ArrayList<>();
  static Path masterLog;

  @BeforeAll
  static void setUp() throws Exception {
    spark = SparkTestSession.get();
    home = SharedData.projectDir();
    input = NightlyFixture.input();
    local = NightlyFixture.reference();

    sparkHome = tmp.resolve("spark-home");
    Files.createDirectories(sparkHome.resolve("jars"));
    Files.writeString(sparkHome.resolve("RELEASE"), "Spark jars of the cytolake test classpath\n");
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path jar = Path.of(e);
      if (e.endsWith(".jar")
          && Files.isRegularFile(jar)
          && !Files.exists(sparkHome.resolve("jars").resolve(jar.getFileName()))) {
        Files.createSymbolicLink(sparkHome.resolve("jars").resolve(jar.getFileName()), jar);
      }
    }
    int port = freePort();
    master = "spark://127.0.0.1:" + port;
    masterLog = tmp.resolve("master.log");
    start(
        masterLog,
        "-Dspark.master.rest.enabled=false",
        "org.apache.spark.deploy.master.Master",
        "--host",
        "127.0.0.1",
        "--port",
        Integer.toString(port),
        "--webui-port",
        Integer.toString(freePort()));
    waitFor(masterLog, "elected leader", 1, Duration.ofMinutes(3));
    for (int w = 1; w <= 2; w++) {
      Path dir = tmp.resolve("worker" + w);
      Files.createDirectories(dir);
      workers.add(
          start(
              tmp.resolve("worker" + w + ".log"),
              "org.apache.spark.deploy.worker.Worker",
              "--host",
              "127.0.0.1",
              "--cores",
              "1",
              "--memory",
              "1g",
              "--work-dir",
              dir.toString(),
              "--webui-port",
              Integer.toString(freePort()),
              master));
    }
    waitFor(masterLog, "Registering worker", 2, Duration.ofMinutes(3));
  }

  @AfterAll
  static void stopAll() {
    for (Process p : STARTED) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : STARTED) {
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void nightlyOnAStandaloneClusterEqualsLocalModeAndSurvivesALostWorker() throws Exception {
    // One run, on a fresh lake; worker 2 (and its executor) is killed once tasks run. Its tables
    // must equal local mode's: Spark reschedules the lost tasks on worker 1, and what the cluster
    // computed before the loss is the same as a local run's.
    Path lake = tmp.resolve("cluster-lake");
    Path log = tmp.resolve("submit.log");
    Process p = submit(lake, log);
    waitFor(log, "step ingest-fcs started", 1, Duration.ofMinutes(6));
    Process victim = workers.get(1);
    victim.descendants().forEach(ProcessHandle::destroyForcibly);
    victim.destroyForcibly().waitFor();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "cluster run finished");
    assertEquals(0, p.exitValue(), "cluster run after losing a worker:\n" + tail(log));
    assertTrue(Files.readString(log).contains("succeeded"), tail(log));
    LakeSnapshot.assertSame(
        local, LakeSnapshot.of(spark, lake), "cluster run with a lost worker vs local mode");
    String masterText = Files.readString(masterLog);
    assertTrue(
        masterText.contains("Removing worker") || masterText.contains("lost"),
        "the master saw the worker go:\n"
            + masterText.lines().filter(l -> l.contains("orker")).toList());
  }

  static Process submit(Path lake, Path log) throws IOException {
    Path jar;
    try (Stream<Path> s = Files.list(home.resolve("jobs/target"))) {
      jar =
          s.filter(p -> p.getFileName().toString().endsWith("-cluster.jar"))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no cluster jar in jobs/target: run " + "mvn package first"));
    }
    return start(
        log,
        "-Dcytolake.home=" + home,
        "-Dlog4j2.configurationFile=" + home.resolve("conf/log4j2.properties"),
        "org.apache.spark.deploy.SparkSubmit",
        "--master",
        master,
        "--conf",
        "spark.executor.memory=512m",
        "--conf",
        "spark.driver.host=127.0.0.1",
        "--conf",
        "spark.driver.bindAddress=127.0.0.1",
        "--conf",
        "spark.ui.enabled=false",
        "--class",
        "org.cytolake.cli.CytolakeCli",
        jar.toString(),
        "nightly",
        "--input",
        input.toString(),
        "--lake",
        lake.toString());
  }

  static Process start(Path log, String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + home.resolve("conf/jvm/spark-java17.args"),
                "-Xmx768m",
                "-cp",
                sparkHome.resolve("jars") + "/*"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    Process p = pb.start();
    STARTED.add(p);
    return p;
  }

  static void waitFor(Path log, String text, int times, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    Pattern pattern = Pattern.compile(Pattern.quote(text));
    while (System.nanoTime() < end) {
      if (Files.exists(log)
          && pattern.matcher(Files.readString(log, StandardCharsets.UTF_8)).results().count()
              >= times) {
        return;
      }
      Thread.sleep(100);
    }
    fail("waited " + timeout + " for '" + text + "' x" + times + " in " + log + ":\n" + tail(log));
  }

  static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(no log)";
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
