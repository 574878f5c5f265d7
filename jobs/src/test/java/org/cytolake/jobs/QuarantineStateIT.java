package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cytolake.cli.CytolakeCli;
import org.cytolake.cli.NightlyCommand;
import org.cytolake.generate.GenerateOptions;
import org.cytolake.generate.TrialGenerator;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quarantine table always mirrors the current input, and a night that rejects most of its
 * input says so: a file that goes bad, good, bad and is then removed; a clinical record that goes
 * bad and is fixed; a night where every FCS file is broken ends {@code degraded} with exit status
 * 5; a lake on a file system without atomic rename is refused before anything runs.
 */
class QuarantineStateIT {
  @TempDir static Path dir;
  static Path home;
  static Path clean;

  @BeforeAll
  static void generate() throws IOException {
    home = SharedData.projectDir();
    clean = dir.resolve("clean");
    TrialGenerator.run(
        GenerateOptions.defaults(clean)
            .withPatients(2)
            .withVisits(List.of("D1", "D8"))
            .withPanels(List.of("P1"))
            .withEventsPerSample(300)
            .withSeed(5)
            .withBadFraction(0)
            .withThreads(2));
  }

  /** The FCS files of the generated input, relative to it, in a stable order. */
  static List<Path> fcsFiles(Path input) throws IOException {
    try (Stream<Path> s = Files.walk(input)) {
      return s.filter(p -> p.toString().endsWith(".fcs")).sorted().toList();
    }
  }

  /** A copy of the clean input that a test may change. */
  static Path copyOfClean(String name) throws IOException {
    Path to = dir.resolve(name);
    try (Stream<Path> s = Files.walk(clean)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(clean.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return to;
  }

  /** Rows of one job's quarantine partition (none when the partition does not exist). */
  static List<Row> quarantine(Path lake, String job) {
    Path part = lake.resolve("quarantine").resolve("job=" + job);
    if (!Files.isDirectory(part)) {
      return List.of();
    }
    return SparkTestSession.get().read().parquet(part.toString()).collectAsList();
  }

  static IngestFcsJob.Result ingestFcs(Path input, Path lake) throws IOException {
    return IngestFcsJob.run(
        SparkTestSession.get(),
        new IngestFcsJob.Options(
            input.toString(),
            input.resolve("manifest.csv").toString(),
            lake.toString(),
            home.resolve("conf"),
            home.resolve("schemas"),
            null,
            true));
  }

  static void truncate(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(b, b.length - 999));
  }

  static long sourcesNaming(List<Row> rows, String fileName) {
    return rows.stream()
        .filter(r -> r.getString(r.fieldIndex("source")).endsWith(fileName))
        .count();
  }

  @Test
  void aFileThatGoesBadThenGoodThenIsRemovedLeavesNoStaleQuarantineRow() throws IOException {
    Path input = copyOfClean("fcs-lifecycle");
    Path lake = dir.resolve("fcs-lifecycle-lake");
    Path file = fcsFiles(input).get(0);
    String name = file.getFileName().toString();
    byte[] good = Files.readAllBytes(file);

    IngestFcsJob.Result r1 = ingestFcs(input, lake);
    assertEquals(0, r1.filesQuarantined());
    assertEquals(List.of(), quarantine(lake, "ingest-fcs"));

    truncate(file);
    IngestFcsJob.Result r2 = ingestFcs(input, lake);
    assertEquals(1, r2.filesQuarantined());
    List<Row> bad = quarantine(lake, "ingest-fcs");
    assertEquals(1, bad.size(), bad.toString());
    assertEquals(1, sourcesNaming(bad, name), bad.toString());
    assertEquals("TRUNCATED_DATA", bad.get(0).getString(bad.get(0).fieldIndex("reason_code")));

    Files.write(file, good);
    IngestFcsJob.Result r3 = ingestFcs(input, lake);
    assertEquals(0, r3.filesQuarantined());
    assertEquals(
        List.of(),
        quarantine(lake, "ingest-fcs"),
        "the file is good again: its quarantine row must be gone");
    assertEquals(
        4, SparkTestSession.get().read().parquet(lake.resolve("samples").toString()).count());

    truncate(file);
    assertEquals(1, ingestFcs(input, lake).filesQuarantined());
    assertEquals(1, sourcesNaming(quarantine(lake, "ingest-fcs"), name));

    // The file and its manifest row are removed: nothing of it remains.
    Files.delete(file);
    Path manifest = input.resolve("manifest.csv");
    List<String> rows =
        Files.readAllLines(manifest).stream().filter(l -> !l.contains(name)).toList();
    Files.write(manifest, rows);
    IngestFcsJob.Result r5 = ingestFcs(input, lake);
    assertEquals(0, r5.filesQuarantined());
    assertEquals(List.of(), quarantine(lake, "ingest-fcs"));
    assertEquals(
        3, SparkTestSession.get().read().parquet(lake.resolve("samples").toString()).count());
  }

  @Test
  void aClinicalRecordThatIsFixedLeavesNoStaleQuarantineRow() throws IOException {
    Path input = copyOfClean("clinical-lifecycle");
    Path lake = dir.resolve("clinical-lifecycle-lake");
    Path dm = input.resolve("clinical/dm.csv");
    List<String> good = Files.readAllLines(dm);
    SparkSession spark = SparkTestSession.get();
    IngestClinicalOptions o =
        new IngestClinicalOptions(
            input.resolve("clinical").toString(),
            lake.toString(),
            home.resolve("conf"),
            home.resolve("schemas"),
            null,
            null);

    // A second copy of the first patient's record: a duplicate key.
    List<String> duplicated = new java.util.ArrayList<>(good);
    duplicated.add(good.get(1));
    Files.write(dm, duplicated);
    IngestClinicalResult bad = IngestClinicalJob.run(spark, o);
    assertTrue(bad.rejected() >= 1, bad.summaryLines().toString());
    assertEquals(bad.rejected(), quarantine(lake, "ingest-clinical").size());

    Files.write(dm, good);
    IngestClinicalResult fixed = IngestClinicalJob.run(spark, o);
    assertEquals(0, fixed.rejected(), fixed.summaryLines().toString());
    assertEquals(List.of(), quarantine(lake, "ingest-clinical"));
  }

  static int nightly(List<String> args, StringWriter out, StringWriter err) {
    SparkTestSession.get();
    String before = System.getProperty("cytolake.home");
    System.setProperty("cytolake.home", home.toString()); // as bin/cytolake sets it
    try {
      return CytolakeCli.commandLine()
          .setErr(new PrintWriter(err))
          .setOut(new PrintWriter(out))
          .execute(args.toArray(String[]::new));
    } finally {
      if (before == null) {
        System.clearProperty("cytolake.home");
      } else {
        System.setProperty("cytolake.home", before);
      }
    }
  }

  @Test
  void aNightWhereEveryFileIsQuarantinedEndsDegradedWithItsOwnExitStatus() throws IOException {
    Path input = copyOfClean("all-bad");
    for (Path f : fcsFiles(input)) {
      truncate(f);
    }
    Path lake = dir.resolve("all-bad-lake");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        nightly(
            List.of("nightly", "--input", input.toString(), "--lake", lake.toString()), out, err);

    assertEquals(NightlyCommand.EXIT_DEGRADED, status, out + "\n" + err);
    List<String> lines = err.toString().lines().filter(l -> !l.isBlank()).toList();
    String last = lines.get(lines.size() - 1);
    assertTrue(
        last.contains("degraded")
            && last.contains("4 of 4 FCS files quarantined")
            && last.contains("TRUNCATED_DATA=4"),
        last);
    assertTrue(out.toString().contains("warning: DEGRADED: 4 of 4 FCS files"), out.toString());

    Row run = SparkTestSession.get().read().parquet(lake.resolve("runs").toString()).first();
    assertEquals("degraded", run.getString(run.fieldIndex("status")));
    assertTrue(
        run.getString(run.fieldIndex("warnings")).startsWith("DEGRADED: 4 of 4 FCS files"),
        run.getString(run.fieldIndex("warnings")));
    String json =
        Files.readString(
            Path.of(run.getString(run.fieldIndex("report")).replaceFirst("^file:", "")));
    assertTrue(json.contains("\"status\" : \"degraded\""), json);
    try (Stream<Path> s = Files.walk(lake.resolve("_reports"))) {
      Path html =
          s.filter(p -> p.getFileName().toString().equals("index.html")).findFirst().orElseThrow();
      String page = Files.readString(html);
      assertTrue(page.contains("degraded"), "the HTML report shows the outcome");
      assertTrue(page.contains("4 of 4 FCS files quarantined"), "and why");
    }
  }

  @Test
  void aLakeWithoutAtomicRenameIsRefusedBeforeAnythingRuns() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        nightly(
            List.of("nightly", "--input", clean.toString(), "--lake", "s3a://trial-bucket/lake"),
            out,
            err);
    assertEquals(1, status, out + "\n" + err);
    String e = err.toString();
    assertTrue(
        e.contains("Cannot publish to lake 's3a://trial-bucket/lake'")
            && e.contains("not atomic")
            && e.contains("lake.accept-non-atomic-rename"),
        e);
  }
}
