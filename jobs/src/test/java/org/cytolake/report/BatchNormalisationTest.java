package org.cytolake.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cytolake.config.ChannelConfig;
import org.cytolake.cytometry.transform.AsinhCofactor;
import org.cytolake.cytometry.transform.Identity;
import org.cytolake.report.BatchNormalisation.ControlChart;
import org.cytolake.report.BatchNormalisation.ControlMedian;
import org.cytolake.report.BatchNormalisation.ModelRow;
import org.cytolake.report.BatchNormalisation.SampleStatus;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The batch normalisation section without Spark: rows of normalisation_samples and
 * normalisation_models and control medians into the panel's model, and the page and its charts.
 */
class BatchNormalisationTest {
  static final LocalDate DAY1 = LocalDate.parse("2026-03-02");
  static final LocalDate DAY2 = LocalDate.parse("2026-03-09");
  static final LocalDate DAY3 = LocalDate.parse("2026-04-20");

  static List<SampleStatus> samples() {
    return List.of(
        new SampleStatus("t1", "P1", "training", DAY1.toString(), "normalised", null),
        new SampleStatus("v1", "P1", "validation", DAY1.toString(), "normalised", null),
        new SampleStatus("t2", "P1", "training", DAY2.toString(), "normalised", "cd8"),
        new SampleStatus("v2", "P1", "validation", DAY2.toString(), "normalised", "cd8"),
        new SampleStatus("p2", "P1", null, DAY2.toString(), "normalised", "cd8;cd25"),
        new SampleStatus("p1", "P1", null, DAY1.toString(), "normalised", null),
        new SampleStatus("v3", "P1", "validation", DAY3.toString(), "NO_BATCH_CONTROL", null),
        new SampleStatus("p3", "P1", null, DAY3.toString(), "NO_BATCH_CONTROL", null),
        new SampleStatus("p0", "P1", null, null, "NO_BATCH", null));
  }

  /** Version 1 (one batch) superseded by version 2: day 1 by control, day 2 pooled. */
  static List<ModelRow> models() {
    List<ModelRow> m = new ArrayList<>();
    m.add(new ModelRow("P1", 1, DAY1.toString(), "control", null, Double.NaN, Double.NaN));
    m.add(new ModelRow("P1", 2, DAY1.toString(), "control", null, Double.NaN, Double.NaN));
    m.add(new ModelRow("P1", 2, DAY2.toString(), "pooled", null, Double.NaN, Double.NaN));
    for (String c : List.of("cd25", "cd8", "cd4")) {
      for (int k = 1; k <= 3; k++) {
        // probabilities 0.25, 0.5, 0.75; the median 2.0 (2.5 in version 1)
        m.add(new ModelRow("P1", 2, "*", "goal", c, k / 4.0, k + 0.0));
        m.add(new ModelRow("P1", 1, "*", "goal", c, k / 4.0, k + 0.5));
        m.add(new ModelRow("P1", 2, "*", "goal-pooled", c, k / 4.0, 9.0));
      }
    }
    return m;
  }

  /** cd25's batch effect is large (raw 1.0 vs 2.0), cd4's small, cd8's none. */
  static List<ControlMedian> medians() {
    List<ControlMedian> m = new ArrayList<>();
    m.add(new ControlMedian("t1", "cd25", "training", DAY1, DAY1.toString(), 1.0, 2.0));
    m.add(new ControlMedian("v1", "cd25", "validation", DAY1, DAY1.toString(), 1.1, 2.1));
    m.add(new ControlMedian("t2", "cd25", "training", DAY2, DAY2.toString(), 2.0, 2.0));
    m.add(new ControlMedian("v2", "cd25", "validation", DAY2, DAY2.toString(), 2.2, 2.2));
    m.add(new ControlMedian("v3", "cd25", "validation", DAY3, DAY3.toString(), 3.0, Double.NaN));
    for (String s : List.of("t1", "v1", "t2", "v2")) {
      LocalDate d = s.endsWith("1") ? DAY1 : DAY2;
      String role = s.startsWith("t") ? "training" : "validation";
      m.add(new ControlMedian(s, "cd4", role, d, d.toString(), d == DAY1 ? 4.0 : 4.1, 4.0));
      m.add(new ControlMedian(s, "cd8", role, d, d.toString(), 0.5, 0.5));
    }
    return m;
  }

  static BatchNormalisation p1() {
    return BatchNormalisation.of(
        "P1",
        samples(),
        models(),
        medians(),
        Map.of("cd25", "CD25 (cd25), arcsinh(x/150)", "cd4", "CD4 (cd4), arcsinh(x/150)"));
  }

  @Test
  void theVersionInUseIsTheLatestWithItsBatchesBySource() {
    BatchNormalisation p = p1();
    assertEquals(2, p.modelVersion());
    assertEquals(2, p.versions());
    assertEquals(Map.of("control", 1, "pooled", 1), p.batchesBySource());
  }

  @Test
  void samplesAreCountedByStatusAndRoleNormalisedFirstAndTheQuarantinedListed() {
    BatchNormalisation p = p1();
    assertEquals(
        List.of(
            new BatchNormalisation.StatusCount("normalised", 2, 2, 2),
            new BatchNormalisation.StatusCount("NO_BATCH", 1, 0, 0),
            new BatchNormalisation.StatusCount("NO_BATCH_CONTROL", 1, 0, 1)),
        p.statuses());
    assertEquals(6, p.normalised());
    assertEquals(
        List.of("p0", "p3", "v3"), p.quarantined().stream().map(SampleStatus::sampleId).toList());
    assertEquals("validation", p.quarantined().get(2).role());
    assertEquals("patient", p.quarantined().get(0).role());
  }

  @Test
  void unnormalisedColumnsListTheirBatchesInTheModelsColumnOrder() {
    assertEquals(
        Map.of("cd25", List.of(DAY2.toString()), "cd8", List.of(DAY2.toString())),
        p1().unnormalised());
    assertEquals(List.of("cd25", "cd8"), List.copyOf(p1().unnormalised().keySet()));
  }

  @Test
  void chartsComeLargestBatchEffectFirstWithTheGoalMedianAndTheHeldOutSpread() {
    List<ControlChart> charts = p1().charts();
    assertEquals(List.of("cd25", "cd4", "cd8"), charts.stream().map(ControlChart::column).toList());
    ControlChart cd25 = charts.get(0);
    assertEquals("CD25 (cd25), arcsinh(x/150)", cd25.axis());
    assertEquals("cd8", charts.get(2).axis(), "the column when no label is given");
    assertEquals(2.0, cd25.goalMedian(), 0, "version 2's goal at probability 0.5");
    // per-batch means of raw medians: 1.05, 2.1, 3.0 → sample SD
    assertEquals(BatchNormalisation.sd(new double[] {1.05, 2.1, 3.0}), cd25.batchSpread(), 1e-12);
    // the normalised validation aliquots v1, v2 (v3 is quarantined): raw 1.1, 2.2; norm 2.1, 2.2
    assertEquals(Math.sqrt(0.605), cd25.validationSdRaw(), 1e-12);
    assertEquals(Math.sqrt(0.005), cd25.validationSdNormalised(), 1e-12);
    assertEquals(List.of("t1", "v1", "t2", "v2", "v3"), ids(cd25));
    assertEquals(0, charts.get(2).batchSpread());
    assertEquals("CD25 (cd25)", cd25.name());
    assertEquals(
        "CD25 (cd25): SD of the validation aliquots' medians 0.7778 raw → 0.07071 normalised;"
            + " between-batch SD of raw control medians 0.976",
        BatchNormalisation.caption(cd25));
  }

  @Test
  void atMostSixChartsTheOthersNamed() {
    List<ControlMedian> m = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      m.add(new ControlMedian("t1", "c" + c, "training", DAY1, "b1", 1, 1));
      m.add(new ControlMedian("t2", "c" + c, "training", DAY2, "b2", 1 + c, 1));
    }
    m.add(new ControlMedian("t9", "c0", "training", null, "b2", 1, 1));
    BatchNormalisation p = BatchNormalisation.of("P1", samples(), List.of(), m, Map.of());
    assertEquals(BatchNormalisation.MAX_CHARTS, p.charts().size());
    assertEquals("c7", p.charts().get(0).column());
    assertEquals(0, p.modelVersion());
    assertTrue(
        p.notes().get(0).contains("2 more normalised column(s) not drawn"), p.notes().toString());
    assertTrue(p.notes().get(0).endsWith("c1, c0"), p.notes().toString());
    assertTrue(p.notes().get(1).startsWith("1 control aliquot(s) without an acquisition date"));
    assertFalse(ids(p.charts().get(5)).contains("t9"));
  }

  @Test
  void axisLabelsNameMarkerColumnAndScale() {
    assertEquals(
        "CD25 (cd25), arcsinh(x/150)",
        BatchNormalisation.axisLabel(
            new ChannelConfig("PE-A", "CD25", "cd25", new AsinhCofactor(150), true)));
    assertEquals(
        "fsc_a, linear",
        BatchNormalisation.axisLabel(
            new ChannelConfig("FSC-A", null, "fsc_a", new Identity(), false)));
  }

  @Test
  void rangeTicksAreRoundAndCoverTheRange() {
    assertArrayEquals(new double[] {1.2, 1.4, 1.6, 1.8, 2.0}, Charts.rangeTicks(1.13, 2.07, 5));
    assertArrayEquals(new double[] {-1, 0, 1, 2}, Charts.rangeTicks(-1.5, 2.2, 5));
    assertArrayEquals(new double[] {3}, Charts.rangeTicks(3, 3, 5));
  }

  @Test
  void theSectionIsOnlyOnAPageWhoseLakeHasNormalisationSamples() throws Exception {
    ReportModel base = ReportRendererTest.model(null, null);
    String without = ReportRenderer.render(base);
    assertFalse(without.contains(ReportRenderer.NORMALISATION), "today's reports stay as they are");
    assertNull(base.normalisation());

    ReportModel with = withNormalisation(base, List.of(p1()));
    Document d = ReportRendererTest.parse(ReportRenderer.render(with));
    Element s = ReportRendererTest.section(d, ReportRenderer.NORMALISATION);
    assertNotNull(s);
    String text = s.getTextContent();
    assertTrue(text.contains("Model version 2 in use (2 versions"), text);
    assertTrue(text.contains("1 control, 1 pooled"), text);
    assertTrue(text.contains("6 sample(s) normalised, 3 quarantined"), text);
    assertTrue(text.contains("honest view"), text);
    assertEquals(
        List.of("NO_BATCH_CONTROL", "1", "0", "1", "2"),
        ReportRendererTest.row(ReportRendererTest.table(s, "normalisation-status"), 2));
    assertEquals(
        List.of("normalised", "2", "2", "2", "6"),
        ReportRendererTest.row(ReportRendererTest.table(s, "normalisation-status"), 0));
    assertEquals(
        List.of("v3", "validation", DAY3.toString(), "NO_BATCH_CONTROL"),
        ReportRendererTest.row(ReportRendererTest.table(s, "normalisation-quarantine"), 2));
    assertEquals(
        List.of("cd8", DAY2.toString()),
        ReportRendererTest.row(ReportRendererTest.table(s, "normalisation-unnormalised"), 1));

    NodeList svgs = s.getElementsByTagName("svg");
    assertEquals(3, svgs.getLength(), "one chart per column");
    String cd25 = text(svgs, 0);
    assertTrue(cd25.contains("P1 CD25 (cd25): median per control aliquot"), cd25);
    assertTrue(cd25.contains("median CD25 (cd25), arcsinh(x/150)"), cd25);
    assertTrue(cd25.contains("acquisition date"), cd25);
    assertTrue(cd25.contains("2026-03-02") && cd25.contains("2026-04-20"), cd25);
    for (String legend : List.of("training", "validation (held out)", "raw", "normalised")) {
      assertTrue(cd25.contains(legend), legend);
    }
    Element chart = (Element) svgs.item(0);
    // raw for all five aliquots, normalised for the four normalised ones, two legend keys
    assertEquals(5 + 4 + 2, chart.getElementsByTagName("circle").getLength());
    assertEquals(6, count(chart, "circle", "class", "open"), "v1, v2 twice, v3 raw, key");
    assertEquals(2, chart.getElementsByTagName("polyline").getLength(), "validation, raw and norm");
    assertTrue(
        ReportRenderer.render(with).contains("href=\"#" + ReportRenderer.NORMALISATION + "\""));
  }

  @Test
  void aPanelNameIsEscapedAndAnEmptyPanelSaysSo() throws Exception {
    String evil = ReportRendererTest.EVIL;
    BatchNormalisation p =
        BatchNormalisation.of(
            evil,
            List.of(new SampleStatus("s", evil, null, null, "NO_BATCH", null)),
            List.of(),
            List.of(),
            Map.of());
    String html =
        ReportRenderer.render(withNormalisation(ReportRendererTest.model(null, null), List.of(p)));
    ReportRendererTest.parse(html);
    assertFalse(html.contains("<script>"));
    assertTrue(html.contains("No control aliquot of this panel has clean events"), html);
  }

  static ReportModel withNormalisation(ReportModel b, List<BatchNormalisation> n) {
    return b.toBuilder().normalisation(n).build();
  }

  static List<String> ids(ControlChart c) {
    return c.points().stream().map(ControlMedian::sampleId).toList();
  }

  static String text(NodeList svgs, int i) {
    return svgs.item(i).getTextContent();
  }

  static int count(Element e, String tag, String attribute, String contains) {
    NodeList l = e.getElementsByTagName(tag);
    int n = 0;
    for (int i = 0; i < l.getLength(); i++) {
      if (((Element) l.item(i)).getAttribute(attribute).contains(contains)) {
        n++;
      }
    }
    return n;
  }
}
