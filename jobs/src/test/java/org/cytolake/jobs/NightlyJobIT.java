package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cytolake.lake.Lake;
import org.cytolake.lake.LakeLock;
import org.cytolake.testing.LakeSnapshot;
import org.cytolake.testing.NightlyFixture;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly run on a tiny generated trial ({@link NightlyFixture}: 2 patients, D1 and D8, 3
 * panels, with the generator's bad inputs): a full run is the reference; an incremental lake fed the input in two
 * installments ends equal to it; a re-run changes no table; a second run on a locked lake fails;
 * and a driver killed (SIGKILL, a separate JVM) during ingest, gating and aggregation never leaves a
 * table or partition readers could see half-written, and the next run completes the lake.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NightlyJobIT {
  @TempDir static Path tmp;
  static SparkSession spark;
  static Path home;
  static Path input;
  static Path reference;
  static Map<String, List<String>> referenceSnapshot;

  @BeforeAll
  static void setUp() {
    spark = SparkTestSession.get();
    home = SharedData.projectDir();
    input = NightlyFixture.input();
    reference = NightlyFixture.referenceLake();
    referenceSnapshot = NightlyFixture.reference();
    assertEquals("succeeded", NightlyFixture.referenceRun().status());
  }

  static NightlyJob.Result run(Path in, Path lake, boolean full) throws IOException {
    return NightlyFixture.run(in, lake, full);
  }

  @Test
  @Order(1)
  void referenceRunReconcilesAndRecordsItself() {
    Row run = spark.read().parquet(reference.resolve("runs").toString()).first();
    assertEquals("succeeded", run.getString(run.fieldIndex("status")));
    long in = run.getLong(run.fieldIndex("events_in"));
    assertTrue(in > 0);
    assertEquals(
        in,
        run.getLong(run.fieldIndex("events_written"))
            + run.getLong(run.fieldIndex("events_unchanged"))
            + run.getLong(run.fieldIndex("events_quarantined")));
    assertEquals(
        run.getLong(run.fieldIndex("records_in")),
        run.getLong(run.fieldIndex("records_written"))
            + run.getLong(run.fieldIndex("records_quarantined")));
    assertTrue(run.getLong(run.fieldIndex("files_quarantined")) > 0, "bad inputs quarantined");
    assertTrue(
        Files.exists(Path.of(run.getString(run.fieldIndex("report")).replace("file:", ""))),
        "JSON run report");
    for (String t :
        List.of(
            "patients",
            "samples",
            "events_p1",
            "populations",
            "clusters",
            "quarantine",
            "ingest_ledger")) {
      assertTrue(
          referenceSnapshot.keySet().stream().anyMatch(k -> k.startsWith(t + "/") || k.equals(t)),
          "table " + t + " written");
    }
  }

  @Test
  @Order(1)
  void noAnalystTableOrReportHoldsADirectIdentifier() throws IOException {
    // The generator's direct identifiers: subject ids, names, birth dates (clinical/dm.csv).
    List<String> lines =
        Files.readAllLines(input.resolve("clinical/dm.csv"), StandardCharsets.UTF_8);
    List<String> header = List.of(lines.get(0).split(","));
    List<String> identifiers = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      if (f.length != header.size()) {
        continue;
      }
      for (String c : List.of("USUBJID", "SUBJID", "BRTHDTC", "NAME")) {
        String v = f[header.indexOf(c)].trim();
        if (v.length() >= 5) {
          identifiers.add(v);
        }
      }
    }
    assertTrue(identifiers.size() >= 8, "identifiers read: " + identifiers);
    // Every table but the two restricted ones, every column, and the HTML and JSON reports.
    Map<String, List<String>> tables = LakeSnapshot.withRunColumns(spark, reference);
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, List<String>> t : tables.entrySet()) {
      if (t.getKey().startsWith("quarantine") || t.getKey().startsWith("ingest_ledger")) {
        continue;
      }
      String text = String.join("\n", t.getValue()) + t.getKey();
      identifiers.stream()
          .filter(text::contains)
          .forEach(id -> problems.add(t.getKey() + " holds '" + id + "'"));
    }
    List<Path> reports = new ArrayList<>();
    try (Stream<Path> s = Files.walk(reference.resolve("_reports"))) {
      s.filter(p -> p.toString().endsWith(".html")).forEach(reports::add);
    }
    try (Stream<Path> s = Files.walk(reference.resolve("_runs"))) {
      s.filter(p -> p.getFileName().toString().equals("nightly.json")).forEach(reports::add);
    }
    assertTrue(reports.size() >= 2, "an HTML and a JSON report: " + reports);
    for (Path r : reports) {
      String text = Files.readString(r, StandardCharsets.UTF_8);
      identifiers.stream()
          .filter(text::contains)
          .forEach(id -> problems.add(r + " holds '" + id + "'"));
    }
    assertTrue(
        tables.keySet().stream().anyMatch(k -> k.startsWith("immunophenotype")),
        "aggregate tables scanned");
    assertEquals(List.of(), problems);
  }

  @Test
  @Order(1)
  void theRunsHtmlPageShowsItsFinalStatusAndWarnings() throws IOException {
    NightlyJob.Result run = NightlyFixture.referenceRun();
    assertEquals(
        reference.resolve("_reports/" + run.runId() + "/index.html").toString(),
        run.htmlReport().replace("file:", ""));
    String page =
        Files.readString(Path.of(run.htmlReport().replace("file:", "")), StandardCharsets.UTF_8);
    // The report step renders the page while the run is in progress; what is on it at the end
    // is the run's recorded outcome, as in nightly.json.
    assertTrue(page.contains("Status: <b>succeeded</b>"), "final status on the page");
    assertFalse(
        page.contains("Run running")
            || page.contains("<td>running</td>")
            || page.contains("Status: <b>running"),
        "no trace of the in-progress summary");
    assertFalse(
        page.contains("id=\"" + org.cytolake.report.ReportRenderer.BANNER + "\""),
        "no banner for a run that succeeded");
    assertTrue(page.contains(">finished_at</th><td>2"), "finished_at filled in");
    assertFalse(run.warnings().isEmpty(), "the fixture's run has warnings (salt, gating_qc)");
    for (String w : run.warnings()) {
      assertTrue(page.contains("<li>" + org.cytolake.report.Html.escape(w) + "</li>"), w);
    }
  }

  @Test
  @Order(2)
  void incrementalInstallmentsEndEqualToAFullRunAndReRunsChangeNothing() throws IOException {
    // Installment 1: the input without the AS patient's D8 files (same input directory as the
    // reference run, so the ledger's paths and modification times are the same).
    List<Path> held = new ArrayList<>();
    try (Stream<Path> s = Files.walk(input)) {
      s.filter(p -> p.getFileName().toString().matches(".*-AS-\\d+_D8_P\\d\\.fcs"))
          .forEach(held::add);
    }
    assertEquals(3, held.size(), "the AS patient has one D8 file per panel: " + held);
    Path heldDir = tmp.resolve("held");
    Files.createDirectories(heldDir);
    for (Path p : held) {
      Files.move(p, heldDir.resolve(p.getFileName()));
    }
    Path lake = tmp.resolve("incremental");
    NightlyJob.Result first = run(input, lake, false);
    assertEquals("succeeded", first.status());

    // Installment 2: the files arrive.
    for (Path p : held) {
      Files.move(heldDir.resolve(p.getFileName()), p);
    }
    NightlyJob.Result second = run(input, lake, false);
    // The reference lake ingested those of them that are not bad inputs.
    long expected =
        spark
            .read()
            .parquet(reference.resolve("ingest_ledger").toString())
            .where(
                org.apache
                    .spark
                    .sql
                    .functions
                    .col("outcome")
                    .equalTo("ingested")
                    .and(
                        org.apache
                            .spark
                            .sql
                            .functions
                            .col("path")
                            .isin(
                                held.stream()
                                    .map(p -> p.toUri().toString().replace("file:///", "file:/"))
                                    .toArray())))
            .count();
    assertTrue(expected > 0, "at least one held file is a good one");
    assertEquals(expected, second.counts().get("samples_written"), second.counts().toString());
    assertEquals(
        second.counts().get("files_in") - second.counts().get("files_quarantined") - expected,
        second.counts().get("files_unchanged"),
        "only the new files are read");
    assertEquals("skipped", step(second, "ingest-clinical").status());
    assertEquals("ran", step(second, "gate").status());
    // Only those samples are gated (fewer when a held file's bytes were already in the lake
    // under another name: the generator's DUPLICATE_FILE input copies a good file).
    int gated = (Integer) step(second, "gate").detail().get("samples");
    assertTrue(gated >= 1 && gated <= expected, "only new samples gated: " + gated);
    // Clustering keeps the model the first installment trained (issue 22): the late samples are
    // mapped onto it, so the cluster tables, and the features and statistics built on them, are
    // not those of a run that trained on every sample at once. Every other table is the full run's.
    LakeSnapshot.assertSame(
        withoutModelTables(referenceSnapshot),
        withoutModelTables(LakeSnapshot.of(spark, lake)),
        "incremental lake vs full run");
    List<Row> models =
        spark
            .read()
            .parquet(lake.resolve("cluster_models").toString())
            .select("version")
            .collectAsList();
    assertEquals(3, models.size(), "one model per panel, trained by the first installment");
    assertTrue(
        models.stream().allMatch(r -> ((Number) r.get(0)).longValue() == 1), models.toString());

    // A re-run over the same input changes no table's contents, not even run ids.
    Map<String, List<String>> before = LakeSnapshot.withRunColumns(spark, lake);
    NightlyJob.Result third = run(input, lake, false);
    assertEquals(0L, third.counts().get("samples_written"));
    assertEquals(0L, third.counts().get("events_written"));
    for (String s : List.of("ingest-clinical", "gate", "cluster")) {
      assertEquals("skipped", step(third, s).status(), s);
    }
    LakeSnapshot.assertSame(
        before, LakeSnapshot.withRunColumns(spark, lake), "after an identical re-run");
    assertEquals(
        3, spark.read().parquet(lake.resolve("runs").toString()).count(), "one runs row per run");
  }

  @Test
  @Order(3)
  void aSecondRunOnALockedLakeFailsNamingTheHolder() throws IOException {
    Path lake = tmp.resolve("locked");
    Files.createDirectories(lake);
    try (LakeLock held =
        LakeLock.acquire(
            lake.toString(), Lake.hadoopConf(spark), "holder-run", Duration.ofMinutes(30))) {
      LakeLock.LockedException e =
          assertThrows(LakeLock.LockedException.class, () -> run(input, lake, false));
      assertTrue(e.getMessage().contains("locked by run holder-run"), e.getMessage());
    }
    assertFalse(Files.exists(lake.resolve(LakeLock.FILE)), "released");
  }

  @Test
  @Order(4)
  void aKilledDriverNeverLeavesAHalfWrittenTableAndTheNextRunCompletesTheLake() throws Exception {
    Path lake = tmp.resolve("killed");
    // Kill points: while ingest publishes events, while gating writes, while aggregating.
    List<String> markers =
        List.of(
            "ingest-fcs .*: wrote \\d+ events to events_p1",
            "gate 3/\\d+: write populations",
            "step aggregate started");
    int n = 0;
    for (String marker : markers) {
      n++;
      Path log = tmp.resolve("killed-" + n + ".log");
      Process p = startNightly(input, lake, log);
      boolean seen = waitFor(log, marker, p, Duration.ofMinutes(6));
      if (!seen) {
        p.destroyForcibly().waitFor();
        // The step may have been skipped because an earlier kill landed after it completed.
        if (!p.isAlive() && Files.readString(log).contains("succeeded")) {
          break;
        }
        fail("never saw '" + marker + "' in " + log + ":\n" + tail(log));
      }
      if (marker.startsWith("step aggregate")) {
        Thread.sleep(1500);
      }
      p.destroyForcibly().waitFor();
      assertTrue(Files.exists(lake.resolve(LakeLock.FILE)), "a killed run leaves its lock");
      // Every table or partition a reader can see now is exactly the final one.
      Map<String, List<String>> now = LakeSnapshot.of(spark, lake);
      for (Map.Entry<String, List<String>> e : now.entrySet()) {
        if (e.getKey().startsWith("runs")) {
          continue;
        }
        List<String> ref = referenceSnapshot.get(e.getKey());
        assertTrue(
            ref != null,
            "after kill "
                + n
                + " ("
                + marker
                + "): "
                + e.getKey()
                + " is not a table or partition of the complete lake");
        assertEquals(
            ref,
            e.getValue(),
            "after kill "
                + n
                + " ("
                + marker
                + "): "
                + e.getKey()
                + " differs from the complete lake's");
      }
    }
    // The next run takes over the dead run's lock, rolls forward, and completes the lake.
    NightlyJob.Result r = run(input, lake, false);
    assertEquals("succeeded", r.status());
    LakeSnapshot.assertSame(
        referenceSnapshot, LakeSnapshot.of(spark, lake), "lake completed after the kills");
    assertFalse(
        Files.exists(lake.resolve("_staging"))
            && Files.list(lake.resolve("_staging")).findAny().isPresent(),
        "no staging left");
  }

  // -------------------------------------------------------------------------------------------

  /** A snapshot without the tables that depend on which cluster model a sample was mapped to. */
  static Map<String, List<String>> withoutModelTables(Map<String, List<String>> snapshot) {
    Map<String, List<String>> out = new java.util.TreeMap<>(snapshot);
    out.keySet()
        .removeIf(
            k -> {
              String table = k.split("/", 2)[0];
              return table.startsWith("cluster")
                  || table.startsWith("immunophenotype")
                  || table.equals("cohort_summary")
                  || table.equals("differential");
            });
    return out;
  }

  static NightlyJob.Step step(NightlyJob.Result r, String name) {
    return r.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  static Process startNightly(Path in, Path lake, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "@" + home.resolve("conf/jvm/spark-java17.args"),
                "-Xmx1g",
                "-Dlog4j2.configurationFile=" + home.resolve("conf/log4j2.properties"),
                "-Dcytolake.home=" + home,
                "-cp",
                System.getProperty("java.class.path"),
                "org.cytolake.cli.CytolakeCli",
                "nightly",
                "--input",
                in.toString(),
                "--lake",
                lake.toString(),
                "--master",
                "local[2]"));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  static boolean waitFor(Path log, String regex, Process p, Duration timeout) throws Exception {
    java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (Files.exists(log) && pattern.matcher(Files.readString(log)).find()) {
        return true;
      }
      if (!p.isAlive()) {
        return false;
      }
      Thread.sleep(50);
    }
    return false;
  }

  static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
