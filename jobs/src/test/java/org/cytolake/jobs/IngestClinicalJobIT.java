package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.cytolake.cli.CytolakeCli;
import org.cytolake.clinical.ClinicalDomain;
import org.cytolake.clinical.ClinicalFixtures;
import org.cytolake.clinical.DomainCount;
import org.cytolake.clinical.ReasonCode;
import org.cytolake.lake.Lake;
import org.cytolake.tables.QuarantineRecord;
import org.cytolake.tables.TableSchema;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ingest-clinical end to end on fixture files: tables, contracts, pseudonyms, quarantine. */
class IngestClinicalJobIT {
  static final List<String> TABLES =
      Arrays.stream(ClinicalDomain.values()).map(ClinicalDomain::table).toList();

  /** Raw identifiers of the fixtures: USUBJIDs, names, birth dates. */
  static final List<String> RAW =
      List.of(
          "TR-01-",
          "TR-99-",
          "Dupont",
          "Martin",
          "Bernard",
          "Petit",
          "Roux",
          "Moreau",
          "1970-03-15",
          "1980-07-01",
          "1990-01-01");

  @TempDir static Path dir;
  static Path home;
  static Path input;
  static Path lakeDir;
  static Lake lake;
  static IngestClinicalResult first;
  static String cliOut;
  static String firstRunTimestampType;
  static Map<String, StructType> schemas = new TreeMap<>();
  static Map<String, List<Map<String, Object>>> rows = new TreeMap<>();

  /**
   * Seeds another job's quarantine row, runs the job through its API, then again through the CLI
   * over the same lake (the second run must replace, not add), and reads every table back once:
   * its schema with Spark, its rows with DuckDB (as analysts would, and without a Spark job per
   * table).
   */
  @BeforeAll
  static void ingestTwice() throws Exception {
    SparkSession spark = SparkTestSession.get();
    home = SharedData.projectDir();
    input = dir.resolve("clinical");
    lakeDir = dir.resolve("lake");
    ClinicalFixtures.write(input);
    lake = new Lake(lakeDir.toString(), home.resolve("schemas"));
    JobRun fcs = JobRun.start("fcs-run");
    TableSchema q = lake.schema("quarantine");
    lake.write(
        fcs.quarantineRows(
            spark,
            q,
            List.of(
                new QuarantineRecord(
                    "ingest-fcs",
                    "fcs/x.fcs",
                    "file",
                    "TRUNCATED_DATA",
                    "Cannot read x.fcs",
                    null,
                    null,
                    10L,
                    null))),
        q,
        SaveMode.Overwrite);
    first =
        IngestClinicalJob.run(
            spark,
            new IngestClinicalOptions(
                input.toString(),
                lakeDir.toString(),
                home.resolve("conf"),
                home.resolve("schemas"),
                null,
                "clinical-run-1"));
    firstRunTimestampType =
        (String)
            duckDb(
                    "SELECT typeof(detected_at) AS t FROM read_parquet('"
                        + lakeDir.resolve("quarantine/job=ingest-clinical")
                        + "/*.parquet') LIMIT 1")
                .get(0)
                .get("t");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        withHome(
            () ->
                cli(
                    out,
                    err,
                    "ingest-clinical",
                    "--input",
                    input.toString(),
                    "--lake",
                    lakeDir.toString(),
                    "--run-id",
                    "clinical-run-2"));
    assertEquals(0, status, err.toString());
    cliOut = out.toString();
    List<String> all = new ArrayList<>(TABLES);
    all.add("quarantine");
    for (String table : all) {
      schemas.put(table, lake.read(spark, table).schema());
      rows.put(
          table,
          duckDb(
              "SELECT * FROM read_parquet('"
                  + lakeDir.resolve(table)
                  + "/**/*.parquet', hive_partitioning=true)"));
    }
  }

  @Test
  void everyTableMatchesItsContractAndHoldsTheAcceptedRecords() {
    for (String table : schemas.keySet()) {
      assertEquals(List.of(), lake.schema(table).differences(schemas.get(table)), table);
    }
    for (DomainCount c : first.domains()) {
      assertEquals(c.accepted(), rows.get(c.domain().table()).size(), c.summary());
    }
    Map<String, Object> p =
        rows.get("patients").stream()
            .filter(r -> Integer.valueOf(34).equals(r.get("age")))
            .findFirst()
            .orElseThrow();
    assertEquals(java.time.LocalDate.of(2015, 2, 2), p.get("inclusion_date"));
    assertEquals("SLE", p.get("cohort"));
  }

  @Test
  void noAnalystTableHoldsARawIdentifierNameOrBirthDate() {
    for (String table : TABLES) {
      List<String> strings =
          Arrays.stream(schemas.get(table).fields())
              .filter(f -> f.dataType().equals(DataTypes.StringType))
              .map(StructField::name)
              .toList();
      assertTrue(strings.contains("patient_id"), table);
      for (Map<String, Object> r : rows.get(table)) {
        for (String col : strings) {
          String v = (String) r.get(col);
          for (String raw : RAW) {
            assertFalse(v != null && v.contains(raw), table + "." + col + " = " + v);
          }
        }
        assertTrue(((String) r.get("patient_id")).matches("P-[0-9a-f]{12}"), table);
      }
    }
  }

  @Test
  void quarantineHoldsEveryReasonAndOtherJobsRowsSurvive() {
    Map<String, Long> byJob =
        rows.get("quarantine").stream()
            .collect(
                Collectors.groupingBy(
                    r -> (String) r.get("job"), TreeMap::new, Collectors.counting()));
    assertEquals(
        Map.of("ingest-fcs", 1L, "ingest-clinical", first.quarantineRows()),
        byJob,
        "ingest-fcs rows kept; the second run replaced the first run's ingest-clinical rows");
    List<Map<String, Object>> mine =
        rows.get("quarantine").stream()
            .filter(r -> "ingest-clinical".equals(r.get("job")))
            .toList();
    assertEquals(
        Set.of("clinical-run-2"),
        mine.stream().map(r -> r.get("run_id")).collect(Collectors.toSet()));
    assertEquals(
        Arrays.stream(ReasonCode.values()).map(Enum::name).collect(Collectors.toSet()),
        mine.stream().map(r -> r.get("reason_code")).collect(Collectors.toSet()));
    Map<String, Object> negative =
        mine.stream()
            .filter(
                r -> "clinical/dm.csv".equals(r.get("source")) && "line 4".equals(r.get("locator")))
            .findFirst()
            .orElseThrow();
    assertEquals(
        List.of("NEGATIVE_AGE", "AGE", "-3", ClinicalFixtures.DM.get(3)),
        List.of(
            negative.get("reason_code"),
            negative.get("field"),
            negative.get("value"),
            negative.get("record")));
    Map<String, Object> header =
        mine.stream()
            .filter(r -> "clinical/lb.csv".equals(r.get("source")))
            .findFirst()
            .orElseThrow();
    assertEquals(
        List.of("header", "MISSING_COLUMN", "LBTESTCD"),
        List.of(header.get("locator"), header.get("reason_code"), header.get("field")));
    assertEquals(22L, first.quarantineRows());
  }

  @Test
  void countsReconcileAndTheRunSummaryIsWritten() throws Exception {
    for (DomainCount c : first.domains()) {
      assertEquals(c.recordsIn(), c.accepted() + c.rejected(), c.summary());
    }
    assertEquals(34, first.recordsIn());
    assertEquals(11, first.accepted());
    assertEquals(23, first.rejected());
    Path summary = lakeDir.resolve("_runs/clinical-run-1/ingest-clinical.json");
    assertEquals(
        summary.toUri().getPath(),
        new org.apache.hadoop.fs.Path(first.summaryPath()).toUri().getPath());
    assertTrue(Files.exists(lakeDir.resolve("_runs/clinical-run-2/ingest-clinical.json")));
    JsonNode j = new ObjectMapper().readTree(summary.toFile());
    assertEquals("clinical-run-1", j.get("run_id").asText());
    assertEquals(first.developmentSalt(), j.get("development_salt").asBoolean());
    assertEquals(34, j.get("records_in").asLong());
    List<String> perDomain = new ArrayList<>();
    for (JsonNode d : j.get("domains")) {
      assertEquals(
          d.get("records_in").asLong(), d.get("accepted").asLong() + d.get("rejected").asLong());
      perDomain.add(d.get("source").asText() + ":" + d.get("accepted").asLong());
    }
    assertEquals(
        List.of(
            "clinical/dm.csv:2",
            "clinical/sv.csv:3",
            "clinical/ex.jsonl:2",
            "clinical/qs.csv:2",
            "clinical/lb.csv:0",
            "clinical/ae.csv:2"),
        perDomain);
    assertEquals(1, j.get("rejected_by_reason").get("MISSING_COLUMN").asLong());
    assertEquals("EXTRA1", j.get("domains").get(0).get("ignored_columns").get(0).asText());
  }

  @Test
  void duckDbReadsTheTablesWithDateTypes() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      String patients = "read_parquet('" + lakeDir.resolve("patients") + "/**/*.parquet')";
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + patients)) {
        assertTrue(r.next());
        assertEquals(2, r.getLong(1));
      }
      try (ResultSet r =
          s.executeQuery(
              "SELECT typeof(inclusion_date), typeof(age), "
                  + "min(inclusion_date)::VARCHAR FROM "
                  + patients
                  + " GROUP BY ALL")) {
        assertTrue(r.next());
        assertEquals(
            List.of("DATE", "INTEGER", "2015-01-06"),
            List.of(r.getString(1), r.getString(2), r.getString(3)));
      }
      for (String table : TABLES) {
        s.executeQuery(
                "SELECT count(*) FROM read_parquet('" + lakeDir.resolve(table) + "/**/*.parquet')")
            .close();
      }
      try (ResultSet r =
          s.executeQuery(
              "SELECT job, count(*), typeof(any_value(detected_at))"
                  + " FROM read_parquet('"
                  + lakeDir.resolve("quarantine")
                  + "/**/*.parquet', "
                  + "hive_partitioning=true) GROUP BY job ORDER BY job")) {
        assertTrue(r.next());
        assertEquals(
            List.of("ingest-clinical", "22", "TIMESTAMP WITH TIME ZONE"),
            List.of(r.getString(1), r.getString(2), r.getString(3)));
      }
      assertEquals(
          "TIMESTAMP WITH TIME ZONE",
          firstRunTimestampType,
          "not INT96, whatever the" + " session");
    }
  }

  @Test
  void cliPrintsTheReconciliation() {
    assertTrue(
        cliOut.contains(
            "ingest-clinical run clinical-run-2: 34 records in = 11 "
                + "accepted + 23 rejected (22 quarantine rows)"),
        cliOut);
    assertTrue(
        cliOut.contains("clinical/qs.csv -> disease_scores: 6 in = 2 accepted + 4 " + "rejected"),
        cliOut);
  }

  @Test
  void cliFailsWithTheReasonOnTheLastLine() throws Exception {
    Path noDm = Files.createDirectories(dir.resolve("no-dm"));
    Files.writeString(noDm.resolve("sv.csv"), String.join("\n", ClinicalFixtures.SV));
    StringWriter err = new StringWriter();
    int status =
        withHome(
            () ->
                cli(
                    new StringWriter(),
                    err,
                    "ingest-clinical",
                    "--input",
                    noDm.toString(),
                    "--lake",
                    dir.resolve("lake-2").toString()));
    assertEquals(1, status);
    List<String> lines = err.toString().lines().toList();
    String last = lines.get(lines.size() - 1);
    assertTrue(
        last.startsWith("ingest-clinical failed: Cannot ingest clinical records from "),
        err.toString());
    assertTrue(last.contains("dm.csv (or dm.jsonl) is missing"), last);
  }

  /** Rows of a DuckDB query, each a column-to-value map (DATE as LocalDate). */
  private static List<Map<String, Object>> duckDb(String sql) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      int n = r.getMetaData().getColumnCount();
      while (r.next()) {
        Map<String, Object> row = new java.util.HashMap<>();
        for (int i = 1; i <= n; i++) {
          Object v = r.getObject(i);
          row.put(
              r.getMetaData().getColumnName(i), v instanceof java.sql.Date d ? d.toLocalDate() : v);
        }
        out.add(row);
      }
    }
    return out;
  }

  /** Runs with {@code cytolake.home} set to the project, as bin/cytolake does. */
  private static int withHome(java.util.function.IntSupplier command) {
    String before = System.getProperty("cytolake.home");
    System.setProperty("cytolake.home", home.toString());
    try {
      return command.getAsInt();
    } finally {
      if (before == null) {
        System.clearProperty("cytolake.home");
      } else {
        System.setProperty("cytolake.home", before);
      }
    }
  }

  private static int cli(StringWriter out, StringWriter err, String... args) {
    return CytolakeCli.commandLine()
        .setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err))
        .execute(args);
  }
}
