package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cytolake.generate.SeparableSamples;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both ingest jobs on the separable samples ({@code SeparableSamples}): every deliberately bad input listed in
 * truth/bad_inputs.csv lands in quarantine with the expected reason, counts reconcile, and every
 * table reads back in DuckDB with proper logical types.
 */
class DataSamplesIngestIT {
  @TempDir static Path dir;
  static Path lake;
  static IngestClinicalResult clinical;
  static IngestFcsJob.Result fcs;

  @BeforeAll
  static void ingest() throws Exception {
    Path home = SharedData.projectDir();
    Path samples = SeparableSamples.dir();
    lake = dir.resolve("lake");
    SparkSession spark = SparkTestSession.get();
    clinical =
        IngestClinicalJob.run(
            spark,
            new IngestClinicalOptions(
                samples.resolve("clinical").toString(),
                lake.toString(),
                home.resolve("conf"),
                home.resolve("schemas"),
                null,
                "samples-clinical"));
    fcs =
        IngestFcsJob.run(
            spark,
            new IngestFcsJob.Options(
                samples.toString(),
                samples.resolve("manifest.csv").toString(),
                lake.toString(),
                home.resolve("conf"),
                home.resolve("schemas"),
                "samples-fcs"));
  }

  @Test
  void everyListedBadInputIsQuarantinedWithItsExpectedReason() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Set<String> quarantined = new TreeSet<>();
    for (Row r : spark.read().parquet(lake.resolve("quarantine").toString()).collectAsList()) {
      String source = r.getAs("source");
      String locator = r.getAs("locator");
      String at =
          source.startsWith("clinical/") && locator.startsWith("line ")
              ? source + ":" + locator.substring(5)
              : source;
      quarantined.add(at + " " + r.getAs("reason_code"));
    }
    List<String> lines = Files.readAllLines(SeparableSamples.dir().resolve("truth/bad_inputs.csv"));
    List<String> missing = new ArrayList<>();
    int checked = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", 4);
      String expected = f[1] + " " + f[2];
      checked++;
      if (!quarantined.contains(expected)) {
        missing.add(expected);
      }
    }
    assertTrue(checked >= 10, "bad_inputs.csv lists " + checked);
    assertEquals(
        List.of(), missing, "expected quarantine rows not found; quarantine has " + quarantined);
  }

  /**
   * Acquisition QC ran on every sample: one sample_qc row each, and the events' qc_flag agrees with
   * it. On the separable samples it flags only MARGIN events: scatter values at the
   * stored maximum 262143 (449 of 301,500 events measured by QcAccuracy on the files).
   */
  @Test
  void acquisitionQcFlagsEventsAndSummarisesEachSample() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> qc = spark.read().parquet(lake.resolve("sample_qc").toString());
    assertEquals(fcs.samplesIngested(), qc.count());
    long flagged = 0;
    long margin = 0;
    long other = 0;
    for (String panel : List.of("P1", "P2", "P3")) {
      Dataset<Row> events =
          spark
              .read()
              .parquet(
                  lake.resolve("events_" + panel.toLowerCase(java.util.Locale.ROOT)).toString());
      flagged += events.where("qc_flag != 0").count();
      margin += events.where("qc_flag = 4").count();
      other += events.where("qc_flag NOT IN (0, 4)").count();
    }
    Row sums = qc.selectExpr("sum(flagged)", "sum(margin_events)", "sum(flow_rate_events)").first();
    assertEquals(sums.getLong(0), flagged, "sample_qc.flagged = events with qc_flag != 0");
    assertEquals(sums.getLong(1), margin);
    assertEquals(0, other, "only MARGIN on the separable trial");
    assertEquals(0, sums.getLong(2));
    assertTrue(flagged > 0 && flagged < 0.005 * fcs.eventsWritten(), "flagged " + flagged);
  }

  @Test
  void countsReconcile() {
    assertEquals(fcs.eventsIn(), fcs.eventsWritten() + fcs.eventsQuarantined());
    assertEquals(fcs.filesFound(), fcs.samplesIngested() + fcs.filesQuarantined());
    assertTrue(fcs.samplesIngested() > 90, "samples " + fcs.samplesIngested());
  }

  @Test
  void everyTableReadsBackInDuckDbWithLogicalTypes() throws Exception {
    Class.forName("org.duckdb.DuckDBDriver");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      for (String t :
          List.of(
              "samples",
              "channels",
              "events_p1",
              "events_p2",
              "events_p3",
              "quarantine",
              "ingest_ledger",
              "patients",
              "visits",
              "dosing",
              "disease_scores",
              "labs",
              "adverse_events")) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM read_parquet('"
                    + lake
                    + "/"
                    + t
                    + "/**/*.parquet', hive_partitioning = true)")) {
          rs.next();
          assertTrue(rs.getLong(1) > 0, t + " is empty in DuckDB");
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT typeof(ingested_at), typeof(acquisition_date),"
                  + " typeof(event_count) FROM read_parquet('"
                  + lake
                  + "/samples/*.parquet') LIMIT 1")) {
        rs.next();
        assertTrue(rs.getString(1).startsWith("TIMESTAMP"), rs.getString(1));
        assertEquals("DATE", rs.getString(2));
        assertEquals("BIGINT", rs.getString(3));
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT visit, count(*) FROM read_parquet('"
                  + lake
                  + "/events_p1/**/*.parquet', hive_partitioning = true) GROUP BY visit ORDER BY visit")) {
        List<String> visits = new ArrayList<>();
        while (rs.next()) {
          visits.add(rs.getString(1));
        }
        assertEquals(List.of("D1", "D8", "M6"), visits);
      }
    }
  }

  @Test
  void int16FilesAreBroughtBackToLinearScaleByTheirGain() throws Exception {
    // TRANSREG-PSO-01_D1_P2 is an FCS 2.0 int16 file storing value x 0.25 with $PnG 0.25.
    Path file = SeparableSamples.dir().resolve("fcs/2014-09-08/TRANSREG-PSO-01_D1_P2.fcs");
    double[] raw = new double[14];
    try (org.cytolake.fcs.FcsFile f = org.cytolake.fcs.FcsReader.open(file)) {
      assertEquals(0.25, f.first().parameters().get(0).gain());
      f.events(f.first(), 0, 1, 1 << 16).read(raw);
    }
    String sample =
        org.cytolake.tables.Pseudonymizer.withSalt(null).sample("TRANSREG-PSO-01", "D1", "P2");
    Row r =
        SparkTestSession.get()
            .read()
            .parquet(lake.resolve("events_p2").toString())
            .where("sample_id = '" + sample + "' and event_index = 0")
            .first();
    assertEquals(raw[0] / 0.25, ((Number) r.getAs("fsc_a")).doubleValue(), 1e-3);
    assertEquals(raw[2] / 0.25, ((Number) r.getAs("ssc_a")).doubleValue(), 1e-3);
  }
}
