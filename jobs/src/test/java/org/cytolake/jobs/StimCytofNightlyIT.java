package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.generate.StimCytofStudy;
import org.cytolake.lake.Lake;
import org.cytolake.report.ReportRenderer;
import org.cytolake.tables.TableSchema;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's worked example, end to end: the stim-cytof study (8 donors × unstim/stim, one
 * CyTOF-like panel without scatter or spillover, only a DM clinical file) generated into a temp
 * directory and run through the whole nightly with {@code examples/stim-cytof/conf}: every file
 * ingested, populations gated, the stimulation effect found by the paired test, no clinical
 * response (the cohort has no score), the report written, and the README's queries run in DuckDB.
 */
class StimCytofNightlyIT {
  static final int EVENTS = 5000;
  static final List<String> POPULATIONS =
      List.of("leukocytes", "T", "CD4", "Treg", "CD8", "B", "NK", "monocytes");

  @TempDir static Path tmp;
  static SparkSession spark;
  static Path home;
  static Path lake;
  static NightlyJob.Result result;

  @BeforeAll
  static void generateAndRunTheNightly() throws Exception {
    spark = SparkTestSession.get();
    home = SharedData.projectDir();
    Path input = tmp.resolve("stim");
    StimCytofStudy.run(
        new StimCytofStudy.Options(input, StimCytofStudy.DONORS_DEFAULT, EVENTS, 1, false),
        line -> {});
    lake = tmp.resolve("lake-stim");
    result =
        NightlyJob.run(
            spark,
            new NightlyJob.Options(
                input.toString(),
                null,
                lake.toString(),
                home.resolve("examples/stim-cytof/conf"),
                home.resolve("schemas"),
                null,
                false,
                Duration.ofMinutes(30)));
  }

  static Dataset<Row> table(String name) {
    return spark.read().parquet(lake.resolve(name).toString());
  }

  @Test
  void theRunSucceedsAndIngestsEveryFile() {
    assertEquals("succeeded", result.status(), result.message());
    assertEquals(NightlyJob.STEPS, result.steps().stream().map(NightlyJob.Step::name).toList());
    assertTrue(
        result.steps().stream().allMatch(s -> s.status().equals("ran")), result.steps().toString());
    assertEquals(16L, result.counts().get("files_in"));
    assertEquals(0L, result.counts().get("files_quarantined"));
    assertEquals(16L * EVENTS, result.counts().get("events_written"));
    assertEquals(0L, result.counts().get("events_quarantined"));
    assertEquals(8L, result.counts().get("records_in"));
    assertEquals(0L, result.counts().get("records_quarantined"));
    assertEquals(16, table("samples").count());
    assertEquals(
        Set.of("unstim", "stim"),
        Set.copyOf(
            table("samples")
                .select("visit")
                .distinct()
                .as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList()));
    assertEquals(
        0,
        table("samples").where("study_day IS NOT NULL OR qc_status <> 'ok'").count(),
        "no study days; $PnS labels agree with panels.yaml");
    Lake l = new Lake(lake.toString(), home.resolve("schemas"));
    assertEquals(0, l.read(spark, l.schema("quarantine")).count());
    assertEquals(16, table("ingest_ledger").where("outcome = 'ingested'").count());
    assertEquals(16L * EVENTS, table("events_pbmc").count());
  }

  @Test
  void onlyDmIsNeededTheOtherClinicalTablesAreEmptyWithTheirContracts() {
    assertEquals(8, table("patients").where("cohort = 'Healthy donor'").count());
    for (String t : List.of("visits", "dosing", "disease_scores", "labs", "adverse_events")) {
      Dataset<Row> d = table(t);
      assertEquals(0, d.count(), t);
      assertEquals(
          TableSchema.load(home.resolve("schemas"), t).columnNames(), List.of(d.columns()), t);
    }
  }

  @Test
  void everySampleIsGatedIntoEveryPopulation() {
    Map<String, Long> samplesWith = new TreeMap<>();
    for (Row r :
        table("populations")
            .where("count > 0")
            .groupBy("population_name")
            .agg(functions.countDistinct("sample_id"))
            .collectAsList()) {
      samplesWith.put(r.getString(0), r.getLong(1));
    }
    for (String p : POPULATIONS) {
      assertEquals(16L, samplesWith.get(p), p + " in " + samplesWith);
    }
    // B cells are about 10% of leukocytes in the generator, CD4 T about 36%.
    Row b =
        table("populations")
            .where("population_name = 'B'")
            .agg(functions.min("pct_of_parent"), functions.max("pct_of_parent"))
            .first();
    assertTrue(b.getDouble(0) > 5 && b.getDouble(1) < 18, "B % of leukocytes " + b);
    assertEquals(0, table("gating_qc").where("flag = 'EMPTY_GATE'").count());
    List<String> labels =
        table("clusters")
            .select("label")
            .distinct()
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    assertTrue(
        labels.containsAll(List.of("B", "NK", "monocytes", "CD4 T", "CD8 T")), labels.toString());
  }

  /** Patient → visit → value of one feature of panel PBMC (every row: cohort HD). */
  static Map<String, Map<String, Double>> values(String feature, String statistic) {
    Map<String, Map<String, Double>> out = new TreeMap<>();
    for (Row r :
        table("immunophenotype")
            .where(
                functions
                    .col("panel")
                    .equalTo("PBMC")
                    .and(functions.col("feature").equalTo(feature))
                    .and(functions.col("statistic").equalTo(statistic)))
            .select("patient_id", "visit", "value", "cohort")
            .collectAsList()) {
      assertEquals("HD", r.getString(3));
      out.computeIfAbsent(r.getString(0), k -> new HashMap<>()).put(r.getString(1), r.getDouble(2));
    }
    return out;
  }

  @Test
  void theStimulationRaisesPs6InBCellsOfEveryDonorAndThePairedTestSaysSo() {
    Map<String, Map<String, Double>> byPatient = values("B", "median_ps6");
    assertEquals(8, byPatient.size());
    for (Map.Entry<String, Map<String, Double>> e : byPatient.entrySet()) {
      double unstim = e.getValue().get("unstim");
      double stim = e.getValue().get("stim");
      assertTrue(stim > unstim + 1, e.getKey() + ": pS6 of B cells " + unstim + " -> " + stim);
    }
    List<Row> rows =
        table("cohort_summary")
            .where(
                "panel = 'PBMC' AND feature = 'B' "
                    + "AND statistic = 'median_ps6' AND visit = 'stim'")
            .orderBy("cohort")
            .collectAsList();
    assertEquals(List.of("ALL", "HD"), rows.stream().map(r -> (String) r.getAs("cohort")).toList());
    for (Row r : rows) {
      assertEquals(8, (int) r.getAs("n_paired"));
      assertEquals(8, (int) r.getAs("n_nonzero"));
      assertEquals(36.0, (double) r.getAs("wilcoxon_v"));
      // all 8 pairs up: exact two-sided p = 2 / 2^8 (R: wilcox.test(paired = TRUE))
      assertEquals(0.0078125, (double) r.getAs("p_value"), 1e-12);
      assertTrue((boolean) r.getAs("p_exact"));
      assertNull(r.getAs("study_day"));
    }
    Row base =
        table("cohort_summary")
            .where(
                "cohort = 'HD' AND panel = 'PBMC' "
                    + "AND feature = 'B' AND statistic = 'median_ps6' AND visit = 'unstim'")
            .first();
    assertNull(base.getAs("p_value"), "the baseline is not tested against itself");
    // T cells: no effect in the model; their pS6 barely moves.
    for (Map.Entry<String, Map<String, Double>> e : values("CD4", "median_ps6").entrySet()) {
      double change = e.getValue().get("stim") - e.getValue().get("unstim");
      assertTrue(Math.abs(change) < 0.3, e.getKey() + ": pS6 of CD4 T cells moved " + change);
    }
  }

  @Test
  void noScoreMeansNoClinicalResponseAndNoAdverseEventsNoSafetyRows() {
    assertEquals(0, table("clinical_response").count());
    assertEquals(0, table("safety_summary").count());
    assertFalse(
        result.warnings().stream().anyMatch(w -> w.contains("without a cohort")),
        result.warnings().toString());
  }

  @Test
  void theReportIsWrittenWithTheConditionsInTheirOrder() throws Exception {
    assertTrue(result.htmlReport() != null, "report path");
    Path page = Path.of(result.htmlReport().replaceFirst("^file:", ""));
    String html = Files.readString(page, StandardCharsets.UTF_8);
    assertTrue(html.contains("data-plot=\"primary-Healthy donor\""), "B cell plot of the cohort");
    assertTrue(
        html.contains("B % of leukocytes") && !html.contains("Treg % of CD4"),
        "titled from the configured population and its parent gate");
    int unstim = html.indexOf(">unstim<");
    int stim = html.indexOf(">stim<");
    assertTrue(unstim > 0 && stim > unstim, "unstim drawn before stim: " + unstim + ", " + stim);
    int summary = html.indexOf("id=\"" + ReportRenderer.COHORT_SUMMARY + "\"");
    assertTrue(summary > 0 && html.indexOf("median_ps6", summary) > 0, "cohort_summary shown");
    int unstimRow = html.indexOf("<td>unstim</td>", summary);
    int stimRow = html.indexOf("<td>stim</td>", summary);
    assertTrue(
        unstimRow > 0 && stimRow > unstimRow,
        "cohort_summary rows of unstim before stim: " + unstimRow + ", " + stimRow);
  }

  /** The README's stim-cytof queries (DuckDB), run as written on this lake. */
  @Test
  void theReadmeQueriesGiveTheEffect() throws Exception {
    String readme = Files.readString(home.resolve("README.md"));
    Matcher m =
        Pattern.compile("```sql\n(-- stim-cytof, DuckDB.*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(m.find(), "the README's stim-cytof queries");
    List<String> queries = new ArrayList<>();
    for (String q : m.group(1).split(";\\s*\n")) {
      if (!q.isBlank()) {
        queries.add(
            q.replace(
                "'lake-stim/", "'" + lake.toAbsolutePath().toString().replace('\\', '/') + "/"));
      }
    }
    assertEquals(2, queries.size());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      int donors = 0;
      try (ResultSet rs = st.executeQuery(queries.get(0))) {
        while (rs.next()) {
          donors++;
          assertTrue(rs.getDouble("stim") > rs.getDouble("unstim"), rs.getString(1));
        }
      }
      assertEquals(8, donors);
      Set<String> rows = new TreeSet<>();
      try (ResultSet rs = st.executeQuery(queries.get(1))) {
        while (rs.next()) {
          rows.add(
              rs.getString("cohort")
                  + " "
                  + rs.getString("visit")
                  + " "
                  + rs.getInt("n_paired")
                  + " "
                  + rs.getObject("p_value"));
        }
      }
      assertEquals(
          Set.of(
              "ALL unstim 8 null",
              "ALL stim 8 0.0078125",
              "HD unstim 8 null",
              "HD stim 8 0.0078125"),
          rows);
    }
  }
}
