package org.cytolake.jobs;

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
import java.util.Set;
import java.util.TreeSet;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cytolake.generate.SeparableSamples;
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
 * {@link ReportJob} on a lake built from separable samples (ingest, gate, flowsom cluster, aggregate):
 * the page has one events plot per panel with one bar per sample, one plot of the primary
 * population per cohort with one dot per gated sample, titled from conf (and another population
 * when conf names another), one heatmap per clustering with a cell per metacluster and lineage
 * marker, the quarantine by reason without raw identifiers, and cohort_summary (the primary
 * population's rows in cohort and visit order and the smallest q values, not the whole table;
 * {@code NormaliseJobIT} checks the page of a lake without it). The page is built once (two
 * ReportJob builds in all: this page and the one of another primary population); the tests read
 * it. The same page written again with a degraded run's
 * summary opens with a banner of its status and warnings. Then headless Chromium opens that page:
 * the banner and every plot are laid out with a non-empty box, no console error, exception or
 * failed load, no request but the page's own ({@code HeadlessChromiumTest} shows such errors are
 * caught), and a full-page screenshot is saved to {@code target/report-screenshot.png}. The
 * browser part skips when no chromium is installed.
 */
class ReportIT {
  @TempDir static Path dir;
  static Path lake;
  static ReportJob.Result result;
  static ReportJob.Result degraded;
  static ReportJob.Result monocytes;
  static String html;
  static Document page;

  /** A nightly run's summary with another status than succeeded (as NightlyJob writes it). */
  static final String DEGRADED =
      """
      {"run_id": "report-it", "status": "degraded", "started_at": "2026-11-25T01:30:00Z",
       "finished_at": "2026-11-25T01:33:05Z", "failed_step": null, "message": null,
       "steps": [{"name": "ingest-fcs", "status": "ran", "seconds": 27.3, "detail": {}}],
       "counts": {"files_in": 102, "files_quarantined": 7},
       "warnings": ["pseudonyms use the development salt (set the salt environment variable for real patient data)",
                    "gating_qc: 614 LOW_COUNT", "quarantined share 6.9% exceeds 5%"]}
      """;

  @BeforeAll
  static void buildLakeAndReport() throws Exception {
    Path home = SharedData.projectDir();
    SparkSession spark = SparkTestSession.get();
    lake = dir.resolve("lake");
    Lakes.ingestAndGate(spark, SeparableSamples.dir(), lake, "report");
    ClusterJob.run(
        spark,
        new ClusterJob.Options(
            lake.toString(),
            home.resolve("conf"),
            home.resolve("schemas"),
            "flowsom",
            1000,
            1L,
            null,
            "report-cluster"));
    AggregateJob.run(
        spark,
        new AggregateJob.Options(
            lake.toString(), home.resolve("conf"), home.resolve("schemas"), "report-aggregate"));
    String gateSummary =
        Files.list(lake.resolve("_runs"))
            .map(p -> p.resolve("gate.json"))
            .filter(Files::exists)
            .findFirst()
            .orElseThrow()
            .toString();
    ReportJob.Page built = ReportJob.build(spark, options("report-it", gateSummary));
    result = ReportJob.write(spark, built);
    // The nightly run's path: the same page written again with the run's final summary.
    Path summary = dir.resolve("degraded.json");
    Files.writeString(summary, DEGRADED);
    degraded =
        ReportJob.write(
            spark,
            new ReportJob.Page(
                built.model(), lake.resolve("_reports/report-degraded/index.html").toString()),
            summary.toString());
    // Another primary population, by conf alone.
    Path conf = dir.resolve("conf-p3");
    try (var files = Files.walk(home.resolve("conf"))) {
      for (Path f : files.toList()) {
        Path to = conf.resolve(home.resolve("conf").relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    Files.writeString(
        conf.resolve("cytolake.yaml"),
        Files.readString(conf.resolve("cytolake.yaml"))
                .replace("report.primary-panel: P1", "report.primary-panel: P3")
                .replace(
                    "report.primary-population: CD4/Treg", "report.primary-population: monocytes")
            // this page is about the primary population: a small embedding keeps it quick
            + "\nreport.embedding-per-sample: 50\n");
    monocytes =
        ReportJob.run(
            spark,
            new ReportJob.Options(
                lake.toString(), conf, home.resolve("schemas"), "report-p3", null));
    html = Files.readString(lake.resolve("_reports/report-it/index.html"));
    page = parse(html);
  }

  static Document parse(String text) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    return f.newDocumentBuilder()
        .parse(
            new java.io.ByteArrayInputStream(
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  static ReportJob.Options options(String runId, String summary) {
    Path home = SharedData.projectDir();
    return new ReportJob.Options(
        lake.toString(), home.resolve("conf"), home.resolve("schemas"), runId, summary);
  }

  /** A population's % of parent rows, joined to visit and cohort independently of the job. */
  static Dataset<Row> population(SparkSession spark, String panel, String suffix) {
    return spark
        .read()
        .parquet(lake.resolve("populations").toString())
        .filter(
            "panel = '"
                + panel
                + "' AND population LIKE '%/"
                + suffix
                + "' AND pct_of_parent IS NOT NULL")
        .join(spark.read().parquet(lake.resolve("samples").toString()), "sample_id")
        .join(spark.read().parquet(lake.resolve("patients").toString()), "patient_id");
  }

  static Element section(String id) {
    return section(page, id);
  }

  static Element section(Document d, String id) {
    NodeList s = d.getElementsByTagName("section");
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
  }

  @Test
  void qcHasOneBarPerSampleInOnePlotPerPanelFlaggedOnlyWhenAWarningMayAffectTheData() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> samples = spark.read().parquet(lake.resolve("samples").toString());
    Element qc = section(ReportRenderer.QC);
    long panels = samples.select("panel").distinct().count();
    NodeList svgs = qc.getElementsByTagName("svg");
    assertEquals(panels, svgs.getLength());
    int bars = 0;
    int flagged = 0;
    for (int i = 0; i < svgs.getLength(); i++) {
      NodeList rects = ((Element) svgs.item(i)).getElementsByTagName("rect");
      bars += rects.getLength();
      for (int r = 0; r < rects.getLength(); r++) {
        flagged += ((Element) rects.item(r)).getAttribute("class").contains("flagged") ? 1 : 0;
      }
    }
    assertEquals(samples.count(), bars);
    assertEquals(samples.count(), result.samples());
    assertEquals(
        samples.where("qc_status <> 'ok'").count(),
        flagged,
        "flagged bars are the samples whose qc_status is not ok");
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
    List<String> dm = Files.readAllLines(SeparableSamples.dir().resolve("clinical/dm.csv"));
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
    // the gating QC plots and the cluster pictures are drawn from event bins, cluster tables and
    // conf labels only; their coordinates and embedded PNGs hold any run of digits, so a number is
    // looked for in the rest of the page
    String withoutGatePlots =
        html.replaceAll("(?s)<figure class=\"(gate-plot|cluster-picture)\".*?</figure>", "");
    for (String s : forbidden) {
      String shown = s.matches("[0-9.eE+-]+") ? withoutGatePlots : html;
      assertFalse(
          shown.contains(s) || shown.contains(org.cytolake.report.Html.escape(s)),
          "the page shows '" + s + "'");
    }
  }

  /**
   * Acquisition QC: the summary line counts sample_qc's checked and flagged samples (over
   * qc.warn-share, or QC failed) and their median % removed; per panel one chart with a dot per
   * dated sample and, where a sample is flagged, a table of exactly those samples.
   */
  @Test
  void acquisitionQcCountsTheCheckedAndFlaggedSamplesOfSampleQc() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> qc = spark.read().parquet(lake.resolve("sample_qc").toString());
    double warnShare =
        org.cytolake.config.CytolakeConfig.load(SharedData.projectDir().resolve("conf"))
            .settings()
            .getDouble(org.cytolake.config.Settings.QC_WARN_SHARE);
    Dataset<Row> checked = qc.where("status NOT IN ('DISABLED', 'FAILED')");
    Dataset<Row> flagged = qc.where("flagged_share > " + warnShare + " OR status = 'FAILED'");
    assertTrue(checked.count() > 0, "separable samples are checked");
    assertEquals(spark.read().parquet(lake.resolve("samples").toString()).count(), qc.count());
    double[] pct =
        checked.select("flagged_share").collectAsList().stream()
            .mapToDouble(r -> 100 * r.getDouble(0))
            .toArray();
    String median =
        String.format(
            java.util.Locale.ROOT,
            "%.2f",
            org.cytolake.stats.Quantiles.median(
                pct, org.cytolake.stats.Quantiles.NaNs.ORDERED_LAST));
    Element s = section(ReportRenderer.ACQUISITION_QC);
    String text = s.getTextContent();
    assertTrue(
        text.contains(
            checked.count()
                + " samples checked, "
                + flagged.count()
                + " flagged (over qc.warn-share "
                + org.cytolake.report.Html.number(100 * warnShare)
                + "% or QC failed), median "
                + median
                + "% of events removed."),
        text);
    List<String> panels =
        qc.select("panel").distinct().orderBy("panel").collectAsList().stream()
            .map(r -> r.getString(0))
            .toList();
    NodeList figures = s.getElementsByTagName("figure");
    assertEquals(panels.size(), figures.getLength(), "a chart per panel");
    Dataset<Row> dated =
        qc.join(
                spark
                    .read()
                    .parquet(lake.resolve("samples").toString())
                    .select("sample_id", "acquisition_date"),
                "sample_id")
            .where("acquisition_date IS NOT NULL");
    NodeList tables = s.getElementsByTagName("table");
    int table = 0;
    for (int i = 0; i < panels.size(); i++) {
      String panel = panels.get(i);
      Element fig = (Element) figures.item(i);
      assertEquals("acquisition-qc-" + panel, fig.getAttribute("data-plot"));
      assertEquals(dated.where("panel = '" + panel + "'").count(), count(fig, "circle"), panel);
      Set<String> want =
          new TreeSet<>(
              flagged.where("panel = '" + panel + "'").select("sample_id").collectAsList().stream()
                  .map(r -> r.getString(0))
                  .toList());
      if (want.isEmpty()) {
        assertTrue(text.contains("No sample of panel " + panel + " flagged."), panel);
      } else {
        Set<String> shown = new TreeSet<>();
        rows((Element) tables.item(table++)).forEach(r -> shown.add(r.get(0)));
        assertEquals(want, shown, panel + " flagged samples");
      }
    }
    assertEquals(table, tables.getLength(), "a table per panel with a flagged sample");
  }

  @Test
  void thePrimaryPopulationHasOnePlotPerCohortAndOneDotPerGatedSampleTitledFromConf()
      throws Exception {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> treg = population(spark, "P1", "CD4/Treg");
    Element s = section(ReportRenderer.PRIMARY);
    assertEquals("Treg % of CD4 by cohort", s.getElementsByTagName("h2").item(0).getTextContent());
    assertEquals(treg.select("cohort").distinct().count(), count(s, "svg"));
    assertEquals(treg.count(), count(s, "circle"));
    assertTrue(result.cohorts() > 1, "cohorts " + result.cohorts());

    // conf naming P3's monocytes: the page plots them and says so, nothing of Tregs.
    Dataset<Row> mono = population(spark, "P3", "leukocytes/monocytes");
    Document p3 = parse(Files.readString(lake.resolve("_reports/report-p3/index.html")));
    Element m = section(p3, ReportRenderer.PRIMARY);
    assertEquals(
        "monocytes % of leukocytes by cohort",
        m.getElementsByTagName("h2").item(0).getTextContent());
    assertEquals(mono.count(), count(m, "circle"));
    assertEquals(mono.select("cohort").distinct().count(), monocytes.cohorts());
    assertTrue(m.getTextContent().contains("% of leukocytes"), "axis");
    String text = p3.getDocumentElement().getTextContent();
    assertFalse(text.contains("Treg % of CD4") || text.contains("% of CD4"), "no Treg title");
    assertTrue(
        section(p3, ReportRenderer.COHORT_SUMMARY)
            .getTextContent()
            .contains("monocytes % of leukocytes by cohort and visit"));
  }

  /**
   * The effect plots of separable samples' differential table: volcano plots of the pooled rows (the
   * primary endpoint, tested there by visit + cohort, one red labelled dot) and one trajectory
   * plot per cohort with the primary feature. (Before aggregation the section says so: {@code
   * NormaliseJobIT}'s report, of a lake never aggregated.)
   */
  @Test
  void effectPlotsShowTheDifferentialTableAndThePrimaryFeaturePerPatient() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Element e = section(ReportRenderer.EFFECTS);
    NodeList svgs = e.getElementsByTagName("svg");
    long cohorts =
        spark
            .read()
            .parquet(lake.resolve("immunophenotype").toString())
            .filter("panel = 'P1' AND feature = 'Treg' AND statistic = 'pct_of_parent'")
            .select("cohort")
            .distinct()
            .count();
    int volcanoes = 0;
    int trajectories = 0;
    int primaryDots = 0;
    for (int i = 0; i < svgs.getLength(); i++) {
      Element svg = (Element) svgs.item(i);
      String label = svg.getAttribute("aria-label");
      if (svg.getAttribute("class").contains("volcano")) {
        volcanoes++;
        assertTrue(label.contains("vs D1, cohorts pooled (ALL)"), label);
        NodeList circles = svg.getElementsByTagName("circle");
        for (int k = 0; k < circles.getLength(); k++) {
          primaryDots +=
              ((Element) circles.item(k)).getAttribute("class").equals("dot primary") ? 1 : 0;
        }
      } else {
        trajectories++;
        assertTrue(label.startsWith("Treg % of CD4 per patient by visit, cohort "), label);
      }
    }
    assertTrue(volcanoes >= 2, "D8 and M6 at least: " + volcanoes);
    assertEquals(1, primaryDots, "the primary endpoint, once");
    assertEquals(cohorts, trajectories);
    assertTrue(cohorts > 1);
    String text = e.getTextContent();
    assertTrue(text.contains("odds ratio, D8 vs D1 (log scale)"), "x axis");
    assertTrue(text.contains("P1 Treg pct_of_parent (primary)"), "the primary labelled");
    assertTrue(text.contains("Treg % of CD4 (P1, percent)"), "trajectory axis");
  }

  @Test
  void gatingQcDrawsEveryPanelsGatesPooledAndPerFlaggedSampleWithATableOfOutliers()
      throws Exception {
    Element q = section(ReportRenderer.GATING_QC);
    NodeList figures = q.getElementsByTagName("figure");
    assertTrue(figures.getLength() > 0, "gating QC plots");
    Set<String> panels = new TreeSet<>();
    int perSample = 0;
    for (int i = 0; i < figures.getLength(); i++) {
      Element f = (Element) figures.item(i);
      Element svg = (Element) f.getElementsByTagName("svg").item(0);
      String label = svg.getAttribute("aria-label");
      assertTrue(label.contains(" gate "), label);
      panels.add(label.substring(0, label.indexOf(' ')));
      perSample += label.endsWith(", all samples") ? 0 : 1;
      // title, and axis labels naming marker, column and transform
      String text = svg.getTextContent();
      assertTrue(text.contains(" gate ") && text.contains("parent"), label + ": " + text);
      assertTrue(
          text.contains("asinh") || text.contains("linear") || text.contains("events per bin"),
          label + ": " + text);
    }
    assertEquals(Set.of("P1", "P2", "P3"), panels);
    NodeList tables = q.getElementsByTagName("table");
    assertEquals(3, tables.getLength());
    List<List<String>> rows = rows((Element) tables.item(0));
    assertTrue(rows.size() > 1, "one row per sample of P1");
    assertTrue(html.contains("data-plot=\"gate-P1-CD4-all samples\""), "P1 CD4 pooled");
    boolean marked =
        html.contains("class=\"num outlier\"") || html.contains("class=\"num flagged\"");
    assertEquals(marked, perSample > 0, "flagged samples drawn when any is marked");
  }

  @Test
  void oneHeatmapPerClusteringWithACellPerMetaclusterAndLineageMarker() throws Exception {
    SparkSession spark = SparkTestSession.get();
    org.cytolake.config.CytolakeConfig conf =
        org.cytolake.config.CytolakeConfig.load(SharedData.projectDir().resolve("conf"));
    Map<String, Integer> cells = new LinkedHashMap<>();
    Map<String, List<String>> lineage = new LinkedHashMap<>();
    for (Row r :
        spark
            .read()
            .parquet(lake.resolve("clusters").toString())
            .select("panel", "algorithm")
            .collectAsList()) {
      List<String> markers =
          conf.panel(r.getString(0)).channels().stream()
              .filter(org.cytolake.config.ChannelConfig::lineage)
              .map(org.cytolake.config.ChannelConfig::marker)
              .toList();
      lineage.put(r.getString(0) + "-" + r.getString(1), markers);
      cells.merge(r.getString(0) + "-" + r.getString(1), markers.size(), Integer::sum);
    }
    Element s = section(ReportRenderer.HEATMAPS);
    NodeList figures = s.getElementsByTagName("figure");
    assertEquals(cells.size(), figures.getLength());
    for (int i = 0; i < figures.getLength(); i++) {
      Element fig = (Element) figures.item(i);
      String key = fig.getAttribute("data-plot").substring("heatmap-".length());
      assertEquals(cells.get(key) + 10, count(fig, "rect"), key + " cells + legend");
      // The column labels are the lineage markers, in panel order: no scatter, Time or viability.
      NodeList texts = fig.getElementsByTagName("text");
      List<String> columns = new ArrayList<>();
      for (int t = 0; t < texts.getLength(); t++) {
        Element e = (Element) texts.item(t);
        if (e.getAttribute("transform").startsWith("rotate(-60")) {
          columns.add(e.getTextContent());
        }
      }
      assertEquals(lineage.get(key), columns, key);
      assertFalse(columns.contains("time") || columns.contains("fsc_a"), key);
    }
  }

  /** The texts of an SVG element, in document order. */
  static List<String> texts(Element svg) {
    List<String> out = new ArrayList<>();
    NodeList t = svg.getElementsByTagName("text");
    for (int i = 0; i < t.getLength(); i++) {
      out.add(t.item(i).getTextContent());
    }
    return out;
  }

  @Test
  void clusterPicturesShowFourTitledPicturesPerFlowsomPanel() throws Exception {
    SparkSession spark = SparkTestSession.get();
    List<String> panels =
        spark
            .read()
            .parquet(lake.resolve("clusters").toString())
            .where("algorithm = 'flowsom'")
            .select("panel")
            .distinct()
            .orderBy("panel")
            .collectAsList()
            .stream()
            .map(r -> r.getString(0))
            .toList();
    assertEquals(List.of("P1", "P2", "P3"), panels);
    Element s = section(ReportRenderer.CLUSTER_PICTURES);
    NodeList figures = s.getElementsByTagName("figure");
    assertEquals(4 * panels.size(), figures.getLength());
    Map<String, List<String>> words =
        Map.of(
            "heatmap",
                List.of(
                    "metacluster × lineage marker medians",
                    "lineage marker (median, asinh:cofactor=150)",
                    "metacluster, phenotype label (events)"),
            "mst", List.of("minimal spanning tree of the SOM nodes", "tree layout x", "100 nodes"),
            "embedding",
                List.of(
                    "UMAP of the lineage markers, by visit",
                    "UMAP 1 · visit D1",
                    "UMAP 2",
                    "at most "
                        + org.cytolake.config.Settings.REPORT_EMBEDDING_PER_SAMPLE.defaultValue()
                        + " per sample (seed 1)"),
            "abundance",
                List.of(
                    "abundance per metacluster and visit",
                    "% of the sample's events in the metacluster (pct_of_sample)",
                    "visit D1"));
    for (int i = 0; i < figures.getLength(); i++) {
      Element fig = (Element) figures.item(i);
      String plot = fig.getAttribute("data-plot");
      String kind = plot.substring("cluster-".length(), plot.lastIndexOf('-'));
      String panel = plot.substring(plot.lastIndexOf('-') + 1);
      assertEquals(List.of("heatmap", "mst", "embedding", "abundance").get(i % 4), kind, plot);
      assertEquals(panels.get(i / 4), panel, plot);
      assertEquals(1, count(fig, "svg"), plot);
      List<String> shown = texts((Element) fig.getElementsByTagName("svg").item(0));
      assertTrue(shown.get(0).startsWith(panel + " ("), plot + " title " + shown.get(0));
      assertTrue(
          shown.stream().anyMatch(t -> t.contains("population: all clustered events of " + panel)),
          plot + " " + shown);
      for (String w : words.get(kind)) {
        assertTrue(
            shown.stream().anyMatch(t -> t.contains(w)), plot + " shows '" + w + "': " + shown);
      }
    }
    // the heatmap's metacluster rows carry the labels of the phenotype rules
    List<String> labels =
        spark
            .read()
            .parquet(lake.resolve("clusters").toString())
            .where("algorithm = 'flowsom' AND panel = 'P1'")
            .orderBy("metacluster")
            .collectAsList()
            .stream()
            .map(
                r ->
                    r.getInt(r.fieldIndex("metacluster"))
                        + " "
                        + r.getString(r.fieldIndex("label")))
            .toList();
    List<String> heatmapTexts =
        texts((Element) ((Element) figures.item(0)).getElementsByTagName("svg").item(0));
    for (String l : labels) {
      assertTrue(
          heatmapTexts.stream().anyMatch(t -> t.startsWith(l + " (")), l + " in " + heatmapTexts);
    }
  }

  @Test
  void theSparkSubsampleKeepsThePureCoresEventsAtMostNPerSample() {
    SparkSession spark = SparkTestSession.get();
    org.cytolake.plot.clusters.StratifiedSubsample sub =
        new org.cytolake.plot.clusters.StratifiedSubsample(500, 3);
    org.cytolake.lake.Lake l =
        org.cytolake.lake.Lake.of(
            lake.toString(),
            SharedData.projectDir().resolve("schemas"),
            org.cytolake.config.Settings.defaults());
    List<Row> chosen =
        ClusterEmbeddingFrames.subsample(spark, l, "P1", "flowsom", sub)
            .select("sample_id", "event_index")
            .collectAsList();
    Map<String, List<Long>> bySample = new java.util.TreeMap<>();
    chosen.forEach(
        r -> bySample.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r.getLong(1)));
    Map<String, List<Long>> all = new java.util.TreeMap<>();
    spark
        .read()
        .parquet(lake.resolve("cluster_events").toString())
        .where("panel = 'P1' AND algorithm = 'flowsom'")
        .select("sample_id", "event_index")
        .collectAsList()
        .forEach(
            r -> all.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r.getLong(1)));
    assertEquals(all.keySet(), bySample.keySet(), "every sample");
    boolean someCut = false;
    for (Map.Entry<String, List<Long>> e : all.entrySet()) {
      long[] expected =
          sub.choose(e.getKey(), e.getValue().stream().mapToLong(Long::longValue).toArray());
      long[] got = bySample.get(e.getKey()).stream().mapToLong(Long::longValue).sorted().toArray();
      assertTrue(got.length <= 500, e.getKey() + ": " + got.length);
      org.junit.jupiter.api.Assertions.assertArrayEquals(expected, got, e.getKey());
      someCut |= e.getValue().size() > 500;
    }
    assertTrue(someCut, "some sample has more than 500 events");
  }

  @Test
  void plotClustersDrawsEveryKindFromTheClusteredLake() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Path home = SharedData.projectDir();
    long nodes =
        spark
            .read()
            .parquet(lake.resolve("cluster_model").toString())
            .where("panel = 'P1' AND algorithm = 'flowsom'")
            .count();
    long metaclusters =
        spark
            .read()
            .parquet(lake.resolve("clusters").toString())
            .where("panel = 'P1' AND algorithm = 'flowsom'")
            .count();
    long samples =
        spark
            .read()
            .parquet(lake.resolve("cluster_abundance").toString())
            .where("panel = 'P1' AND algorithm = 'flowsom'")
            .select("sample_id")
            .distinct()
            .count();
    Map<org.cytolake.plot.clusters.PictureKind, Long> items = new LinkedHashMap<>();
    for (org.cytolake.plot.clusters.PictureKind kind :
        org.cytolake.plot.clusters.PictureKind.values()) {
      // PNG and SVG in turn (ClusterChartsTest draws each kind as both without Spark)
      for (String ext : List.of(kind.ordinal() % 2 == 0 ? "png" : "svg")) {
        Path out = dir.resolve("clusters-" + kind.code() + "." + ext);
        ClusterPlotJob.Result r =
            ClusterPlotJob.run(
                spark,
                new ClusterPlotJob.Options(
                    lake.toString(),
                    home.resolve("conf"),
                    home.resolve("schemas"),
                    "P1",
                    "flowsom",
                    kind,
                    200,
                    1,
                    out,
                    0,
                    0));
        items.put(kind, r.items());
        assertTrue(Files.size(out) > 2_000, out + ": " + Files.size(out) + " bytes");
        if (ext.equals("png")) {
          java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(out.toFile());
          assertTrue(img.getWidth() >= 640 && img.getHeight() >= 400, out.toString());
        } else {
          Element svg = parse(Files.readString(out)).getDocumentElement();
          List<String> shown = texts(svg);
          assertTrue(
              shown.get(0).startsWith("P1 (") && shown.get(0).contains("flowsom"), shown.get(0));
        }
      }
    }
    assertEquals(metaclusters, items.get(org.cytolake.plot.clusters.PictureKind.HEATMAP));
    assertEquals(nodes, items.get(org.cytolake.plot.clusters.PictureKind.MST));
    assertEquals(metaclusters, items.get(org.cytolake.plot.clusters.PictureKind.ABUNDANCE));
    long embedded = items.get(org.cytolake.plot.clusters.PictureKind.EMBEDDING);
    assertTrue(
        embedded > 100 * samples && embedded <= 200 * samples,
        embedded + " events of " + samples + " samples");
    // the command line: its own defaults (1,000 per sample) and an unknown kind
    java.io.StringWriter printed = new java.io.StringWriter();
    picocli.CommandLine cli = org.cytolake.cli.CytolakeCli.commandLine();
    cli.setOut(new java.io.PrintWriter(printed));
    Path heat = dir.resolve("cli-heatmap.svg");
    String before = System.getProperty("cytolake.home");
    System.setProperty(
        "cytolake.home", home.toString()); // its conf/ and schemas/, as bin/cytolake sets it
    try {
      assertEquals(
          0,
          cli.execute(
              "plot-clusters",
              "--lake",
              lake.toString(),
              "--panel",
              "P1",
              "--kind",
              "heatmap",
              "--out",
              heat.toString()),
          printed.toString());
    } finally {
      if (before == null) {
        System.clearProperty("cytolake.home");
      } else {
        System.setProperty("cytolake.home", before);
      }
    }
    assertTrue(
        printed
            .toString()
            .contains("plot-clusters P1 flowsom heatmap: " + metaclusters + " metaclusters drawn"),
        printed.toString());
    assertTrue(Files.size(heat) > 2_000);
    picocli.CommandLine bad = org.cytolake.cli.CytolakeCli.commandLine();
    java.io.StringWriter err = new java.io.StringWriter();
    bad.setErr(new java.io.PrintWriter(err));
    assertTrue(
        bad.execute(
                "plot-clusters",
                "--lake",
                lake.toString(),
                "--panel",
                "P1",
                "--kind",
                "tsne",
                "--out",
                heat.toString())
            != 0);
    assertTrue(
        err.toString().contains("--kind must be one of heatmap|mst|embedding|abundance"),
        err.toString());
  }

  @Test
  void cohortSummaryHasOrderedTables() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> cs = spark.read().parquet(lake.resolve("cohort_summary").toString());
    assertEquals(cs.count(), result.cohortSummaryRows());
    Element s = section(ReportRenderer.COHORT_SUMMARY);
    assertTrue(
        s.getTextContent().contains("cohort_summary has " + cs.count() + " rows"),
        s.getTextContent());
    NodeList tables = s.getElementsByTagName("table");
    assertEquals(2, tables.getLength());
    // 1. Treg % of CD4: every cohort x visit row of the feature, cohorts by code with the pooled
    //    cohort last, visits in conf/visits.yaml order.
    List<String> visitOrder =
        org.cytolake.config.CytolakeConfig.load(SharedData.projectDir().resolve("conf"))
            .visits()
            .codes();
    List<Row> expected =
        cs.where("panel = 'P1' AND feature = 'Treg' " + "AND statistic = 'pct_of_parent'")
            .select("cohort", "visit")
            .collectAsList();
    List<String> want =
        new ArrayList<>(expected.stream().map(r -> r.getString(0) + " " + r.getString(1)).toList());
    want.sort(
        java.util.Comparator.comparing((String x) -> x.startsWith("ALL "))
            .thenComparing(x -> x.split(" ")[0])
            .thenComparing(x -> visitOrder.indexOf(x.split(" ")[1])));
    List<String> shown =
        rows((Element) tables.item(0)).stream().map(r -> r.get(0) + " " + r.get(1)).toList();
    assertTrue(want.size() > 10, "rows " + want);
    assertEquals(want, shown);
    // 2. the smallest q values of the pooled cohort, in q order.
    List<List<String>> top = rows((Element) tables.item(1));
    assertEquals(
        Math.min(25, cs.where("cohort = 'ALL' AND q_value IS NOT NULL").count()), top.size());
    double previous = 0;
    for (List<String> r : top) {
      assertEquals("ALL", r.get(3));
      double q = Double.parseDouble(r.get(9));
      assertTrue(q >= previous, "q order: " + top);
      previous = q;
    }
    assertTrue(count(s, "tr") < cs.count() / 4, "not the whole table");
    assertTrue(section(ReportRenderer.SUMMARY).getTextContent().contains("population_rows"));
  }

  static List<List<String>> rows(Element table) {
    List<List<String>> out = new ArrayList<>();
    NodeList tr =
        ((Element) table.getElementsByTagName("tbody").item(0)).getElementsByTagName("tr");
    for (int i = 0; i < tr.getLength(); i++) {
      NodeList td = ((Element) tr.item(i)).getElementsByTagName("td");
      List<String> cells = new ArrayList<>();
      for (int c = 0; c < td.getLength(); c++) {
        cells.add(td.item(c).getTextContent());
      }
      out.add(cells);
    }
    return out;
  }

  @Test
  void aDegradedRunOpensWithABannerOfItsStatusAndWarnings() throws Exception {
    assertEquals(result.path().replace("report-it", "report-degraded"), degraded.path());
    assertTrue(
        page.getElementById(ReportRenderer.BANNER) == null
            && !html.contains("id=\"" + ReportRenderer.BANNER + "\""),
        "gate.json has no status");
    Document d = parse(Files.readString(lake.resolve("_reports/report-degraded/index.html")));
    Element body = (Element) d.getElementsByTagName("body").item(0);
    Element first = null;
    for (org.w3c.dom.Node n = body.getFirstChild();
        n != null && first == null;
        n = n.getNextSibling()) {
      first = n instanceof Element e ? e : null;
    }
    assertEquals(ReportRenderer.BANNER, first.getAttribute("id"));
    assertEquals("Run degraded", first.getElementsByTagName("h2").item(0).getTextContent());
    NodeList li = first.getElementsByTagName("li");
    assertEquals(3, li.getLength());
    assertEquals("quarantined share 6.9% exceeds 5%", li.item(2).getTextContent());
    assertTrue(section(d, ReportRenderer.SUMMARY).getTextContent().contains("Status: degraded"));
    // The rest of the page is the lake's, as in the page written first.
    assertEquals(
        count(section(ReportRenderer.QC), "rect"), count(section(d, ReportRenderer.QC), "rect"));
  }

  @Test
  void rendersInHeadlessChromiumWithEveryPlotAndNoConsoleErrors() throws Exception {
    Path chromium = HeadlessChromium.binaryOrSkip();
    Path report = lake.resolve("_reports/report-degraded/index.html");
    Document shown = parse(Files.readString(report));
    try (HeadlessChromium browser = new HeadlessChromium(chromium, dir)) {
      browser.open(report);
      JsonNode plots =
          browser.evaluate(
              "Object.fromEntries(Array.from("
                  + "document.querySelectorAll('section')).map(s => [s.id, {svgs: "
                  + "s.querySelectorAll('svg').length, drawn: Array.from(s.querySelectorAll('svg'))"
                  + ".filter(g => { const r = g.getBoundingClientRect(); return r.width > 50 && "
                  + "r.height > 50 && g.querySelectorAll('rect,circle').length > 0; }).length}]))");
      JsonNode banner =
          browser.evaluate(
              "(() => { const r = document.getElementById('"
                  + ReportRenderer.BANNER
                  + "').getBoundingClientRect(); return {top: r.top, "
                  + "width: r.width, height: r.height}; })()");
      assertTrue(
          banner.path("top").asDouble() < 40
              && banner.path("width").asDouble() > 300
              && banner.path("height").asDouble() > 40,
          "banner at the top: " + banner);
      for (String id :
          List.of(
              ReportRenderer.QC,
              ReportRenderer.PRIMARY,
              ReportRenderer.GATING_QC,
              ReportRenderer.HEATMAPS,
              ReportRenderer.CLUSTER_PICTURES)) {
        int expected = count(section(shown, id), "svg");
        assertTrue(expected > 0, id);
        assertEquals(expected, plots.path(id).path("svgs").asInt(), id + " " + plots);
        assertEquals(expected, plots.path(id).path("drawn").asInt(), id + " drawn " + plots);
      }
      JsonNode unsized =
          browser.evaluate(
              "Array.from(document.querySelectorAll('img, svg')).filter(e => { const r ="
                  + " e.getBoundingClientRect(); return r.width <= 0 || r.height <= 0 ||"
                  + " (e.tagName === 'IMG' && !(e.complete && e.naturalWidth > 0)); })"
                  + ".map(e => e.getAttribute('aria-label') || e.tagName)");
      assertEquals(0, unsized.size(), "images not loaded or of zero size: " + unsized);
      assertEquals(List.of(), browser.errors(), "console errors, exceptions, failed loads");
      // data: URIs are the plots' embedded PNGs, part of the page
      assertEquals(
          List.of(report.toUri().toString()),
          browser.requests().stream().filter(u -> !u.startsWith("data:")).toList(),
          "the page loads nothing but itself");
      Path png = SharedData.projectDir().resolve("jobs/target/report-screenshot.png");
      browser.screenshot(png);
      byte[] b = Files.readAllBytes(png);
      assertTrue(
          b.length > 10_000 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G',
          "PNG of " + b.length + " bytes");
    }
  }
}
