package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.report.ReportRenderer;
import org.cytolake.testing.HeadlessChromium;
import org.cytolake.testing.Lakes;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@link ReportJob} on a lake built from data-samples (ingest, gate, flowsom cluster): the page has
 * one events plot per panel with one bar per sample, one Treg plot per cohort with one dot per
 * gated sample, one heatmap per clustering, the quarantine by reason without raw identifiers, and
 * cohort_summary ("not computed" before the table exists, every row after). Then headless
 * Chromium opens it: every plot is laid out with a non-empty box, no console error, exception or
 * failed load, no request but the page's own ({@code HeadlessChromiumTest} shows such errors are caught), and a full-page screenshot is saved
 * to {@code target/report-screenshot.png}. The browser part skips when no chromium is installed.
 */
class ReportIT {
  @TempDir static Path dir;
  static Path lake;
  static ReportJob.Result before;
  static ReportJob.Result result;
  static String html;
  static Document page;

  @BeforeAll
  static void buildLakeAndReport() throws Exception {
    Path home = SharedData.projectDir();
    SparkSession spark = SparkTestSession.get();
    lake = dir.resolve("lake");
    Lakes.ingestAndGate(spark, home.resolve("data-samples"), lake, "report");
    ClusterJob.run(spark, new ClusterJob.Options(lake.toString(), home.resolve("conf"),
        home.resolve("schemas"), "flowsom", 1000, 1L, null, "report-cluster"));
    before = ReportJob.run(spark, options("report-before", null));
    cohortSummary(spark).write().parquet(lake.resolve("cohort_summary").toString());
    String gateSummary = Files.list(lake.resolve("_runs")).map(p -> p.resolve("gate.json"))
        .filter(Files::exists).findFirst().orElseThrow().toString();
    result = ReportJob.run(spark, options("report-it", gateSummary));
    html = Files.readString(Path.of(java.net.URI.create(
        result.path().startsWith("/") ? "file://" + result.path() : result.path())));
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    page = f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(
        html.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  static ReportJob.Options options(String runId, String summary) {
    Path home = SharedData.projectDir();
    return new ReportJob.Options(lake.toString(), home.resolve("conf"), home.resolve("schemas"),
        runId, summary);
  }

  /** A stand-in cohort_summary (the aggregate job's table): Treg % of CD4 per cohort and visit. */
  static Dataset<Row> cohortSummary(SparkSession spark) {
    return treg(spark).groupBy("cohort", "visit")
        .agg(functions.count(functions.lit(1)).as("n"),
            functions.mean("pct_of_parent").as("mean"),
            functions.stddev("pct_of_parent").as("sd"),
            functions.expr("percentile(pct_of_parent, 0.5)").as("median"))
        .withColumn("feature", functions.lit("P1 CD4/Treg % of parent"));
  }

  /** The Treg rows, joined to visit and cohort independently of the job. */
  static Dataset<Row> treg(SparkSession spark) {
    return spark.read().parquet(lake.resolve("populations").toString())
        .filter("panel = 'P1' AND population LIKE '%/CD4/Treg' AND pct_of_parent IS NOT NULL")
        .join(spark.read().parquet(lake.resolve("samples").toString()), "sample_id")
        .join(spark.read().parquet(lake.resolve("patients").toString()), "patient_id");
  }

  static Element section(String id) {
    NodeList s = page.getElementsByTagName("section");
    for (int i = 0; i < s.getLength(); i++) {
      if (((Element) s.item(i)).getAttribute("id").equals(id)) {
        return (Element) s.item(i);
      }
    }
    throw new AssertionError("no section " + id);
  }

  static int count(Element e, String tag) {
    return e.getElementsByTagName(tag).getLength();
  }

  @Test
  void writesThePageUnderReportsOfTheRun() {
    assertTrue(result.path().endsWith("/_reports/report-it/index.html"), result.path());
    assertTrue(Files.exists(lake.resolve("_reports/report-before/index.html")));
    assertEquals(-1, before.cohortSummaryRows());
  }

  @Test
  void qcHasOneBarPerSampleInOnePlotPerPanel() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> samples = spark.read().parquet(lake.resolve("samples").toString());
    Element qc = section(ReportRenderer.QC);
    long panels = samples.select("panel").distinct().count();
    NodeList svgs = qc.getElementsByTagName("svg");
    assertEquals(panels, svgs.getLength());
    int bars = 0;
    for (int i = 0; i < svgs.getLength(); i++) {
      bars += count((Element) svgs.item(i), "rect");
    }
    assertEquals(samples.count(), bars);
    assertEquals(samples.count(), result.samples());
  }

  @Test
  void quarantineIsShownByReasonWithoutRawIdentifiers() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> q = spark.read().parquet(lake.resolve("quarantine").toString());
    assertEquals(q.count(), result.quarantined());
    String qc = section(ReportRenderer.QC).getTextContent();
    for (Row r : q.select("reason_code").distinct().collectAsList()) {
      assertTrue(qc.contains(r.getString(0)), r.getString(0));
    }
    // Raw patient ids, names and birth dates of dm.csv, and every stored source and message.
    List<String> forbidden = new ArrayList<>();
    List<String> dm = Files.readAllLines(SharedData.projectDir()
        .resolve("data-samples/clinical/dm.csv"));
    List<String> header = List.of(dm.get(0).split(","));
    for (String line : dm.subList(1, dm.size())) {
      String[] f = line.split(",", -1);
      for (String col : List.of("USUBJID", "BRTHDTC", "NAME")) {
        int i = header.indexOf(col);
        if (i >= 0 && i < f.length && f[i].length() > 3) {
          forbidden.add(f[i]);
        }
      }
    }
    for (Row r : q.select("source", "message", "value").collectAsList()) {
      for (int i = 0; i < 3; i++) {
        if (!r.isNullAt(i) && r.getString(i).length() > 3) {
          forbidden.add(r.getString(i));
        }
      }
    }
    assertTrue(forbidden.size() > 20, "forbidden " + forbidden.size());
    for (String s : forbidden) {
      assertFalse(html.contains(s) || html.contains(org.cytolake.report.Html.escape(s)),
          "the page shows '" + s + "'");
    }
  }

  @Test
  void tregHasOnePlotPerCohortAndOneDotPerGatedSample() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> treg = treg(spark);
    Element s = section(ReportRenderer.TREG);
    assertEquals(treg.select("cohort").distinct().count(), count(s, "svg"));
    assertEquals(treg.count(), count(s, "circle"));
    assertTrue(result.cohorts() > 1, "cohorts " + result.cohorts());
  }

  @Test
  void oneHeatmapPerClusteringWithACellPerMetaclusterAndMarker() throws Exception {
    SparkSession spark = SparkTestSession.get();
    List<Row> clusters = spark.read().parquet(lake.resolve("clusters").toString())
        .select("panel", "algorithm", "marker_medians").collectAsList();
    Map<String, Integer> cells = new LinkedHashMap<>();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (Row r : clusters) {
      cells.merge(r.getString(0) + "-" + r.getString(1), json.readTree(r.getString(2)).size(),
          Integer::sum);
    }
    Element s = section(ReportRenderer.HEATMAPS);
    NodeList figures = s.getElementsByTagName("figure");
    assertEquals(cells.size(), figures.getLength());
    for (int i = 0; i < figures.getLength(); i++) {
      Element fig = (Element) figures.item(i);
      String key = fig.getAttribute("data-plot").substring("heatmap-".length());
      assertEquals(cells.get(key) + 10, count(fig, "rect"), key + " cells + legend");
    }
  }

  @Test
  void cohortSummaryIsNotComputedBeforeAndEveryRowAfter() throws Exception {
    String beforeHtml = Files.readString(lake.resolve("_reports/report-before/index.html"));
    assertTrue(beforeHtml.contains("cohort_summary: not computed"));
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> cs = spark.read().parquet(lake.resolve("cohort_summary").toString());
    Element s = section(ReportRenderer.COHORT_SUMMARY);
    NodeList th = s.getElementsByTagName("th");
    String[] columns = new String[th.getLength()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = th.item(i).getTextContent();
    }
    assertArrayEquals(cs.columns(), columns);
    assertEquals(cs.count() + 1, count(s, "tr"), "a header row and one row per table row");
    assertEquals(cs.count(), result.cohortSummaryRows());
    assertTrue(section(ReportRenderer.SUMMARY).getTextContent().contains("population_rows"));
  }

  @Test
  void rendersInHeadlessChromiumWithEveryPlotAndNoConsoleErrors() throws Exception {
    Path chromium = HeadlessChromium.binaryOrSkip();
    Path report = lake.resolve("_reports/report-it/index.html");
    try (HeadlessChromium browser = new HeadlessChromium(chromium, dir)) {
      browser.open(report);
      JsonNode plots = browser.evaluate("Object.fromEntries(Array.from("
          + "document.querySelectorAll('section')).map(s => [s.id, {svgs: "
          + "s.querySelectorAll('svg').length, drawn: Array.from(s.querySelectorAll('svg'))"
          + ".filter(g => { const r = g.getBoundingClientRect(); return r.width > 50 && "
          + "r.height > 50 && g.querySelectorAll('rect,circle').length > 0; }).length}]))");
      for (String id : List.of(ReportRenderer.QC, ReportRenderer.TREG,
          ReportRenderer.HEATMAPS)) {
        int expected = count(section(id), "svg");
        assertTrue(expected > 0, id);
        assertEquals(expected, plots.path(id).path("svgs").asInt(), id + " " + plots);
        assertEquals(expected, plots.path(id).path("drawn").asInt(), id + " drawn " + plots);
      }
      assertEquals(List.of(), browser.errors(), "console errors, exceptions, failed loads");
      assertEquals(List.of(report.toUri().toString()), browser.requests(),
          "the page loads nothing but itself");
      Path png = SharedData.projectDir().resolve("jobs/target/report-screenshot.png");
      browser.screenshot(png);
      byte[] b = Files.readAllBytes(png);
      assertTrue(b.length > 10_000 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G',
          "PNG of " + b.length + " bytes");
    }
  }
}
