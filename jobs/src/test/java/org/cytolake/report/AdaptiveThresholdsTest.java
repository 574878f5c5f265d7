package org.cytolake.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A panel's data-adaptive limits across its samples: the summary, the drift figure, the page. */
class AdaptiveThresholdsTest {
  static final String TREG = "cells/CD4/Treg";

  static AdaptiveThresholds.Entry e(String sample, String dim, double t, boolean fb, String date) {
    return new AdaptiveThresholds.Entry(
        sample,
        TREG,
        dim,
        "max",
        "valley",
        t,
        fb,
        date == null ? null : LocalDate.parse(date),
        "B1");
  }

  static List<AdaptiveThresholds> limits() {
    return AdaptiveThresholds.of(
        List.of(
            e("s3", "cd127", 2.6, false, "2014-03-01"),
            e("s1", "cd127", 2.2, false, "2014-01-06"),
            e("s9", "cd127", 2.45, true, null),
            e("s2", "cd127", 2.45, true, "2014-01-06"),
            e("s1", "cd25", 2.0, false, "2014-01-06")));
  }

  @Test
  void rowsGroupPerLimitOrderedByDateWithTheirSummary() {
    List<AdaptiveThresholds> l = limits();
    assertEquals(List.of("cd127", "cd25"), l.stream().map(AdaptiveThresholds::dimension).toList());
    AdaptiveThresholds cd127 = l.get(0);
    assertEquals(
        List.of("s1", "s2", "s3", "s9"),
        cd127.points().stream().map(AdaptiveThresholds.Point::sampleId).toList());
    assertEquals(2, cd127.fallbacks());
    assertEquals(1, cd127.undated());
    assertEquals(2.45, cd127.median(), 1e-12);
    assertEquals(2.2, cd127.min(), 1e-12);
    assertEquals(2.6, cd127.max(), 1e-12);
    assertEquals("cells/CD4/Treg: cd127 max (valley)", cd127.title());
  }

  @Test
  void theFigureHasADotPerDatedSampleFallbacksMarked() {
    String svg = Charts.thresholds("P1", limits().get(0));
    assertTrue(svg.contains("P1 cells/CD4/Treg: cd127 max (valley) by acquisition date"), svg);
    assertEquals(3, svg.split("<circle").length - 1, svg);
    assertEquals(1, svg.split("class=\"dot fallback\"").length - 1, svg);
    assertTrue(svg.contains("s2 · 2014-01-06 · batch B1 · fallback 2.45"), svg);
    assertTrue(svg.contains("s3 · 2014-03-01 · batch B1 · valley 2.6"), svg);
    assertTrue(svg.contains("3 samples, 2 fallback (orange)"), svg);
    assertFalse(svg.contains("s9"), "a sample without a date is not on the date axis");
  }

  @Test
  void thePageHasTheSectionOnlyWhenThePanelHasAdaptiveLimits() throws Exception {
    List<String> pops = List.of("cells/T");
    List<GatingQc.SampleRow> rows =
        GatingQc.table(
            pops,
            List.of(new GatingQc.Pct("s1", "D1", "cells/T", 50)),
            List.of(),
            GatingQcTest.VISITS);
    String with =
        GatingQcTest.render(new GatingQc("P1", List.of(), pops, rows, List.of(), limits()));
    assertTrue(with.contains("<h4>Adaptive thresholds</h4>"), with);
    assertTrue(with.contains("data-plot=\"thresholds-P1-cells/CD4/Treg-cd127-max\""), with);
    assertTrue(with.contains("<td class=\"num flagged\">2</td>"), with);
    ReportRendererTest.parse(with);
    String without = GatingQcTest.render(new GatingQc("P1", List.of(), pops, rows, List.of()));
    assertFalse(without.contains("Adaptive thresholds"), without);
  }
}
