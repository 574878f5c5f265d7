package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cytolake.clinical.ClinicalFixtures;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.fcs.FcsWriter;
import org.cytolake.fcs.Spillover;
import org.cytolake.tables.Pseudonymizer;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The FCS-file and manifest cases of {@code src/test/resources/bad-inputs/CATALOGUE.md}: one input
 * directory holds every bad file and manifest row beside three valid samples; ingest-fcs runs
 * once over it, and each case checks its quarantine row(s). The patients table comes from a
 * one-file ingest-clinical run (DM only) so that unknown patients can be told apart.
 */
class BadInputCatalogueFcsIT {
  static final int EVENTS = 300;
  static final String HEADER = "file,patient_id,visit,panel,acquisition_date,batch";

  @TempDir static Path dir;
  static Path input;
  static Path lakeDir;
  static PanelConfig p1;
  static IngestFcsJob.Result result;

  /** Quarantine rows of this run, by source then locator. */
  static List<Map<String, Object>> quarantine = new ArrayList<>();

  /** sample_id → event_count of samples, and → rows in events_p1. */
  static Map<String, Long> sampleEvents = new HashMap<>();

  static Map<String, Long> eventRows = new HashMap<>();

  /**
   * A catalogue case: {@code id}, the quarantine {@code source} (file relative to the input, or
   * manifest.csv), the {@code locator} ("file", "byte N" prefix or "manifest line N"), the
   * reason code, the row's {@code events} (the events the file's DATA segment holds, else its
   * {@code $TOT}; null when its TEXT cannot be read, and for manifest rows), and the words the
   * message must hold (file, key, value).
   */
  record Case(
      String id,
      String what,
      String source,
      String locator,
      String reason,
      Long events,
      List<String> mentions) {
    @Override
    public String toString() {
      return id + " " + what + " -> " + reason;
    }
  }

  static Case c(
      String id,
      String what,
      String source,
      String locator,
      String reason,
      Long events,
      String... mentions) {
    return new Case(id, what, source, locator, reason, events, List.of(mentions));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
            c(
                "FCS-01",
                "DATA cut 500 bytes short",
                "fcs/truncated.fcs",
                "byte",
                "TRUNCATED_DATA",
                300L,
                "truncated.fcs",
                "DATA segment ends at byte",
                "$TOT 300"),
            c(
                "FCS-02",
                "TEXT delimiter 'a'",
                "fcs/bad_delimiter.fcs",
                "byte 58",
                "BAD_DELIMITER",
                null,
                "bad_delimiter.fcs",
                "0x61"),
            c(
                "FCS-03",
                "$TOT 299 for 300 events",
                "fcs/lying_tot.fcs",
                "file",
                "TOT_MISMATCH",
                300L,
                "lying_tot.fcs",
                "$TOT",
                "299"),
            c(
                "FCS-04",
                "$PAR 15 for 14 parameters",
                "fcs/par_mismatch.fcs",
                "file",
                "MISSING_KEYWORD",
                null,
                "par_mismatch.fcs",
                "$P15B"),
            c(
                "FCS-05",
                "required $DATATYPE absent",
                "fcs/missing_datatype.fcs",
                "file",
                "MISSING_KEYWORD",
                null,
                "missing_datatype.fcs",
                "$DATATYPE",
                "missing"),
            c(
                "FCS-06",
                "$BYTEORD 3,4,1,2",
                "fcs/bad_byteord.fcs",
                "file",
                "UNSUPPORTED",
                null,
                "bad_byteord.fcs",
                "$BYTEORD '3,4,1,2'",
                "not supported"),
            c(
                "FCS-07",
                "$DATATYPE A (ASCII data)",
                "fcs/ascii_datatype.fcs",
                "file",
                "UNSUPPORTED",
                300L,
                "ascii_datatype.fcs",
                "$DATATYPE A"),
            c(
                "FCS-08",
                "$DATATYPE X",
                "fcs/unknown_datatype.fcs",
                "file",
                "BAD_KEYWORD_VALUE",
                null,
                "unknown_datatype.fcs",
                "$DATATYPE",
                "'X'"),
            c(
                "FCS-09",
                "a CSV file named .fcs",
                "fcs/not_fcs.fcs",
                "byte 0",
                "NOT_FCS",
                null,
                "not_fcs.fcs"),
            c(
                "FCS-10",
                "empty file",
                "fcs/empty.fcs",
                "file",
                "TRUNCATED_HEADER",
                null,
                "empty.fcs",
                "the file is empty"),
            c(
                "FCS-11",
                "PE-A renamed to PE",
                "fcs/renamed_channel.fcs",
                "file",
                "RENAMED_CHANNEL",
                300L,
                "renamed_channel.fcs",
                "PE-A",
                "P1"),
            c(
                "FCS-12",
                "same bytes as ok_a_d1.fcs",
                "fcs/copy_of_ok_a_d1.fcs",
                "file",
                "DUPLICATE_FILE",
                300L,
                "copy_of_ok_a_d1.fcs",
                "fcs/ok_a_d1.fcs"),
            c(
                "FCS-13",
                "no $SPILLOVER (panel compensates from the file)",
                "fcs/no_spillover.fcs",
                "file",
                "NO_SPILLOVER",
                300L,
                "no_spillover.fcs",
                "$SPILLOVER"),
            c(
                "FCS-14",
                "HEADER TEXT end past the end of the file",
                "fcs/text_past_eof.fcs",
                "byte",
                "BAD_OFFSETS",
                null,
                "text_past_eof.fcs",
                "TEXT",
                "99999"),
            c(
                "FCS-15",
                "second file for patient, visit and panel",
                "fcs/second_b_d1.fcs",
                "file",
                "DUPLICATE_SAMPLE",
                300L,
                "second_b_d1.fcs",
                "D1",
                "P1",
                "manifest line 19"),
            c(
                "FCS-16",
                "file no manifest row names",
                "fcs/stray.fcs",
                "file",
                "NO_MANIFEST_LINK",
                300L,
                "stray.fcs"),
            c(
                "MAN-01",
                "row for a file that is not there",
                "manifest.csv",
                "manifest line 20",
                "MISSING_FILE",
                null,
                "manifest line 20",
                "fcs/nowhere.fcs"),
            c(
                "MAN-02",
                "unknown panel P9",
                "manifest.csv",
                "manifest line 21",
                "UNKNOWN_PANEL",
                null,
                "manifest line 21",
                "'P9'",
                "panels.yaml"),
            c(
                "MAN-03",
                "unknown visit X9",
                "manifest.csv",
                "manifest line 22",
                "UNKNOWN_VISIT",
                null,
                "manifest line 22",
                "'X9'",
                "visits.yaml"),
            c(
                "MAN-04",
                "patient absent from patients",
                "manifest.csv",
                "manifest line 23",
                "UNKNOWN_PATIENT",
                null,
                "manifest line 23",
                "fcs/unknown_patient.fcs",
                "patients"),
            c(
                "MAN-05",
                "second row for ok_a_d1.fcs",
                "manifest.csv",
                "manifest line 24",
                "DUPLICATE_MANIFEST_ROW",
                null,
                "manifest line 24",
                "fcs/ok_a_d1.fcs",
                "manifest line 2"),
            c(
                "MAN-06",
                "path ../../etc/passwd",
                "manifest.csv",
                "manifest line 25",
                "MISSING_FILE",
                null,
                "manifest line 25",
                "'../../etc/passwd'",
                "outside the manifest's directory"),
            c(
                "MAN-07",
                "absolute path /etc/hosts",
                "manifest.csv",
                "manifest line 26",
                "MISSING_FILE",
                null,
                "manifest line 26",
                "'/etc/hosts'",
                "an absolute path"),
            c(
                "MAN-08",
                "3 fields for a 6-column header",
                "manifest.csv",
                "manifest line 27",
                "MALFORMED_ROW",
                null,
                "manifest.csv",
                "line 27",
                "3 fields",
                "6"),
            c(
                "MAN-09",
                "empty patient_id",
                "manifest.csv",
                "manifest line 28",
                "MISSING_VALUE",
                null,
                "manifest.csv",
                "line 28",
                "'patient_id'"),
            c(
                "MAN-10",
                "acquisition_date 2015-31-02",
                "manifest.csv",
                "manifest line 29",
                "MALFORMED_ROW",
                null,
                "manifest.csv",
                "line 29",
                "acquisition_date",
                "'2015-31-02'"),
            c(
                "MAN-11",
                "file linked only by the unknown-panel row",
                "fcs/unknown_panel.fcs",
                "file",
                "UNKNOWN_PANEL",
                300L,
                "fcs/unknown_panel.fcs",
                "UNKNOWN_PANEL"))
        .map(k -> Arguments.of(org.junit.jupiter.api.Named.of(k.toString(), k)));
  }

  @BeforeAll
  static void ingestOnce() throws Exception {
    Path home = SharedData.projectDir();
    p1 = CytolakeConfig.load(home.resolve("conf")).panel("P1");
    input = dir.resolve("in");
    Path fcs = Files.createDirectories(input.resolve("fcs"));
    List<FcsWriter.Channel> ch = new ArrayList<>();
    for (var c : p1.channels()) {
      ch.add(FcsWriter.channel(c.detector(), c.marker(), 262144));
    }
    List<String> fluo = p1.detectors().subList(3, 13);
    double[][] spill = new double[10][10];
    for (int i = 0; i < 10; i++) {
      spill[i][i] = 1;
    }
    FcsWriter.Spec spec =
        FcsWriter.spec(ch).withSpillover(new Spillover("$SPILLOVER", fluo, spill));
    int seed = 0;
    for (String f :
        List.of(
            "ok_a_d1",
            "ok_a_d8",
            "ok_b_d1",
            "second_b_d1",
            "stray",
            "unknown_panel",
            "unknown_visit",
            "unknown_patient")) {
      write(spec, f, ++seed);
    }
    Files.copy(fcs.resolve("ok_a_d1.fcs"), fcs.resolve("copy_of_ok_a_d1.fcs"));
    write(spec.withSpillover(null), "no_spillover", ++seed);
    List<FcsWriter.Channel> renamed = new ArrayList<>(ch);
    renamed.set(4, FcsWriter.channel("PE", "CD25", 262144));
    List<String> fluo2 = new ArrayList<>(fluo);
    fluo2.set(1, "PE");
    write(
        FcsWriter.spec(renamed).withSpillover(new Spillover("$SPILLOVER", fluo2, spill)),
        "renamed_channel",
        ++seed);
    // byte-level faults of otherwise valid files; every patch keeps the TEXT length
    byte[] good = write(spec, "truncated", ++seed);
    Files.write(fcs.resolve("truncated.fcs"), Arrays.copyOf(good, good.length - 500));
    byte[] b = write(spec, "bad_delimiter", ++seed);
    b[58] = 'a';
    Files.write(fcs.resolve("bad_delimiter.fcs"), b);
    patch(spec, "lying_tot", ++seed, "/$TOT/300/", "/$TOT/299/");
    patch(spec, "par_mismatch", ++seed, "/$PAR/14/", "/$PAR/15/");
    patch(spec, "missing_datatype", ++seed, "/$DATATYPE/", "/$XATATYPE/");
    patch(spec, "bad_byteord", ++seed, "/$BYTEORD/1,2,3,4/", "/$BYTEORD/3,4,1,2/");
    patch(spec, "ascii_datatype", ++seed, "/$DATATYPE/F/", "/$DATATYPE/A/");
    patch(spec, "unknown_datatype", ++seed, "/$DATATYPE/F/", "/$DATATYPE/X/");
    byte[] t = write(spec, "text_past_eof", ++seed);
    System.arraycopy(String.format("%8d", 99999).getBytes(StandardCharsets.US_ASCII), 0, t, 18, 8);
    Files.write(fcs.resolve("text_past_eof.fcs"), t);
    Files.writeString(
        fcs.resolve("not_fcs.fcs"),
        "file,patient_id,visit,panel\n"
            + "fcs/a.fcs,TR-01-001,D1,P1\nfcs/b.fcs,TR-01-002,D1,P1\nfcs/c.fcs,TR-01-003,D1,P1\n");
    Files.write(fcs.resolve("empty.fcs"), new byte[0]);
    List<String> bad =
        List.of(
            "truncated",
            "bad_delimiter",
            "lying_tot",
            "par_mismatch",
            "missing_datatype",
            "bad_byteord",
            "ascii_datatype",
            "unknown_datatype",
            "not_fcs",
            "empty",
            "renamed_channel",
            "copy_of_ok_a_d1",
            "no_spillover",
            "text_past_eof");
    List<String> manifest =
        new ArrayList<>(
            List.of(
                HEADER,
                "fcs/ok_a_d1.fcs,TR-01-001,D1,P1,2015-01-06,B1",
                "fcs/ok_a_d8.fcs,TR-01-001,D8,P1,2015-01-13,B1",
                "fcs/ok_b_d1.fcs,TR-01-002,D1,P1,2015-02-02,B1"));
    for (String f : bad) { // lines 5..18
      manifest.add("fcs/" + f + ".fcs,TR-01-002,D15,P1,2015-02-16,B2");
    }
    manifest.addAll(
        List.of(
            "fcs/second_b_d1.fcs,TR-01-002,D1,P1,2015-02-02,B2", // 19
            "fcs/nowhere.fcs,TR-01-001,M1,P1,2015-02-03,B2", // 20
            "fcs/unknown_panel.fcs,TR-01-001,M1,P9,2015-02-03,B2", // 21
            "fcs/unknown_visit.fcs,TR-01-001,X9,P1,2015-02-03,B2", // 22
            "fcs/unknown_patient.fcs,TR-99-999,D1,P1,2015-02-03,B2", // 23
            "fcs/ok_a_d1.fcs,TR-01-001,M2,P1,2015-03-03,B2", // 24
            "../../etc/passwd,TR-01-001,M3,P1,2015-03-31,B2", // 25
            "/etc/hosts,TR-01-001,M4,P1,2015-04-28,B2", // 26
            "fcs/ok_a_d1.fcs,TR-01-001,D1", // 27
            "fcs/ok_b_d8.fcs,,D8,P1,2015-02-09,B2", // 28
            "fcs/ok_b_d8.fcs,TR-01-002,D8,P1,2015-31-02,B2")); // 29
    Files.writeString(input.resolve("manifest.csv"), String.join("\n", manifest) + "\n");

    SparkSession spark = SparkTestSession.get();
    lakeDir = dir.resolve("lake");
    Path clinical = Files.createDirectories(dir.resolve("clinical"));
    Files.writeString(
        clinical.resolve("dm.csv"), String.join("\n", ClinicalFixtures.DM.subList(0, 3)) + "\n");
    IngestClinicalJob.run(
        spark,
        new IngestClinicalOptions(
            clinical.toString(),
            lakeDir.toString(),
            home.resolve("conf"),
            home.resolve("schemas"),
            null,
            "bad-clin"));
    result =
        IngestFcsJob.run(
            spark,
            new IngestFcsJob.Options(
                input.toString(),
                input.resolve("manifest.csv").toString(),
                lakeDir.toString(),
                home.resolve("conf"),
                home.resolve("schemas"),
                "bad-fcs"));
    for (Row r :
        spark
            .read()
            .parquet(lakeDir.resolve("quarantine").toString())
            .where("job = 'ingest-fcs'")
            .collectAsList()) {
      Map<String, Object> m = new HashMap<>();
      for (String f : r.schema().fieldNames()) {
        m.put(f, r.getAs(f));
      }
      quarantine.add(m);
    }
    for (Row r :
        spark
            .read()
            .parquet(lakeDir.resolve("samples").toString())
            .select("sample_id", "event_count")
            .collectAsList()) {
      sampleEvents.put(r.getString(0), ((Number) r.get(1)).longValue());
    }
    for (Row r :
        spark
            .read()
            .parquet(lakeDir.resolve("events_p1").toString())
            .groupBy("sample_id")
            .count()
            .collectAsList()) {
      eventRows.put(r.getString(0), r.getLong(1));
    }
  }

  /** Writes a valid P1 file {@code fcs/<name>.fcs} of {@link #EVENTS} events; returns its bytes. */
  static byte[] write(FcsWriter.Spec spec, String name, int seed) throws Exception {
    float[] v = new float[EVENTS * spec.channels().size()];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextDouble() * 20000 - 200);
    }
    Path p = input.resolve("fcs/" + name + ".fcs");
    FcsWriter.write(p, spec, v, EVENTS);
    return Files.readAllBytes(p);
  }

  /** Writes a valid file, then replaces {@code from} by {@code to} (same length) in its TEXT. */
  static void patch(FcsWriter.Spec spec, String name, int seed, String from, String to)
      throws Exception {
    assertEquals(from.length(), to.length());
    byte[] b = write(spec, name, seed);
    String s = new String(b, StandardCharsets.ISO_8859_1);
    int at = s.indexOf(from);
    assertTrue(at > 0 && at < 4096, from + " not in the TEXT of " + name);
    System.arraycopy(to.getBytes(StandardCharsets.ISO_8859_1), 0, b, at, to.length());
    Files.write(input.resolve("fcs/" + name + ".fcs"), b);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isQuarantinedWithItsReasonAndAMessageNamingIt(Case k) {
    List<Map<String, Object>> rows =
        quarantine.stream()
            .filter(
                r ->
                    k.source().equals(r.get("source"))
                        && ((String) r.get("locator")).startsWith(k.locator()))
            .toList();
    assertEquals(1, rows.size(), k + ": rows " + rows + "\nall: " + quarantine);
    Map<String, Object> row = rows.get(0);
    String message = (String) row.get("message");
    assertEquals(k.reason(), row.get("reason_code"), message);
    for (String m : k.mentions()) {
      assertTrue(message.contains(m), k.id() + ": '" + m + "' not in: " + message);
    }
    assertEquals(k.events(), row.get("events"), k.id() + ": events");
  }

  @Test
  void filesAndRowsReconcile() {
    long files;
    try (var s = Files.list(input.resolve("fcs"))) {
      files = s.count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertEquals(files, result.filesFound());
    assertEquals(3, result.samplesIngested());
    assertEquals(result.filesFound(), result.samplesIngested() + result.filesQuarantined());
    long fileRows =
        quarantine.stream().filter(r -> !"manifest.csv".equals(r.get("source"))).count();
    assertEquals(result.filesQuarantined(), fileRows, "one quarantine row per quarantined file");
    assertEquals(28, result.manifestRows(), "manifest lines 2..29");
    long rowRows = quarantine.stream().filter(r -> "manifest.csv".equals(r.get("source"))).count();
    // manifest rows: 3 valid + 14 bad files + DUPLICATE_SAMPLE row link a file; the rest are
    // quarantined as rows
    assertEquals(result.manifestRows() - 3 - 14 - 1, rowRows, quarantine.toString());
    assertEquals(result.recordsQuarantined(), quarantine.size());
    assertEquals(result.eventsIn(), result.eventsWritten() + result.eventsQuarantined());
  }

  @Test
  void everyValidSampleIsInTheLakeWithAllItsEvents() {
    Pseudonymizer ids = Pseudonymizer.withSalt(null);
    List<String> valid =
        List.of(
            ids.sample("TR-01-001", "D1", "P1"),
            ids.sample("TR-01-001", "D8", "P1"),
            ids.sample("TR-01-002", "D1", "P1"));
    assertEquals(
        valid.stream().sorted().toList(), sampleEvents.keySet().stream().sorted().toList());
    for (String s : valid) {
      assertEquals(EVENTS, sampleEvents.get(s), s + " event_count = $TOT");
      assertEquals(EVENTS, eventRows.get(s), s + " rows in events_p1");
    }
    assertEquals(3L * EVENTS, result.eventsWritten());
    assertEquals(Map.of("P1", 3L * EVENTS), result.eventsPerPanel());
    assertEquals(
        valid.size(),
        eventRows.size(),
        eventRows.keySet().stream().collect(Collectors.joining(",")));
  }
}
