package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.cytometry.Compensation;
import org.cytolake.fcs.FcsWriter;
import org.cytolake.fcs.Spillover;
import org.cytolake.tables.Pseudonymizer;
import org.cytolake.tables.TableSchema;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ingest-fcs end to end on files the test writes, good and bad. */
class IngestFcsJobIT {
  @TempDir static Path dir;
  static Path input;
  static Path lakeDir;
  static IngestFcsJob.Result result;
  static PanelConfig p1;
  static float[] firstFileValues;
  static double[][] spill;
  static final int EVENTS = 2000;

  @BeforeAll
  static void ingest() throws Exception {
    Path home = SharedData.projectDir();
    CytolakeConfig config = CytolakeConfig.load(home.resolve("conf"));
    p1 = config.panel("P1");
    input = dir.resolve("in");
    Files.createDirectories(input.resolve("fcs/2015-01-06"));
    List<FcsWriter.Channel> ch = new ArrayList<>();
    for (var c : p1.channels()) {
      ch.add(FcsWriter.channel(c.detector(), c.marker(), 262144));
    }
    List<String> fluo = p1.detectors().subList(3, 13);
    spill = new double[10][10];
    for (int i = 0; i < 10; i++) {
      spill[i][i] = 1;
      if (i < 9) {
        spill[i][i + 1] = 0.1;
      }
    }
    FcsWriter.Spec spec =
        FcsWriter.spec(ch).withSpillover(new Spillover("$SPILLOVER", fluo, spill));
    firstFileValues = values(1);
    write(spec, "fcs/2015-01-06/A_D1_P1.fcs", firstFileValues);
    // A_D8: its spillover names channels by $PnS, a benign deviation; B_D1: PE-A labelled CD8,
    // not the CD25 of conf/panels.yaml, which may affect the data.
    List<String> fluoLabels = p1.channels().subList(3, 13).stream().map(c -> c.marker()).toList();
    write(
        spec.withSpillover(new Spillover("$SPILLOVER", fluoLabels, spill)),
        "fcs/2015-01-06/A_D8_P1.fcs",
        values(2));
    List<FcsWriter.Channel> mislabelled = new ArrayList<>(ch);
    mislabelled.set(4, FcsWriter.channel("PE-A", "CD8", 262144));
    write(
        FcsWriter.spec(mislabelled).withSpillover(new Spillover("$SPILLOVER", fluo, spill)),
        "fcs/2015-01-06/B_D1_P1.fcs",
        values(3));
    write(spec, "fcs/2015-01-06/B_D8_P1.fcs", values(4));
    byte[] good = Files.readAllBytes(input.resolve("fcs/2015-01-06/B_D8_P1.fcs"));
    Files.write(
        input.resolve("fcs/2015-01-06/B_D8_P1.fcs"),
        Arrays.copyOf(good, good.length - 5000)); // truncated inside DATA
    Files.copy(
        input.resolve("fcs/2015-01-06/A_D1_P1.fcs"),
        input.resolve("fcs/2015-01-06/A_D1_P1_copy.fcs"));
    write(spec, "fcs/2015-01-06/stray.fcs", values(5));
    write(spec.withSpillover(null), "fcs/2015-01-06/C_D1_P1.fcs", values(6));
    List<FcsWriter.Channel> renamed = new ArrayList<>(ch);
    renamed.set(4, FcsWriter.channel("PE", "CD25", 262144));
    List<String> fluo2 = new ArrayList<>(fluo);
    fluo2.set(1, "PE");
    write(
        FcsWriter.spec(renamed).withSpillover(new Spillover("$SPILLOVER", fluo2, spill)),
        "fcs/2015-01-06/D_D1_P1.fcs",
        values(7));
    Files.writeString(
        input.resolve("manifest.csv"),
        String.join(
            "\n",
            "file,patient_id,visit,panel,acquisition_date,batch",
            "fcs/2015-01-06/A_D1_P1.fcs,PAT-A,D1,P1,2015-01-06,B1",
            "fcs/2015-01-06/A_D8_P1.fcs,PAT-A,D8,P1,2015-01-13,B2",
            "fcs/2015-01-06/B_D1_P1.fcs,PAT-B,D1,P1,2015-01-06,B1",
            "fcs/2015-01-06/B_D8_P1.fcs,PAT-B,D8,P1,2015-01-13,B2",
            "fcs/2015-01-06/A_D1_P1_copy.fcs,PAT-A,D1,P1,2015-01-06,B1",
            "fcs/2015-01-06/C_D1_P1.fcs,PAT-C,D1,P1,2015-01-06,B1",
            "fcs/2015-01-06/D_D1_P1.fcs,PAT-D,D1,P1,2015-01-06,B1",
            "fcs/2015-01-06/nowhere.fcs,PAT-E,D1,P1,2015-01-06,B1",
            "fcs/2015-01-06/A_D1_P1.fcs,PAT-A,X9,P1,2015-01-06,B1",
            "fcs/2015-01-06/A_D1_P1.fcs,PAT-A,D1",
            ""));
    lakeDir = dir.resolve("lake");
    SparkSession spark = SparkTestSession.get();
    result =
        IngestFcsJob.run(
            spark,
            new IngestFcsJob.Options(
                input.toString(),
                input.resolve("manifest.csv").toString(),
                lakeDir.toString(),
                home.resolve("conf"),
                home.resolve("schemas"),
                "test-run"));
  }

  static void write(FcsWriter.Spec spec, String rel, float[] v) throws Exception {
    FcsWriter.write(input.resolve(rel), spec, v, EVENTS);
  }

  static float[] values(int seed) {
    float[] v = new float[EVENTS * 14];
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextDouble() * 20000 - 200);
    }
    return v;
  }

  @Test
  void countsReconcile() {
    assertEquals(8, result.filesFound());
    assertEquals(3, result.samplesIngested());
    assertEquals(5, result.filesQuarantined());
    assertEquals(3L * EVENTS, result.eventsWritten());
    assertEquals(result.eventsIn(), result.eventsWritten() + result.eventsQuarantined());
    assertEquals(Map.of("P1", 3L * EVENTS), result.eventsPerPanel());
  }

  @Test
  void everyBadInputIsQuarantinedWithItsReason() {
    SparkSession spark = SparkTestSession.get();
    Map<String, String> byLocator = new TreeMap<>();
    for (Row r :
        spark
            .read()
            .parquet(lakeDir.resolve("quarantine").toString())
            .where("job = 'ingest-fcs'")
            .collectAsList()) {
      byLocator.put(r.getAs("source") + " @ " + r.getAs("locator"), r.getAs("reason_code"));
      String msg = r.getAs("message");
      assertTrue(msg != null && !msg.isBlank());
    }
    assertEquals("TRUNCATED_DATA", find(byLocator, "B_D8_P1.fcs"));
    assertEquals("DUPLICATE_FILE", find(byLocator, "A_D1_P1_copy.fcs"));
    assertEquals("NO_MANIFEST_LINK", find(byLocator, "stray.fcs"));
    assertEquals("NO_SPILLOVER", find(byLocator, "C_D1_P1.fcs"));
    assertEquals("RENAMED_CHANNEL", find(byLocator, "D_D1_P1.fcs"));
    assertEquals("MISSING_FILE", byLocator.get("manifest.csv @ manifest line 9"));
    assertEquals("UNKNOWN_VISIT", byLocator.get("manifest.csv @ manifest line 10"));
    assertEquals("MALFORMED_ROW", byLocator.get("manifest.csv @ manifest line 11"));
    assertEquals(8, byLocator.size(), byLocator.toString());
  }

  private static String find(Map<String, String> m, String file) {
    return m.entrySet().stream()
        .filter(e -> e.getKey().contains("/" + file + " @"))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse("(none for " + file + " in " + m + ")");
  }

  @Test
  void eventsAreCompensatedTransformedAndLinkedToPseudonymousSamples() {
    SparkSession spark = SparkTestSession.get();
    String sample = Pseudonymizer.withSalt(null).sample("PAT-A", "D1", "P1");
    List<Row> rows =
        spark
            .read()
            .parquet(lakeDir.resolve("events_p1").toString())
            .where("sample_id = '" + sample + "' and event_index = 7")
            .collectAsList();
    assertEquals(1, rows.size());
    Row r = rows.get(0);
    assertEquals("D1", r.getAs("visit"));
    float[] comp = Arrays.copyOfRange(firstFileValues, 0, EVENTS * 14);
    Compensation.of(p1.detectors().subList(3, 13), spill)
        .bind(p1.detectors())
        .compensate(comp, EVENTS, 14);
    for (int c = 0; c < 14; c++) {
      var ch = p1.channels().get(c);
      float expected = (float) ch.transform().apply(comp[7 * 14 + c]);
      assertEquals(expected, ((Number) r.getAs(ch.column())).floatValue(), 1e-5f, ch.column());
    }
  }

  @Test
  void everyWrittenTableMatchesItsContract() {
    SparkSession spark = SparkTestSession.get();
    Path schemas = SharedData.projectDir().resolve("schemas");
    for (String t : List.of("samples", "channels", "quarantine", "ingest_ledger")) {
      var read = spark.read().parquet(lakeDir.resolve(t).toString()).schema();
      assertEquals(List.of(), TableSchema.load(schemas, t).differences(read), t);
    }
    var events = spark.read().parquet(lakeDir.resolve("events_p1").toString()).schema();
    assertEquals(List.of(), TableSchema.events(schemas, p1).differences(events));
  }

  @Test
  void analystTablesHoldNoRawPatientIdOrPath() {
    SparkSession spark = SparkTestSession.get();
    for (String t : List.of("samples", "channels", "events_p1")) {
      var df = spark.read().parquet(lakeDir.resolve(t).toString());
      for (var f : df.schema().fields()) {
        if (f.dataType().equals(org.apache.spark.sql.types.DataTypes.StringType)) {
          long bad =
              df.where(
                      org.apache
                          .spark
                          .sql
                          .functions
                          .col(f.name())
                          .contains("PAT-")
                          .or(org.apache.spark.sql.functions.col(f.name()).contains(".fcs")))
                  .count();
          assertEquals(0, bad, t + "." + f.name());
        }
      }
    }
  }

  @Test
  void qcStatusIsOkUnlessAWarningMayAffectTheData() {
    SparkSession spark = SparkTestSession.get();
    Pseudonymizer ids = Pseudonymizer.withSalt(null);
    Map<String, String> status = new TreeMap<>();
    Map<String, String> warnings = new TreeMap<>();
    for (Row r :
        spark
            .read()
            .parquet(lakeDir.resolve("samples").toString())
            .select("sample_id", "qc_status", "qc_warnings")
            .collectAsList()) {
      status.put(r.getString(0), r.getString(1));
      warnings.put(r.getString(0), r.isNullAt(2) ? "" : r.getString(2));
    }
    String clean = ids.sample("PAT-A", "D1", "P1");
    String byLabel = ids.sample("PAT-A", "D8", "P1");
    String mislabelled = ids.sample("PAT-B", "D1", "P1");
    assertEquals(Map.of(clean, "ok", byLabel, "ok", mislabelled, "warnings"), status);
    assertEquals("", warnings.get(clean));
    assertEquals("SPILLOVER_BY_LABEL", warnings.get(byLabel), "benign, and still recorded");
    assertEquals("LABEL_MISMATCH:PE-A=CD8", warnings.get(mislabelled));
  }

  @Test
  void writesARunSummary() throws Exception {
    Path summary = lakeDir.resolve("_runs/test-run/ingest-fcs.json");
    assertTrue(Files.exists(summary));
    String json = Files.readString(summary);
    assertTrue(json.contains("\"events_written\" : " + 3L * EVENTS), json);
  }
}
