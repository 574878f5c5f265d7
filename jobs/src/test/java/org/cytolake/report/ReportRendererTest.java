package org.cytolake.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.cytometry.transform.TransformSpec;
import org.cytolake.gating.CompactGatingReader;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.report.ReportModel.CohortSeries;
import org.cytolake.report.ReportModel.DataTable;
import org.cytolake.report.ReportModel.Heatmap;
import org.cytolake.report.ReportModel.HeatmapRow;
import org.cytolake.report.ReportModel.Point;
import org.cytolake.report.ReportModel.PrimaryPlot;
import org.cytolake.report.ReportModel.SampleEvents;
import org.cytolake.tables.Pseudonymizer;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** {@link ReportRenderer} without Spark: escaping, sections, well-formed SVG, no external URL. */
class ReportRendererTest {
  static final String EVIL = "<script>alert('x')</script> & \"q\"";
  static final Pseudonymizer KEYS = Pseudonymizer.withSalt("test-salt");

  /** The reference trial's primary population, resolved from the shipped conf/gating/P1.yaml. */
  static PrimaryPopulation treg() throws Exception {
    return PrimaryPopulation.resolve(
        "P1",
        "CD4/Treg",
        CompactGatingReader.read(SharedData.projectDir().resolve("conf/gating/P1.yaml")),
        "conf/gating/P1.yaml");
  }

  static ReportModel model(ReportModel.CohortSummary cohortSummary, RunSummary summary)
      throws Exception {
    return model(cohortSummary, summary, treg());
  }

  static ReportModel model(
      ReportModel.CohortSummary cohortSummary, RunSummary summary, PrimaryPopulation primary) {
    List<SampleEvents> samples = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      samples.add(
          new SampleEvents(
              "S-" + i,
              "P1",
              i < 4 ? "D1" : "D8",
              1000 + 250L * i,
              i == 3 ? List.of("TOT_MISMATCH") : List.of()));
    }
    samples.add(new SampleEvents("S-" + EVIL, "P2", "D1", 800, List.of()));
    List<QuarantineEntry> quarantine =
        List.of(
            QuarantineEntry.sanitise(
                "ingest-fcs",
                "TRUNCATED_DATA",
                "fcs/TRANSREG-RA-01_D1_P1.fcs",
                "byte 5912",
                "$TOT",
                3000L,
                KEYS),
            QuarantineEntry.sanitise(
                "ingest-clinical",
                "NEGATIVE_AGE",
                "clinical/dm.csv",
                "line 7",
                "BRTHDTC",
                null,
                KEYS));
    List<CohortSeries> series =
        List.of(
            new CohortSeries(
                "RA",
                List.of(
                    new Point("D1", 5.0),
                    new Point("D1", 6.0),
                    new Point("D8", 11.5),
                    new Point("D8", 12.5),
                    new Point("D8", 13.0))),
            new CohortSeries(EVIL, List.of(new Point("D1", 4.0), new Point("D8", 9.0))));
    List<Heatmap> maps =
        List.of(
            new Heatmap(
                "P3",
                "flowsom",
                List.of("cd19", "cd56", EVIL),
                List.of(
                    new HeatmapRow(1, "B", 120, List.of(4.1, 0.2, 1.0)),
                    new HeatmapRow(2, EVIL, 80, List.of(0.3, 3.9, Double.NaN)))));
    return ReportModel.builder()
        .runId("run-<1>")
        .generatedAt(Instant.parse("2026-11-25T12:00:00Z"))
        .lake("/lake & co")
        .summary(summary)
        .samples(samples)
        .quarantine(quarantine)
        .primary(new PrimaryPlot(primary, List.of("D1", "D8"), series))
        .heatmaps(maps)
        .cohortSummary(cohortSummary)
        .build();
  }

  static ReportModel.CohortSummary oneTable(DataTable t) {
    return new ReportModel.CohortSummary(
        t.totalRows(), 1, List.of(new ReportModel.TitledTable("a table", null, t)));
  }

  static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    DocumentBuilder b = f.newDocumentBuilder();
    b.setErrorHandler(null);
    return b.parse(new InputSource(new StringReader(xml)));
  }

  static Element section(Document d, String id) {
    NodeList sections = d.getElementsByTagName("section");
    for (int i = 0; i < sections.getLength(); i++) {
      Element e = (Element) sections.item(i);
      if (e.getAttribute("id").equals(id)) {
        return e;
      }
    }
    return null;
  }

  @Test
  void everySectionIsPresentWithOnePlotPerPanelCohortAndHeatmap() throws Exception {
    String html = ReportRenderer.render(model(null, null));
    Document d = parse(html);
    assertEquals(
        2,
        section(d, ReportRenderer.QC).getElementsByTagName("svg").getLength(),
        "one events plot per panel");
    Element treg = section(d, ReportRenderer.PRIMARY);
    assertTrue(treg.getTextContent().startsWith("Treg % of CD4 by cohort"), "title from conf");
    assertEquals(2, treg.getElementsByTagName("svg").getLength(), "one plot per cohort");
    assertEquals(7, treg.getElementsByTagName("circle").getLength(), "one dot per sample");
    Element heat = section(d, ReportRenderer.HEATMAPS);
    assertEquals(1, heat.getElementsByTagName("svg").getLength());
    // 2 metaclusters x 3 markers, plus the 10 legend swatches.
    assertEquals(6 + 10, heat.getElementsByTagName("rect").getLength());
    assertTrue(section(d, ReportRenderer.COHORT_SUMMARY).getTextContent().contains("not computed"));
    assertNull(section(d, ReportRenderer.SUMMARY), "no summary given, no summary section");
    // The events plot has one bar per sample: 7 in P1.
    Element p1 = (Element) section(d, ReportRenderer.QC).getElementsByTagName("svg").item(0);
    assertEquals(7, p1.getElementsByTagName("rect").getLength());
  }

  @Test
  void everyValueIsEscapedAndReadsBackIntact() throws Exception {
    String html =
        ReportRenderer.render(
            model(
                oneTable(
                    new DataTable(
                        List.of("cohort", EVIL),
                        List.of(Arrays.asList(EVIL, "1.5"), Arrays.asList("RA", null)),
                        2)),
                null));
    assertFalse(html.contains("<script"), "no raw script tag");
    Document d = parse(html);
    String text = d.getDocumentElement().getTextContent();
    assertTrue(text.contains("S-" + EVIL), "sample id (tooltip) intact");
    assertTrue(section(d, ReportRenderer.PRIMARY).getTextContent().contains(EVIL), "cohort");
    assertTrue(section(d, ReportRenderer.HEATMAPS).getTextContent().contains(EVIL), "marker");
    Element table = section(d, ReportRenderer.COHORT_SUMMARY);
    assertEquals(EVIL, table.getElementsByTagName("th").item(1).getTextContent());
    assertEquals(EVIL, table.getElementsByTagName("td").item(0).getTextContent());
    assertTrue(d.getElementsByTagName("title").item(0).getTextContent().contains("run-<1>"));
    // Attribute values too: data-plot of the cohort with quotes in its name.
    assertTrue(html.contains("data-plot=\"primary-&lt;script&gt;alert(&#39;x&#39;)"));
  }

  @Test
  void everySvgIsWellFormedOnItsOwn() throws Exception {
    String html = ReportRenderer.render(model(null, null));
    Matcher m = Pattern.compile("(?s)<svg\\b.*?</svg>").matcher(html);
    int n = 0;
    while (m.find()) {
      Document svg = parse(m.group());
      assertEquals("svg", svg.getDocumentElement().getTagName());
      assertFalse(svg.getDocumentElement().getAttribute("viewBox").isEmpty());
      n++;
    }
    assertEquals(2 + 2 + 1, n);
  }

  @Test
  void nothingPointsOutsideThePage() throws Exception {
    String html =
        ReportRenderer.render(
            model(
                null,
                RunSummaryJson.parse(
                    "{\"run_id\":\"r1\",\"steps\":[{\"step\":\"gate\",\"seconds\":12.5}]}",
                    "test")));
    assertFalse(html.contains("http:") || html.contains("https:") || html.contains("//"), "no URL");
    assertFalse(html.contains(" src="), "no external resource");
    assertFalse(html.contains("url(") || html.contains("@import"), "no CSS resource");
    Matcher href = Pattern.compile("href=\"([^\"]*)\"").matcher(html);
    while (href.find()) {
      assertTrue(href.group(1).startsWith("#"), "in-page link only: " + href.group(1));
    }
  }

  @Test
  void quarantineShowsNeitherPathsNorMessagesOnlyReasonsAndKeyedReferences() throws Exception {
    String html = ReportRenderer.render(model(null, null));
    assertFalse(html.contains("TRANSREG-RA-01"), "raw patient id from a file name");
    assertFalse(html.contains("clinical/dm.csv"), "raw path");
    Element qc = section(parse(html), ReportRenderer.QC);
    String text = qc.getTextContent();
    for (String s :
        List.of(
            "TRUNCATED_DATA",
            "NEGATIVE_AGE",
            "FCS file",
            "clinical dm.csv",
            "byte 5912",
            "line 7",
            "BRTHDTC")) {
      assertTrue(text.contains(s), s);
    }
    QuarantineEntry a =
        QuarantineEntry.sanitise("ingest-fcs", "X", "fcs/A_D1_P1.fcs", "file", null, null, KEYS);
    QuarantineEntry again =
        QuarantineEntry.sanitise("ingest-fcs", "Y", "fcs/A_D1_P1.fcs", "byte 9", null, null, KEYS);
    QuarantineEntry b =
        QuarantineEntry.sanitise("ingest-fcs", "X", "fcs/B_D1_P1.fcs", "file", null, null, KEYS);
    assertEquals(a.reference(), again.reference(), "same source, same reference");
    assertNotEquals(a.reference(), b.reference());
    assertNotEquals(
        a.reference(),
        QuarantineEntry.sanitise(
                "ingest-fcs",
                "X",
                "fcs/A_D1_P1.fcs",
                "file",
                null,
                null,
                Pseudonymizer.withSalt("other"))
            .reference(),
        "keyed by the salt");
    QuarantineEntry odd =
        QuarantineEntry.sanitise(
            "ingest-clinical",
            "X",
            "clinical/dm.csv",
            "patient Jane Doe",
            "Jane Doe 1970-01-01",
            null,
            KEYS);
    assertNull(odd.locator(), "a locator that is not a position is not shown");
    assertNull(odd.field(), "a field that is not a name is not shown");
    assertEquals("manifest", QuarantineEntry.sourceKind("raw/manifest.csv"));
    assertEquals("clinical file", QuarantineEntry.sourceKind("clinical/TRANSREG-RA-01.csv"));
    assertEquals("FCS file", QuarantineEntry.sourceKind("fcs/TRANSREG-RA-01_D1_P1.LMD"));
  }

  @Test
  void runSummaryShowsFieldsNestedObjectsAndStepLists() throws Exception {
    RunSummary s =
        RunSummaryJson.parse(
            """
        {"run_id": "n-1", "status": "SUCCEEDED", "panels": ["P1", "P2"],
         "counts": {"events": {"in": 300, "written": 290}, "samples": 95},
         "steps": [{"step": "ingest-fcs", "seconds": 61.25}, {"step": "gate", "seconds": 30,
                    "warnings": 2}]}
        """,
            "n-1.json");
    assertEquals(
        List.of("run_id", "status", "panels"),
        s.fields().stream().map(RunSummary.Field::name).toList());
    assertEquals("P1, P2", s.fields().get(2).value());
    DataTable counts = s.tables().get(0).table();
    assertEquals(
        List.of(
            List.of("events.in", "300"),
            List.of("events.written", "290"),
            List.of("samples", "95")),
        counts.rows());
    DataTable steps = s.tables().get(1).table();
    assertEquals(List.of("step", "seconds", "warnings"), steps.columns());
    assertEquals(Arrays.asList("ingest-fcs", "61.25", null), steps.rows().get(0));
    Document d = parse(ReportRenderer.render(model(null, s)));
    String text = section(d, ReportRenderer.SUMMARY).getTextContent();
    assertTrue(text.contains("SUCCEEDED") && text.contains("61.25") && text.contains("gate"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RunSummaryJson.parse("[1]", "x.json"));
    assertTrue(e.getMessage().startsWith("Cannot read run summary x.json"), e.getMessage());
  }

  @Test
  void emptyLakeSaysSoInEverySection() throws Exception {
    ReportModel empty =
        ReportModel.builder()
            .runId("r")
            .generatedAt(Instant.EPOCH)
            .lake("/l")
            .primary(new PrimaryPlot(treg(), List.of(), List.of()))
            .build();
    Document d = parse(ReportRenderer.render(empty));
    for (String id :
        List.of(
            ReportRenderer.QC,
            ReportRenderer.PRIMARY,
            ReportRenderer.HEATMAPS,
            ReportRenderer.COHORT_SUMMARY)) {
      Element s = section(d, id);
      assertEquals(0, s.getElementsByTagName("svg").getLength(), id);
      assertTrue(s.getElementsByTagName("p").getLength() > 0, id + " says why it is empty");
    }
  }

  @Test
  void modelRejectsInconsistentShapes() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Heatmap(
                "P1",
                "flowsom",
                List.of("a", "b"),
                List.of(new HeatmapRow(1, "x", 1, List.of(1.0)))));
    assertThrows(
        IllegalArgumentException.class,
        () -> new DataTable(List.of("a"), List.of(List.of("1", "2")), 1));
  }

  @Test
  void numbersAndTicks() {
    assertEquals("12", Html.number(12.0));
    assertEquals("0.1235", Html.number(0.123456));
    assertEquals("1.235e-05", Html.number(0.00001235));
    assertEquals("NaN", Html.number(Double.NaN));
    assertEquals(
        List.of(0.0, 5.0, 10.0, 15.0), Arrays.stream(Charts.ticks(12.5, 3)).boxed().toList());
    assertEquals("-0.5", Html.coord(-0.5));
    assertEquals("3", Html.coord(3.0001));
  }

  /** A mass-cytometry strategy that knows nothing of the reference trial. */
  static final String CYTOF_GATING =
      String.join(
          "\n",
          "gates:",
          "  - {id: Cells, rectangle: [{dim: dna1, min: 4}]}",
          "  - {id: Leukocytes, parent: Cells, rectangle: [{dim: cd45, min: 3}]}",
          "  - {id: B cells, parent: Leukocytes, rectangle: [{dim: cd19, min: 2}]}",
          "  - {id: T cells, parent: Leukocytes, rectangle: [{dim: cd3, min: 2}]}",
          "  - {id: _cd3, rectangle: [{dim: cd3, min: 2}]}",
          "  - {id: CD4, parent: T cells, rectangle: [{dim: cd4, min: 2}]}");

  @Test
  void titlesAndAxesComeFromTheConfiguredPopulationAndItsParent() throws Exception {
    GatingStrategy cytof = CompactGatingReader.read(CYTOF_GATING, "cytof.yaml", false);
    PrimaryPopulation b = PrimaryPopulation.resolve("CYTOF", "B cells", cytof, "cytof.yaml");
    assertEquals("Cells/Leukocytes/B cells", b.path());
    assertEquals("B cells % of Leukocytes", b.title());
    assertEquals("% of Leukocytes", b.axis());
    assertNull(b.problem());
    assertTrue(b.matches("Cells/Leukocytes/B cells"));
    assertFalse(b.matches("Cells/Leukocytes/T cells/B cells"));

    Document d = parse(ReportRenderer.render(model(null, null, b)));
    Element s = section(d, ReportRenderer.PRIMARY);
    assertEquals(
        "B cells % of Leukocytes by cohort", s.getElementsByTagName("h2").item(0).getTextContent());
    NodeList svgs = s.getElementsByTagName("svg");
    assertEquals(2, svgs.getLength());
    for (int i = 0; i < svgs.getLength(); i++) {
      Element svg = (Element) svgs.item(i);
      assertTrue(
          svg.getAttribute("aria-label").startsWith("B cells % of Leukocytes by visit"),
          svg.getAttribute("aria-label"));
      assertTrue(svg.getTextContent().contains("% of Leukocytes"), "y axis");
    }
    assertEquals(
        "B cells % of Leukocytes",
        ((Element) d.getElementsByTagName("nav").item(0))
            .getElementsByTagName("a")
            .item(1)
            .getTextContent());
    String text = d.getDocumentElement().getTextContent();
    assertFalse(
        text.contains("Treg") || text.contains("% of CD4"), "nothing of the reference trial");

    // A top-level gate is % of all events; the last segments of a path resolve too.
    PrimaryPopulation cells = PrimaryPopulation.resolve("CYTOF", "Cells", cytof, "cytof.yaml");
    assertEquals("Cells % of all events", cells.title());
    assertEquals(
        "T cells % of Leukocytes",
        PrimaryPopulation.resolve("CYTOF", "Leukocytes/T cells", cytof, "c").title());
  }

  @Test
  void anUnresolvedPopulationIsNamedFromItsPathAndSaysWhy() throws Exception {
    GatingStrategy cytof = CompactGatingReader.read(CYTOF_GATING, "cytof.yaml", false);
    PrimaryPopulation none =
        PrimaryPopulation.resolve("CYTOF", "Monocytes/CD14", cytof, "conf/gating/CYTOF.yaml");
    assertEquals("CD14 % of Monocytes", none.title());
    assertNull(none.path());
    assertTrue(
        none.problem().contains("no population of conf/gating/CYTOF.yaml is " + "'Monocytes/CD14'"),
        none.problem());
    assertTrue(none.matches("x/Monocytes/CD14") && !none.matches("x/Monocytes/CD14b"));
    PrimaryPopulation helper = PrimaryPopulation.resolve("CYTOF", "_cd3", cytof, "c");
    assertNotNull(helper.problem(), "helper gates are not populations");
    PrimaryPopulation noStrategy =
        PrimaryPopulation.resolve("P9", "B", null, "conf/gating/P9.yaml");
    assertEquals("B % of parent", noStrategy.title());
    assertTrue(noStrategy.problem().contains("no gating strategy"), noStrategy.problem());
    Document d = parse(ReportRenderer.render(model(null, null, none)));
    assertTrue(section(d, ReportRenderer.PRIMARY).getTextContent().contains(none.problem()));
    PrimaryPopulation cd4 = PrimaryPopulation.resolve("CYTOF", "T cells/CD4", cytof, "c");
    assertEquals("Cells/Leukocytes/T cells/CD4", cd4.path());
    assertEquals("CD4 % of T cells", cd4.title());
  }

  @Test
  void benignWarningsLeaveASampleQcOkAndAreStillListed() throws Exception {
    List<SampleEvents> samples =
        List.of(
            new SampleEvents(
                "S-a",
                "P1",
                "D1",
                1000,
                List.of(
                    "TEXT_PADDING", "TEXT_WHITESPACE", "SPILLOVER_BY_LABEL", "DATA_END_EXCLUSIVE")),
            new SampleEvents("S-b", "P1", "D1", 900, List.of("TEXT_PADDING", "TOT_MISMATCH")),
            new SampleEvents("S-c", "P1", "D8", 800, List.of("LABEL_MISMATCH:FITC-A=CD8")),
            new SampleEvents("S-d", "P1", "D8", 700, List.of()));
    assertTrue(samples.get(0).qcOk());
    assertFalse(samples.get(1).qcOk());
    assertFalse(samples.get(2).qcOk());
    assertTrue(samples.get(3).qcOk());
    ReportModel base = model(null, null);
    ReportModel m =
        ReportModel.builder()
            .runId(base.runId())
            .generatedAt(base.generatedAt())
            .lake(base.lake())
            .samples(samples)
            .primary(base.primary())
            .build();
    String html = ReportRenderer.render(m);
    Element qc = section(parse(html), ReportRenderer.QC);
    Element plot = (Element) qc.getElementsByTagName("svg").item(0);
    NodeList bars = plot.getElementsByTagName("rect");
    List<String> flagged = new ArrayList<>();
    for (int i = 0; i < bars.getLength(); i++) {
      Element bar = (Element) bars.item(i);
      String tip = bar.getElementsByTagName("title").item(0).getTextContent();
      if (bar.getAttribute("class").contains("flagged")) {
        flagged.add(tip.substring(0, 3));
      }
      if (tip.startsWith("S-a")) {
        assertTrue(tip.contains("QC OK") && tip.contains("TEXT_PADDING"), tip);
      }
    }
    assertEquals(List.of("S-b", "S-c"), flagged);
    Element events = table(qc, "events-table");
    assertEquals(List.of("P1", "4", "3400", "700", "850", "1000", "2", "1"), row(events, 0));
    Element warnings = table(qc, "warnings-table");
    assertEquals(List.of("LABEL_MISMATCH", "affects data", "1", "P1"), row(warnings, 0));
    assertEquals(List.of("TOT_MISMATCH", "affects data", "1", "P1"), row(warnings, 1));
    assertEquals(List.of("TEXT_PADDING", "benign", "2", "P1"), row(warnings, 2));
    assertEquals(6, warnings.getElementsByTagName("tr").getLength() - 1);
    Element notOk = table(qc, "samples-not-ok");
    assertEquals(2, notOk.getElementsByTagName("tr").getLength() - 1);
    assertEquals("S-b", row(notOk, 0).get(0));
    assertEquals("TEXT_PADDING; TOT_MISMATCH", row(notOk, 0).get(4));
  }

  static Element table(Element section, String cssClass) {
    NodeList tables = section.getElementsByTagName("table");
    for (int i = 0; i < tables.getLength(); i++) {
      if (((Element) tables.item(i)).getAttribute("class").equals(cssClass)) {
        return (Element) tables.item(i);
      }
    }
    throw new AssertionError("no table " + cssClass);
  }

  /** The cells of body row {@code i}. */
  static List<String> row(Element table, int i) {
    Element tr =
        (Element)
            ((Element) table.getElementsByTagName("tbody").item(0))
                .getElementsByTagName("tr")
                .item(i);
    List<String> cells = new ArrayList<>();
    NodeList td = tr.getElementsByTagName("td");
    for (int c = 0; c < td.getLength(); c++) {
      cells.add(td.item(c).getTextContent());
    }
    return cells;
  }

  static final String NIGHTLY =
      """
      {"run_id": "n-7", "status": "%s", "started_at": "2026-11-25T01:30:00Z",
       "failed_step": %s, "message": %s,
       "steps": [{"name": "ingest-fcs", "status": "ran", "seconds": 27.3}],
       "counts": {"files_in": 102, "files_quarantined": 40},
       "warnings": ["pseudonyms use the development salt (set the salt environment variable)",
                    "gating_qc: 11 EMPTY_GATE", "quarantined 40 of 102 files, more than 0.2"]}
      """;

  @Test
  void aRunThatDidNotSucceedOpensWithABannerOfItsStatusAndWarnings() throws Exception {
    for (String status : List.of("degraded", "failed", "running", "needs-review")) {
      boolean failed = status.equals("failed");
      RunSummary s =
          RunSummaryJson.parse(
              String.format(
                  NIGHTLY,
                  status,
                  failed ? "\"gate\"" : "null",
                  failed ? "\"gate failed: no memory\"" : "null"),
              "n");
      assertEquals(status, s.status());
      assertEquals(3, s.warnings().size());
      Document d = parse(ReportRenderer.render(model(null, s)));
      Element body = (Element) d.getElementsByTagName("body").item(0);
      Element first = firstElement(body);
      assertEquals(ReportRenderer.BANNER, first.getAttribute("id"), status + ": banner first");
      assertTrue(
          first.getAttribute("class").contains("status-" + status), first.getAttribute("class"));
      assertEquals("Run " + status, first.getElementsByTagName("h2").item(0).getTextContent());
      NodeList li = first.getElementsByTagName("li");
      assertEquals(3, li.getLength());
      assertEquals("gating_qc: 11 EMPTY_GATE", li.item(1).getTextContent());
      assertEquals(
          failed,
          first.getTextContent().contains("Step gate: gate failed: no memory"),
          first.getTextContent());
      assertTrue(d.getElementsByTagName("title").item(0).getTextContent().contains(status));
    }
    RunSummary ok = RunSummaryJson.parse(String.format(NIGHTLY, "succeeded", "null", "null"), "n");
    Document d = parse(ReportRenderer.render(model(null, ok)));
    assertEquals(
        "header",
        firstElement((Element) d.getElementsByTagName("body").item(0)).getTagName(),
        "no banner for a run that succeeded");
    Element summary = section(d, ReportRenderer.SUMMARY);
    assertTrue(summary.getTextContent().contains("Status: succeeded"));
    assertEquals(3, summary.getElementsByTagName("li").getLength(), "warnings still listed");
    assertFalse(
        ok.fields().stream().anyMatch(f -> f.name().equals("warnings")),
        "warnings are lines, not one comma-joined field");
  }

  static Element firstElement(Element parent) {
    for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        return e;
      }
    }
    throw new AssertionError("no element in " + parent.getTagName());
  }

  @Test
  void heatmapColumnsAreTheLineageMarkersOfThePanel() {
    Transform none = TransformSpec.parse("none");
    Transform asinh = TransformSpec.parse("asinh:cofactor=5");
    PanelConfig cytof =
        new PanelConfig(
            "CYTOF",
            "mass",
            "a CyTOF panel",
            List.of(
                new ChannelConfig("Time", null, "time", none, false),
                new ChannelConfig("Event_length", null, "event_length", none, false),
                new ChannelConfig("Ir191Di", "DNA1", "dna1", asinh, false),
                new ChannelConfig("Nd142Di", "CD19", "cd19", asinh, true),
                new ChannelConfig("Pt195Di", "Viability", "viability", asinh, false),
                new ChannelConfig("Sm154Di", "CD45", "cd45", asinh, true),
                new ChannelConfig("Er170Di", "CD3", "cd3", asinh, true)),
            null);
    Map<String, Double> m1 =
        new java.util.HashMap<>(
            Map.of(
                "time",
                5e5,
                "event_length",
                20.0,
                "dna1",
                6.1,
                "cd19",
                4.2,
                "viability",
                0.3,
                "cd45",
                5.0,
                "cd3",
                0.1));
    Map<String, Double> m2 = new java.util.HashMap<>(m1);
    m2.put("cd19", 0.2);
    m2.put("cd3", 4.4);
    List<Heatmaps.ClusterMedians> clusters =
        List.of(
            new Heatmaps.ClusterMedians("CYTOF", "kmeans", 0, "x", 10, m1),
            new Heatmaps.ClusterMedians("CYTOF", "flowsom", 2, "T", 60, m2),
            new Heatmaps.ClusterMedians("CYTOF", "flowsom", 1, "B", 40, m1),
            new Heatmaps.ClusterMedians("OLD", "flowsom", 1, null, 40, Map.of("b", 1.0, "a", 2.0)));
    List<Heatmap> maps = Heatmaps.of(clusters, Map.of("CYTOF", cytof));
    assertEquals(
        List.of("CYTOF/flowsom", "CYTOF/kmeans", "OLD/flowsom"),
        maps.stream().map(h -> h.panel() + "/" + h.algorithm()).toList());
    Heatmap h = maps.get(0);
    assertEquals(List.of("CD19", "CD45", "CD3"), h.markers(), "lineage markers in panel order");
    assertEquals(List.of(1, 2), h.rows().stream().map(HeatmapRow::metacluster).toList());
    assertEquals(List.of(0.2, 5.0, 4.4), h.rows().get(1).medians());
    assertEquals(List.of("a", "b"), maps.get(2).markers(), "a panel conf no longer has: all");
    // The shipped panels: P1's heatmap leaves out scatter, viability and Time.
    PanelConfig p1 =
        org.cytolake.config.CytolakeConfig.load(SharedData.projectDir().resolve("conf"))
            .panel("P1");
    Map<String, Double> all = new java.util.HashMap<>();
    p1.columns().forEach(c -> all.put(c, 1.0));
    List<String> markers =
        Heatmaps.of(
                List.of(new Heatmaps.ClusterMedians("P1", "flowsom", 0, "x", 1, all)),
                Map.of("P1", p1))
            .get(0)
            .markers();
    assertEquals(
        List.of("CD45RA", "CD25", "HLA-DR", "CD4", "CD127", "FOXP3", "Helios", "CD3", "CD8"),
        markers);
    String svg = Charts.heatmap(h);
    assertFalse(svg.contains("DNA1") || svg.contains("Time") || svg.contains("event_length"));
  }

  static CohortSummaryView.Row csRow(
      String cohort, String visit, String feature, double median, Double fc, Double q) {
    return new CohortSummaryView.Row(
        cohort,
        visit,
        "P1",
        feature,
        CohortSummaryView.PRIMARY_STATISTIC,
        5,
        median,
        median - 1,
        median + 1,
        5,
        fc,
        q == null ? null : q / 2,
        q);
  }

  @Test
  void cohortSummaryShowsThePrimaryFeatureInVisitOrderAndTheSmallestQValues() throws Exception {
    List<CohortSummaryView.Row> rows = new ArrayList<>();
    for (String cohort : List.of("SLE", "ALL", "RA")) {
      for (String visit : List.of("M6", "D1", "D8")) {
        boolean base = visit.equals("D1");
        rows.add(csRow(cohort, visit, "Treg", 5, base ? null : 2.0, base ? null : 0.01));
        rows.add(csRow(cohort, visit, "CD8", 20, base ? null : 1.0, base ? null : 0.9));
        rows.add(csRow(cohort, visit, "B", 10, base ? null : 0.5, base ? null : 0.01));
      }
    }
    ReportModel.CohortSummary c =
        CohortSummaryView.of(rows, treg(), List.of("D1", "D8", "M6"), "ALL");
    assertEquals(27, c.totalRows());
    assertEquals(3, c.features());
    DataTable primary = c.tables().get(0).table();
    assertEquals("Treg % of CD4 by cohort and visit", c.tables().get(0).title());
    assertEquals(
        List.of(
            "RA D1", "RA D8", "RA M6", "SLE D1", "SLE D8", "SLE M6", "ALL D1", "ALL D8", "ALL M6"),
        primary.rows().stream().map(r -> r.get(0) + " " + r.get(1)).toList());
    DataTable top = c.tables().get(1).table();
    assertTrue(c.tables().get(1).title().contains("all cohorts pooled (ALL)"));
    assertEquals(6, top.totalRows(), "pooled rows after baseline");
    // q 0.01 first; equal q: the larger change (|ln 0.5| = |ln 2|), then by feature name.
    assertEquals(
        List.of("B D8", "B M6", "Treg D8", "Treg M6", "CD8 D8", "CD8 M6"),
        top.rows().stream().map(r -> r.get(0) + " " + r.get(4)).toList());
    assertTrue(top.rows().stream().allMatch(r -> r.get(3).equals("ALL")));

    Document d = parse(ReportRenderer.render(model(c, null)));
    Element s = section(d, ReportRenderer.COHORT_SUMMARY);
    assertTrue(
        s.getTextContent().contains("cohort_summary has 27 rows (3 features"), s.getTextContent());
    assertEquals(2, s.getElementsByTagName("table").getLength());
    assertEquals(9 + 6 + 2, s.getElementsByTagName("tr").getLength(), "rows and two headers");
  }

  /** A small differential: two visits, two scales at D8, the primary endpoint; two cohorts. */
  static Effects effects() {
    Effects.EffectPoint treg =
        new Effects.EffectPoint(
            "P1", "Treg", "pct_of_parent", "CD4/Treg", "D8", "odds_ratio", 2.1, 3e-40, true);
    List<Effects.EffectPoint> points =
        List.of(
            treg,
            new Effects.EffectPoint(
                "P1", "Tconv", "pct_of_parent", "CD4/Tconv", "D8", "odds_ratio", 0.9, 0.4, false),
            new Effects.EffectPoint(
                "P1", "mc03", "median_cd25", EVIL, "D8", "change", 0.52, 0.001, false),
            new Effects.EffectPoint(
                "P1", "CD8", "pct_of_parent", "CD8", "M6", "odds_ratio", 1.05, 0.0, false),
            new Effects.EffectPoint(
                "P1", "B", "pct_of_parent", "B", "M6", "odds_ratio", Double.NaN, 0.5, false));
    List<Effects.Trajectories.Value> values =
        List.of(
            new Effects.Trajectories.Value("RA", "RA-01", "D1", 5.0),
            new Effects.Trajectories.Value("RA", "RA-01", "D8", 10.0),
            new Effects.Trajectories.Value("RA", "RA-02", "D1", 6.0),
            new Effects.Trajectories.Value("RA", "RA-02", "D8", 13.0),
            new Effects.Trajectories.Value("RA", "RA-02", "M6", 7.0),
            new Effects.Trajectories.Value("SLE", "SLE-01", "M6", 5.5),
            new Effects.Trajectories.Value("SLE", "SLE-01", "D1", 4.5));
    Comparator<String> order = Comparator.comparingInt(List.of("D1", "D8", "M6")::indexOf);
    return new Effects(
        "D1",
        "ALL",
        Effects.volcanoes(points, order),
        Effects.Trajectories.of(
            treg, "Treg % of CD4", "Treg % of CD4 (P1, percent)", values, order));
  }

  @Test
  void effectPlotsRenderFromASmallModelWithTitlesAndAxes() throws Exception {
    ReportModel m = model(null, null);
    ReportModel withEffects = m.toBuilder().effects(effects()).build();
    String html = ReportRenderer.render(withEffects);
    Document d = parse(html);
    Element e = section(d, ReportRenderer.EFFECTS);
    NodeList svgs = e.getElementsByTagName("svg");
    // volcanoes: D8 change, D8 odds_ratio, M6 odds_ratio (the NaN estimate left out); 2 cohorts
    assertEquals(3 + 2, svgs.getLength());
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < svgs.getLength(); i++) {
      labels.add(((Element) svgs.item(i)).getAttribute("aria-label"));
    }
    assertEquals(
        List.of(
            "D8 vs D1, cohorts pooled (ALL): change by −log10 q",
            "D8 vs D1, cohorts pooled (ALL): odds ratio by −log10 q",
            "M6 vs D1, cohorts pooled (ALL): odds ratio by −log10 q",
            "Treg % of CD4 per patient by visit, cohort RA",
            "Treg % of CD4 per patient by visit, cohort SLE"),
        labels);
    String text = e.getTextContent();
    assertTrue(text.contains("odds ratio, D8 vs D1 (log scale)"), "x axis names scale and visits");
    assertTrue(text.contains("change, D8 vs D1 (transformed units)"), text);
    assertTrue(text.contains("−log10 q"), "y axis");
    assertTrue(text.contains("P1 Treg pct_of_parent (primary)"), "the primary endpoint labelled");
    assertTrue(text.contains("Treg % of CD4 (P1, percent)"), "trajectory axis: feature, scale");
    Element d8 = (Element) svgs.item(1);
    int primaryDots = 0;
    NodeList circles = d8.getElementsByTagName("circle");
    for (int i = 0; i < circles.getLength(); i++) {
      if (((Element) circles.item(i)).getAttribute("class").equals("dot primary")) {
        primaryDots++;
        assertTrue(circles.item(i).getTextContent().contains("primary endpoint"));
      }
    }
    assertEquals(1, primaryDots);
    assertEquals(2, circles.getLength());
    // a q of 0 is drawn (at the top), not dropped
    assertEquals(1, ((Element) svgs.item(2)).getElementsByTagName("circle").getLength());
    // RA: two patient lines and the bold median line; SLE: one patient, its line
    Element ra = (Element) svgs.item(3);
    int patients = 0;
    int medians = 0;
    NodeList lines = ra.getElementsByTagName("polyline");
    for (int i = 0; i < lines.getLength(); i++) {
      String c = ((Element) lines.item(i)).getAttribute("class");
      patients += c.equals("patient") ? 1 : 0;
      medians += c.equals("median-line") ? 1 : 0;
    }
    assertEquals(2, patients);
    assertEquals(1, medians);
    assertFalse(html.contains(EVIL), "the metacluster label is escaped");
    assertTrue(
        section(parse(ReportRenderer.render(m)), ReportRenderer.EFFECTS)
            .getTextContent()
            .contains("not computed"));
  }
}
