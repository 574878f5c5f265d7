package org.cytolake.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cytolake.report.AcquisitionQcView.SampleQc;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The acquisition QC section without Spark: rows of sample_qc (with the samples' acquisition
 * dates) into the summary, the flagged samples per panel and the chart of % removed by date.
 */
class AcquisitionQcViewTest {
  static final LocalDate DAY1 = LocalDate.parse("2026-03-02");
  static final LocalDate DAY2 = LocalDate.parse("2026-03-09");

  static SampleQc row(
      String id,
      String panel,
      String visit,
      LocalDate date,
      String status,
      long events,
      long flowRate,
      long signal,
      long margin,
      String segments,
      String notes) {
    long flagged = flowRate + signal + margin;
    return new SampleQc(
        id,
        panel,
        visit,
        date,
        status,
        events,
        flagged,
        events == 0 ? 0 : (double) flagged / events,
        flowRate,
        signal,
        margin,
        segments,
        notes);
  }

  /** Two panels: P1 with one sample over 5% and one failed; P2 with nothing over. */
  static List<SampleQc> rows() {
    return List.of(
        row("s3", "P1", "M6", DAY2, "CHECKED", 1000, 0, 0, 2, "", ""),
        row(
            "s1",
            "P1",
            "D1",
            DAY1,
            "CHECKED",
            1000,
            120,
            0,
            3,
            "FLOW_RATE [100, 160) t=1.0-1.6; FLOW_RATE [300, 330) t=3.0-3.3; "
                + "FLOW_RATE [500, 520) t=5-5.2; FLOW_RATE [700, 710) t=7-7.1",
            ""),
        row("s2", "P1", "D8", null, "FAILED", 800, 0, 0, 0, "", "Cannot read DATA <segment>"),
        row("s4", "P2", "D1", DAY1, "TOO_SMALL", 100, 0, 0, 1, "", "margins only"),
        row("s5", "P2", "D1", DAY2, "CHECKED", 2000, 0, 40, 0, "SIGNAL [10, 50) t=0-1", ""));
  }

  static AcquisitionQcView view(boolean removed) {
    return AcquisitionQcView.of(
        rows(), 0.05, removed, org.cytolake.config.VisitSchedule.order(List.of("D1", "D8", "M6")));
  }

  @Test
  void summarisesCheckedFlaggedAndTheMedianRemoved() {
    AcquisitionQcView v = view(true);
    // checked: every status but FAILED (and DISABLED); flagged: over 5% (s1, 12.3%) or FAILED (s2)
    assertEquals(4, v.checked());
    assertEquals(List.of("s1", "s2"), v.flagged().stream().map(SampleQc::sampleId).toList());
    // % removed of the checked: 0.2, 12.3, 1, 2 -> median 1.5
    assertEquals(1.5, v.medianPercent(), 1e-12);
    assertEquals(
        "4 samples checked, 2 flagged (over qc.warn-share 5% or QC failed), median 1.50% of "
            + "events removed.",
        v.summary());
    assertEquals(Map.of("CHECKED", 3, "FAILED", 1, "TOO_SMALL", 1), v.statuses());
    assertTrue(view(false).summary().endsWith("of events flagged."));
  }

  @Test
  void ordersByPanelVisitAndSampleAndNamesFlagsAndReasons() {
    AcquisitionQcView v = view(true);
    assertEquals(
        List.of("s1", "s2", "s3", "s4", "s5"),
        v.samples().stream().map(SampleQc::sampleId).toList());
    SampleQc s1 = v.samples().get(0);
    assertEquals("FLOW_RATE 120, MARGIN 3", s1.flags());
    assertEquals(12.3, s1.percent(), 1e-9);
    assertEquals(
        "FLOW_RATE [100, 160) t=1.0-1.6; FLOW_RATE [300, 330) t=3.0-3.3; "
            + "FLOW_RATE [500, 520) t=5-5.2; … (1 more)",
        s1.reason());
    SampleQc s2 = v.samples().get(1);
    assertEquals("FAILED", s2.flags());
    assertEquals("Cannot read DATA <segment>", s2.reason(), "no segment: the notes");
    assertEquals("MARGIN 1, TOO_SMALL", v.samples().get(3).flags());
  }

  @Test
  void noSampleQcAndNoSample() {
    AcquisitionQcView empty = AcquisitionQcView.of(List.of(), 0.05, true, String::compareTo);
    assertEquals(0, empty.checked());
    assertTrue(Double.isNaN(empty.medianPercent()));
    assertTrue(empty.summary().contains("median n/a"), empty.summary());
    StringBuilder b = new StringBuilder();
    AcquisitionQcView.render(b, empty);
    assertTrue(b.toString().contains("sample_qc has no sample."));
  }

  @Test
  void rendersAChartPerPanelWithOneDotPerDatedSampleAndATableOfTheFlagged() throws Exception {
    String html =
        ReportRenderer.render(
            ReportRendererTest.model(null, null).toBuilder().acquisitionQc(view(true)).build());
    Document d = ReportRendererTest.parse(html);
    Element s = ReportRendererTest.section(d, ReportRenderer.ACQUISITION_QC);
    assertTrue(html.contains("href=\"#" + ReportRenderer.ACQUISITION_QC + "\""), "in the nav");
    String text = s.getTextContent();
    assertTrue(text.contains(view(true).summary()), text);
    assertTrue(text.contains("CHECKED 3, FAILED 1, TOO_SMALL 1"), text);
    NodeList svgs = s.getElementsByTagName("svg");
    assertEquals(2, svgs.getLength(), "a chart per panel");
    List<Integer> dots = new ArrayList<>();
    List<Integer> flaggedDots = new ArrayList<>();
    for (int i = 0; i < svgs.getLength(); i++) {
      NodeList c = ((Element) svgs.item(i)).getElementsByTagName("circle");
      dots.add(c.getLength());
      int f = 0;
      for (int k = 0; k < c.getLength(); k++) {
        f += ((Element) c.item(k)).getAttribute("class").equals("dot flagged") ? 1 : 0;
      }
      flaggedDots.add(f);
    }
    // P1: s2 has no date; P2: both dated
    assertEquals(List.of(2, 2), dots);
    assertEquals(List.of(1, 0), flaggedDots);
    assertTrue(text.contains("1 sample(s) without an acquisition date not drawn"), text);
    assertTrue(svgs.item(0).getTextContent().contains("acquisition date"), "x axis");
    assertTrue(svgs.item(0).getTextContent().contains("% of events removed"), "y axis");
    assertTrue(svgs.item(0).getTextContent().contains(DAY1.toString()), "dates labelled");
    NodeList tables = s.getElementsByTagName("table");
    assertEquals(1, tables.getLength(), "P2 has no flagged sample");
    assertTrue(text.contains("No sample of panel P2 flagged."), text);
    Element table = (Element) tables.item(0);
    NodeList th = table.getElementsByTagName("th");
    List<String> header = new ArrayList<>();
    for (int i = 0; i < th.getLength(); i++) {
      header.add(th.item(i).getTextContent());
    }
    assertEquals(List.of("sample", "visit", "flags", "% events removed", "reason"), header);
    NodeList tr =
        ((Element) table.getElementsByTagName("tbody").item(0)).getElementsByTagName("tr");
    assertEquals(2, tr.getLength());
    assertEquals(
        "s1D1FLOW_RATE 120, MARGIN 312.30", tr.item(0).getTextContent().split("FLOW_RATE \\[")[0]);
    assertFalse(html.contains("<segment>"), "escaped");
  }

  @Test
  void aLakeWithoutSampleQcHasNoSuchSection() throws Exception {
    String html = ReportRenderer.render(ReportRendererTest.model(null, null));
    assertFalse(html.contains(ReportRenderer.ACQUISITION_QC), "neither section nor link");
  }
}
