package org.cytolake.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.cytolake.report.ReportModel.CohortSeries;
import org.cytolake.report.ReportModel.DataTable;
import org.cytolake.report.ReportModel.Heatmap;
import org.cytolake.report.ReportModel.HeatmapRow;
import org.cytolake.report.ReportModel.Point;
import org.cytolake.report.ReportModel.SampleEvents;
import org.cytolake.tables.Pseudonymizer;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** {@link ReportRenderer} without Spark: escaping, sections, well-formed SVG, no external URL. */
class ReportRendererTest {
  static final String EVIL = "<script>alert('x')</script> & \"q\"";
  static final Pseudonymizer KEYS = Pseudonymizer.withSalt("test-salt");

  static ReportModel model(DataTable cohortSummary, RunSummary summary) {
    List<SampleEvents> samples = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      samples.add(new SampleEvents("S-" + i, "P1", i < 4 ? "D1" : "D8", 1000 + 250L * i,
          i == 3 ? "WARN" : "OK"));
    }
    samples.add(new SampleEvents("S-" + EVIL, "P2", "D1", 800, "OK"));
    List<QuarantineEntry> quarantine = List.of(
        QuarantineEntry.sanitise("ingest-fcs", "TRUNCATED_DATA", "fcs/TRANSREG-RA-01_D1_P1.fcs",
            "byte 5912", "$TOT", 3000L, KEYS),
        QuarantineEntry.sanitise("ingest-clinical", "NEGATIVE_AGE", "clinical/dm.csv", "line 7",
            "BRTHDTC", null, KEYS));
    List<CohortSeries> treg = List.of(
        new CohortSeries("RA", List.of(new Point("D1", 5.0), new Point("D1", 6.0),
            new Point("D8", 11.5), new Point("D8", 12.5), new Point("D8", 13.0))),
        new CohortSeries(EVIL, List.of(new Point("D1", 4.0), new Point("D8", 9.0))));
    List<Heatmap> maps = List.of(new Heatmap("P3", "flowsom", List.of("cd19", "cd56", EVIL),
        List.of(new HeatmapRow(1, "B", 120, List.of(4.1, 0.2, 1.0)),
            new HeatmapRow(2, EVIL, 80, List.of(0.3, 3.9, Double.NaN)))));
    return new ReportModel("run-<1>", Instant.parse("2026-11-25T12:00:00Z"), "/lake & co",
        summary, samples, quarantine, List.of("D1", "D8"), treg, maps, cohortSummary);
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
    assertEquals(2, section(d, ReportRenderer.QC).getElementsByTagName("svg").getLength(),
        "one events plot per panel");
    Element treg = section(d, ReportRenderer.TREG);
    assertEquals(2, treg.getElementsByTagName("svg").getLength(), "one plot per cohort");
    assertEquals(7, treg.getElementsByTagName("circle").getLength(), "one dot per sample");
    Element heat = section(d, ReportRenderer.HEATMAPS);
    assertEquals(1, heat.getElementsByTagName("svg").getLength());
    // 2 metaclusters x 3 markers, plus the 10 legend swatches.
    assertEquals(6 + 10, heat.getElementsByTagName("rect").getLength());
    assertTrue(section(d, ReportRenderer.COHORT_SUMMARY).getTextContent()
        .contains("not computed"));
    assertNull(section(d, ReportRenderer.SUMMARY), "no summary given, no summary section");
    // The events plot has one bar per sample: 7 in P1.
    Element p1 = (Element) section(d, ReportRenderer.QC).getElementsByTagName("svg").item(0);
    assertEquals(7, p1.getElementsByTagName("rect").getLength());
  }

  @Test
  void everyValueIsEscapedAndReadsBackIntact() throws Exception {
    String html = ReportRenderer.render(model(new DataTable(List.of("cohort", EVIL),
        List.of(Arrays.asList(EVIL, "1.5"), Arrays.asList("RA", null)), 2), null));
    assertFalse(html.contains("<script"), "no raw script tag");
    Document d = parse(html);
    String text = d.getDocumentElement().getTextContent();
    assertTrue(text.contains("S-" + EVIL), "sample id (tooltip) intact");
    assertTrue(section(d, ReportRenderer.TREG).getTextContent().contains(EVIL), "cohort");
    assertTrue(section(d, ReportRenderer.HEATMAPS).getTextContent().contains(EVIL), "marker");
    Element table = section(d, ReportRenderer.COHORT_SUMMARY);
    assertEquals(EVIL, table.getElementsByTagName("th").item(1).getTextContent());
    assertEquals(EVIL, table.getElementsByTagName("td").item(0).getTextContent());
    assertTrue(d.getElementsByTagName("title").item(0).getTextContent().contains("run-<1>"));
    // Attribute values too: data-plot of the cohort with quotes in its name.
    assertTrue(html.contains("data-plot=\"treg-&lt;script&gt;alert(&#39;x&#39;)"));
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
  void nothingPointsOutsideThePage() {
    String html = ReportRenderer.render(model(null, RunSummaryJson.parse(
        "{\"run_id\":\"r1\",\"steps\":[{\"step\":\"gate\",\"seconds\":12.5}]}", "test")));
    assertFalse(html.contains("http:") || html.contains("https:") || html.contains("//"),
        "no URL");
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
    for (String s : List.of("TRUNCATED_DATA", "NEGATIVE_AGE", "FCS file", "clinical dm.csv",
        "byte 5912", "line 7", "BRTHDTC")) {
      assertTrue(text.contains(s), s);
    }
    QuarantineEntry a = QuarantineEntry.sanitise("ingest-fcs", "X", "fcs/A_D1_P1.fcs", "file",
        null, null, KEYS);
    QuarantineEntry again = QuarantineEntry.sanitise("ingest-fcs", "Y", "fcs/A_D1_P1.fcs",
        "byte 9", null, null, KEYS);
    QuarantineEntry b = QuarantineEntry.sanitise("ingest-fcs", "X", "fcs/B_D1_P1.fcs", "file",
        null, null, KEYS);
    assertEquals(a.reference(), again.reference(), "same source, same reference");
    assertNotEquals(a.reference(), b.reference());
    assertNotEquals(a.reference(), QuarantineEntry.sanitise("ingest-fcs", "X", "fcs/A_D1_P1.fcs",
        "file", null, null, Pseudonymizer.withSalt("other")).reference(), "keyed by the salt");
    QuarantineEntry odd = QuarantineEntry.sanitise("ingest-clinical", "X", "clinical/dm.csv",
        "patient Jane Doe", "Jane Doe 1970-01-01", null, KEYS);
    assertNull(odd.locator(), "a locator that is not a position is not shown");
    assertNull(odd.field(), "a field that is not a name is not shown");
    assertEquals("manifest", QuarantineEntry.sourceKind("raw/manifest.csv"));
    assertEquals("clinical file", QuarantineEntry.sourceKind("clinical/TRANSREG-RA-01.csv"));
    assertEquals("FCS file", QuarantineEntry.sourceKind("fcs/TRANSREG-RA-01_D1_P1.LMD"));
  }

  @Test
  void runSummaryShowsFieldsNestedObjectsAndStepLists() throws Exception {
    RunSummary s = RunSummaryJson.parse("""
        {"run_id": "n-1", "status": "SUCCEEDED", "panels": ["P1", "P2"],
         "counts": {"events": {"in": 300, "written": 290}, "samples": 95},
         "steps": [{"step": "ingest-fcs", "seconds": 61.25}, {"step": "gate", "seconds": 30,
                    "warnings": 2}]}
        """, "n-1.json");
    assertEquals(List.of("run_id", "status", "panels"),
        s.fields().stream().map(RunSummary.Field::name).toList());
    assertEquals("P1, P2", s.fields().get(2).value());
    DataTable counts = s.tables().get(0).table();
    assertEquals(List.of(List.of("events.in", "300"), List.of("events.written", "290"),
        List.of("samples", "95")), counts.rows());
    DataTable steps = s.tables().get(1).table();
    assertEquals(List.of("step", "seconds", "warnings"), steps.columns());
    assertEquals(Arrays.asList("ingest-fcs", "61.25", null), steps.rows().get(0));
    Document d = parse(ReportRenderer.render(model(null, s)));
    String text = section(d, ReportRenderer.SUMMARY).getTextContent();
    assertTrue(text.contains("SUCCEEDED") && text.contains("61.25") && text.contains("gate"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunSummaryJson.parse("[1]", "x.json"));
    assertTrue(e.getMessage().startsWith("Cannot read run summary x.json"), e.getMessage());
  }

  @Test
  void emptyLakeSaysSoInEverySection() throws Exception {
    ReportModel empty = new ReportModel("r", Instant.EPOCH, "/l", null, List.of(), List.of(),
        List.of(), List.of(), List.of(), null);
    Document d = parse(ReportRenderer.render(empty));
    for (String id : List.of(ReportRenderer.QC, ReportRenderer.TREG, ReportRenderer.HEATMAPS,
        ReportRenderer.COHORT_SUMMARY)) {
      Element s = section(d, id);
      assertEquals(0, s.getElementsByTagName("svg").getLength(), id);
      assertTrue(s.getElementsByTagName("p").getLength() > 0, id + " says why it is empty");
    }
  }

  @Test
  void modelRejectsInconsistentShapes() {
    assertThrows(IllegalArgumentException.class, () -> new Heatmap("P1", "flowsom",
        List.of("a", "b"), List.of(new HeatmapRow(1, "x", 1, List.of(1.0)))));
    assertThrows(IllegalArgumentException.class,
        () -> new DataTable(List.of("a"), List.of(List.of("1", "2")), 1));
  }

  @Test
  void numbersAndTicks() {
    assertEquals("12", Html.number(12.0));
    assertEquals("0.1235", Html.number(0.123456));
    assertEquals("1.235e-05", Html.number(0.00001235));
    assertEquals("NaN", Html.number(Double.NaN));
    assertEquals(List.of(0.0, 5.0, 10.0, 15.0),
        Arrays.stream(Charts.ticks(12.5, 3)).boxed().toList());
    assertEquals("-0.5", Html.coord(-0.5));
    assertEquals("3", Html.coord(3.0001));
  }
}
