package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cytolake.clinical.DomainCount;
import org.cytolake.tables.Pseudonymizer;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The clinical CSV / JSON-lines cases of {@code src/test/resources/bad-inputs/CATALOGUE.md}: one
 * input directory (dm, sv, ex, qs, lb, ae) holds every bad record beside valid ones; ingest-clinical
 * runs once over it, and each case checks its quarantine row: reason, field, value, the original
 * record, and a message naming the file, the line and the offending value.
 */
class BadInputCatalogueClinicalIT {
  static final String DM_HEADER =
      "STUDYID,DOMAIN,USUBJID,SUBJID,SITEID,RFSTDTC,BRTHDTC,AGE,AGEU," + "SEX,RACE,ARM,DISEASE";

  static final List<String> DM =
      List.of(
          DM_HEADER,
          "TRANSREG,DM,TR-01-001,001,01,2015-01-06,1970-03-15,44,YEARS,F,WHITE,LD-IL2,RA",
          "TRANSREG,DM,TR-01-002,002,01,2015-02-02,1980-07-01,,YEARS,M,WHITE,LD-IL2,SLE",
          "TRANSREG,DM,TR-01-003,003,01,2015-03-01,1990-01-01,-3,YEARS,F,ASIAN,LD-IL2,PSO", // 4
          "TRANSREG,DM,TR-01-006,006,01", // 5
          "TRANSREG,DM,TR-01-007,007,01,2015-13-01,1960-01-01,55,YEARS,M,WHITE,LD-IL2,RA", // 6
          "TRANSREG,DM,,005,01,2015-03-01,1960-01-01,55,YEARS,M,WHITE,LD-IL2,RA", // 7
          "TRANSREG,DM,TR-01-001,001,01,2015-01-06,1970-03-15,44,YEARS,F,WHITE,LD-IL2,RA", // 8
          "TRANSREG,DM,TR-01-004,004,01,2015-03-01,2016-01-01,,YEARS,M,WHITE,LD-IL2,RA", // 9
          "TRANSREG,DM,TR-01-008,008,01,2015-03-01,1960-01-01,forty,YEARS,M,WHITE,LD-IL2,RA"); // 10

  static final List<String> SV =
      List.of(
          "VISIT,USUBJID,VISITNUM,SVSTDTC,VISITDY",
          "D1,TR-01-001,1,2015-01-06,1",
          "D8,TR-01-001,3,2015-01-13,8",
          "D1,TR-01-002,1,2015-02-02,1",
          "W3,TR-01-002,2,2015-02-20,20", // 5
          "D1,TR-99-999,1,2015-01-06,1", // 6
          "D1,TR-01-003,1,2015-03-01,1", // 7
          "D8,TR-01-002,3,2015-01-30,8", // 8
          "D8,TR-01-001,3,2015-01-13,8", // 9
          "D15,\"TR-01-001,4,2015-01-20,15", // 10
          "D15,TR-01-001,4,2015-01-20,15");

  static final List<String> EX =
      List.of(
          "{\"USUBJID\":\"TR-01-001\",\"EXTRT\":\"ALDESLEUKIN\",\"EXDOSE\":1,\"EXDOSU\":\"MIU\","
              + "\"EXSTDTC\":\"2015-01-06\",\"VISIT\":\"D1\"}",
          "{\"USUBJID\": \"TR-01-001\", \"EXTRT\": ", // 2
          "{\"USUBJID\":\"TR-01-002\",\"EXTRT\":\"ALDESLEUKIN\",\"EXDOSE\":\"one\","
              + "\"EXSTDTC\":\"2015-02-02\"}", // 3
          "{\"USUBJID\":\"TR-01-002\",\"EXDOSE\":1,\"EXSTDTC\":\"2015-02-03\"}", // 4
          "{\"USUBJID\":\"TR-01-001\",\"EXTRT\":\"ALDESLEUKIN\",\"EXDOSE\":-1,"
              + "\"EXSTDTC\":\"2015-01-08\"}", // 5
          "[\"TR-01-001\",\"ALDESLEUKIN\"]", // 6
          "{\"USUBJID\":\"TR-01-002\",\"EXTRT\":\"ALDESLEUKIN\",\"EXDOSE\":1,"
              + "\"EXSTDTC\":\"2015-02-03\"}");

  static final List<String> QS =
      List.of(
          "USUBJID,QSTESTCD,QSTEST,QSSTRESN,QSSTRESU,VISIT,VISITNUM,QSDTC,QSDY",
          "TR-01-001,DAS28CRP,DAS28-CRP,4.1,,D1,1,2015-01-06,1",
          "TR-01-001,DAS28CRP,DAS28-CRP,12.5,,D8,3,2015-01-13,8", // 3
          "TR-01-002,SLEDAI,SLEDAI-2K,abc,,D1,1,2015-02-02,1", // 4
          "TR-01-002,SLEDAI,SLEDAI-2K,6,,D1,1,2015-01-01,1", // 5
          "TR-01-002,,SLEDAI-2K,4,,D8,3,2015-02-09,8", // 6
          "TR-01-002,SLEDAI,SLEDAI-2K,4,,D8,3,2015-02-09,8");

  /** Lacks LBTESTCD: the whole file is rejected. */
  static final List<String> LB =
      List.of(
          "USUBJID,LBTEST,LBSTRESN,VISIT",
          "TR-01-001,C-reactive protein,3.2,D1",
          "TR-01-002,C-reactive protein,1.1,D1");

  static final List<String> AE =
      List.of(
          "USUBJID,AESEQ,AETERM,AEDECOD,AETOXGR,AESER,AEREL,AESTDTC,AESTDY,AEENDTC",
          "TR-01-001,1,Injection site reaction,Injection site reaction,1,N,RELATED,2015-01-06,1,"
              + "2015-01-08",
          "TR-01-001,2,Fever,Pyrexia,7,N,RELATED,2015-01-07,2,2015-01-08", // 3
          "TR-01-001,3,Headache,Headache,2,Y,NOT RELATED,2015-01-10,5,2015-01-09", // 4
          "TR-01-002,1,Fatigue,Fatigue,1,N,POSSIBLY,2015-02-03,2,");

  @TempDir static Path dir;
  static IngestClinicalResult result;
  static List<Map<String, Object>> quarantine = new ArrayList<>();
  static Map<String, Long> tableRows = new HashMap<>();
  static List<String> patients = new ArrayList<>();

  /**
   * A case: the file, the locator ({@code line N} or {@code header}), reason, field, value, and
   * the words the message must hold besides the file and locator.
   */
  record Case(
      String id,
      String what,
      String file,
      String locator,
      String reason,
      String field,
      String value,
      List<String> mentions) {
    @Override
    public String toString() {
      return id + " " + what + " -> " + reason;
    }
  }

  static Arguments c(
      String id,
      String what,
      String file,
      String locator,
      String reason,
      String field,
      String value,
      String... mentions) {
    Case k = new Case(id, what, file, locator, reason, field, value, List.of(mentions));
    return Arguments.of(Named.of(k.toString(), k));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        c("CLIN-01", "negative AGE", "dm.csv", "line 4", "NEGATIVE_AGE", "AGE", "-3"),
        c(
            "CLIN-02",
            "row with 5 of 13 fields",
            "dm.csv",
            "line 5",
            "MALFORMED_ROW",
            null,
            null,
            "5 fields",
            "13"),
        c(
            "CLIN-03",
            "RFSTDTC month 13",
            "dm.csv",
            "line 6",
            "MALFORMED_ROW",
            "RFSTDTC",
            "2015-13-01"),
        c("CLIN-04", "empty USUBJID", "dm.csv", "line 7", "MISSING_VALUE", "USUBJID", null),
        c(
            "CLIN-05",
            "patient listed twice",
            "dm.csv",
            "line 8",
            "DUPLICATE_RECORD",
            null,
            null,
            "line 2"),
        c(
            "CLIN-06",
            "born after inclusion",
            "dm.csv",
            "line 9",
            "NEGATIVE_AGE",
            "BRTHDTC",
            "2016-01-01"),
        c(
            "CLIN-07",
            "AGE 'forty' (wrong type)",
            "dm.csv",
            "line 10",
            "MALFORMED_ROW",
            "AGE",
            "forty"),
        c(
            "CLIN-08",
            "unknown visit W3",
            "sv.csv",
            "line 5",
            "UNKNOWN_VISIT",
            "VISIT",
            "W3",
            "visits.yaml"),
        c(
            "CLIN-09",
            "patient absent from DM",
            "sv.csv",
            "line 6",
            "UNKNOWN_PATIENT",
            "USUBJID",
            "TR-99-999",
            "dm.csv"),
        c(
            "CLIN-10",
            "patient whose DM record was rejected",
            "sv.csv",
            "line 7",
            "UNKNOWN_PATIENT",
            "USUBJID",
            "TR-01-003",
            "dm.csv line 4"),
        c(
            "CLIN-11",
            "visit before inclusion",
            "sv.csv",
            "line 8",
            "DATE_BEFORE_INCLUSION",
            "SVSTDTC",
            "2015-01-30",
            "2015-02-02"),
        c(
            "CLIN-12",
            "visit listed twice",
            "sv.csv",
            "line 9",
            "DUPLICATE_RECORD",
            null,
            null,
            "line 3"),
        c("CLIN-13", "unclosed quote", "sv.csv", "line 10", "MALFORMED_ROW", null, null, "CSV"),
        c("CLIN-14", "truncated JSON", "ex.jsonl", "line 2", "MALFORMED_ROW", null, null, "JSON"),
        c(
            "CLIN-15",
            "EXDOSE \"one\" (wrong type)",
            "ex.jsonl",
            "line 3",
            "MALFORMED_ROW",
            "EXDOSE",
            "one"),
        c("CLIN-16", "required EXTRT absent", "ex.jsonl", "line 4", "MISSING_VALUE", "EXTRT", null),
        c("CLIN-17", "negative dose", "ex.jsonl", "line 5", "OUT_OF_RANGE", "EXDOSE", "-1"),
        c(
            "CLIN-18",
            "JSON array, not an object",
            "ex.jsonl",
            "line 6",
            "MALFORMED_ROW",
            null,
            null,
            "JSON object"),
        c("CLIN-19", "DAS28CRP 12.5", "qs.csv", "line 3", "OUT_OF_RANGE", "QSSTRESN", "12.5"),
        c("CLIN-20", "score 'abc'", "qs.csv", "line 4", "MALFORMED_ROW", "QSSTRESN", "abc"),
        c(
            "CLIN-21",
            "score before inclusion",
            "qs.csv",
            "line 5",
            "DATE_BEFORE_INCLUSION",
            "QSDTC",
            "2015-01-01"),
        c("CLIN-22", "empty QSTESTCD", "qs.csv", "line 6", "MISSING_VALUE", "QSTESTCD", null),
        c(
            "CLIN-23",
            "header lacks LBTESTCD",
            "lb.csv",
            "header",
            "MISSING_COLUMN",
            "LBTESTCD",
            null),
        c("CLIN-24", "AETOXGR 7", "ae.csv", "line 3", "OUT_OF_RANGE", "AETOXGR", "7"),
        c(
            "CLIN-25",
            "AE ends before it starts",
            "ae.csv",
            "line 4",
            "DATE_BEFORE_INCLUSION",
            "AEENDTC",
            "2015-01-09"));
  }

  @BeforeAll
  static void ingestOnce() throws Exception {
    Path home = SharedData.projectDir();
    Path input = Files.createDirectories(dir.resolve("clinical"));
    Files.writeString(input.resolve("dm.csv"), String.join("\n", DM) + "\n");
    Files.writeString(input.resolve("sv.csv"), String.join("\n", SV) + "\n");
    Files.writeString(input.resolve("ex.jsonl"), String.join("\n", EX) + "\n");
    Files.writeString(input.resolve("qs.csv"), String.join("\n", QS) + "\n");
    Files.writeString(input.resolve("lb.csv"), String.join("\n", LB) + "\n");
    Files.writeString(input.resolve("ae.csv"), String.join("\n", AE) + "\n");
    SparkSession spark = SparkTestSession.get();
    Path lake = dir.resolve("lake");
    result =
        IngestClinicalJob.run(
            spark,
            new IngestClinicalOptions(
                input.toString(),
                lake.toString(),
                home.resolve("conf"),
                home.resolve("schemas"),
                null,
                "bad-clinical"));
    for (Row r :
        spark
            .read()
            .parquet(lake.resolve("quarantine").toString())
            .where("job = 'ingest-clinical'")
            .collectAsList()) {
      Map<String, Object> m = new HashMap<>();
      for (String f : r.schema().fieldNames()) {
        m.put(f, r.getAs(f));
      }
      quarantine.add(m);
    }
    for (String t : List.of("patients", "visits", "dosing", "disease_scores", "adverse_events")) {
      tableRows.put(t, spark.read().parquet(lake.resolve(t).toString()).count());
    }
    for (Row r :
        spark
            .read()
            .parquet(lake.resolve("patients").toString())
            .select("patient_id")
            .collectAsList()) {
      patients.add(r.getString(0));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isQuarantinedWithItsReasonAndAMessageNamingFileLineAndValue(Case k) {
    String source = "clinical/" + k.file();
    List<Map<String, Object>> rows =
        quarantine.stream()
            .filter(r -> source.equals(r.get("source")) && k.locator().equals(r.get("locator")))
            .toList();
    assertEquals(1, rows.size(), k + ": " + rows + "\nall: " + quarantine);
    Map<String, Object> row = rows.get(0);
    String message = (String) row.get("message");
    assertEquals(k.reason(), row.get("reason_code"), message);
    if (k.field() != null) {
      assertEquals(k.field(), row.get("field"), message);
    }
    if (k.value() != null) {
      assertEquals(k.value(), row.get("value"), message);
      assertTrue(message.contains(k.value()), k.id() + ": value not in: " + message);
    }
    assertTrue(message.contains(k.file()), k.id() + ": file not in: " + message);
    if (k.locator().startsWith("line")) {
      assertTrue(message.contains(k.locator()), k.id() + ": line not in: " + message);
      assertTrue(
          row.get("record") != null && !((String) row.get("record")).isBlank(),
          k.id() + ": the original record is kept");
    }
    if (k.field() != null) {
      assertTrue(message.contains(k.field()), k.id() + ": field not in: " + message);
    }
    for (String m : k.mentions()) {
      assertTrue(message.contains(m), k.id() + ": '" + m + "' not in: " + message);
    }
  }

  @Test
  void recordsReconcileAndEveryValidRecordIsWritten() {
    for (DomainCount d : result.domains()) {
      assertEquals(d.recordsIn(), d.accepted() + d.rejected(), d.summary());
    }
    assertEquals(
        cases().count(), quarantine.size(), "one quarantine row per catalogue case: " + quarantine);
    assertEquals(result.quarantineRows(), quarantine.size());
    // valid: dm 2, sv 4 (lines 2, 3, 4, 11), ex 2, qs 2, lb 0 (file rejected), ae 2
    assertEquals(
        Map.of(
            "patients", 2L, "visits", 4L, "dosing", 2L, "disease_scores", 2L, "adverse_events", 2L),
        tableRows);
    assertEquals(12, result.accepted());
    Pseudonymizer ids = Pseudonymizer.withSalt(null);
    assertEquals(
        List.of(ids.patient("TR-01-001"), ids.patient("TR-01-002")).stream().sorted().toList(),
        patients.stream().sorted().toList());
  }
}
