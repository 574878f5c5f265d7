package org.cytolake.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cytolake.report.GatingQc.Cell;
import org.cytolake.report.GatingQc.Flag;
import org.cytolake.report.GatingQc.Pct;
import org.cytolake.report.GatingQc.SampleRow;
import org.junit.jupiter.api.Test;

/** The gating QC table, its outliers and flagged samples, and how the page shows them. */
class GatingQcTest {
  static final Comparator<String> VISITS =
      org.cytolake.config.VisitSchedule.order(List.of("D1", "D8", "M6"));

  /** Eight samples; s7 is far from the others on T (R: mad(c(60,61,62,63,64,65,66,20))). */
  /** The report of {@link ReportRendererTest#model} with {@code q} its one gating QC section. */
  static String render(GatingQc q) throws Exception {
    ReportModel base = ReportRendererTest.model(null, null);
    return ReportRenderer.render(base.toBuilder().gatingQc(List.of(q)).build());
  }

  static List<Pct> values() {
    List<Pct> v = new ArrayList<>();
    double[] t = {60, 61, 62, 63, 64, 65, 66, 20};
    for (int i = 0; i < t.length; i++) {
      String visit = i % 2 == 0 ? "M6" : "D1";
      v.add(new Pct("s" + i, visit, "cells/T", t[i]));
      v.add(new Pct("s" + i, visit, "cells/T/CD4", 50 + i * 0.5));
    }
    return v;
  }

  @Test
  void outliersAreMoreThanThreeMadsFromThePanelsMedianAndFlagsAreMarked() {
    List<String> pops = List.of("cells/T", "cells/T/CD4");
    List<SampleRow> rows =
        GatingQc.table(
            pops,
            values(),
            List.of(
                new Flag("s2", "cells/T/CD4", "LOW_COUNT"),
                new Flag("s2", "cells/T/CD4", "EMPTY_GATE")),
            VISITS);
    assertEquals(8, rows.size());
    // visit order (D1 before M6), then sample id
    assertEquals(
        List.of("s1", "s3", "s5", "s7", "s0", "s2", "s4", "s6"),
        rows.stream().map(SampleRow::sampleId).toList());
    SampleRow s7 = rows.get(3);
    Cell t7 = s7.cells().get(0);
    assertTrue(t7.outlier());
    // median 62.5, MAD 1.4826 * 2 = 2.9652
    assertEquals((20 - 62.5) / 2.9652, t7.madDistance(), 1e-9);
    assertFalse(s7.cells().get(1).marked());
    SampleRow s2 = rows.get(5);
    assertEquals(List.of("EMPTY_GATE", "LOW_COUNT"), s2.cells().get(1).flags());
    assertFalse(s2.cells().get(1).outlier());
    assertEquals(2, rows.stream().filter(SampleRow::marked).count());

    assertEquals(
        Map.of("s2", Set.of("cells/T/CD4"), "s7", Set.of("cells/T")),
        GatingQc.flaggedSamples(pops, rows, 6));
    assertEquals(1, GatingQc.flaggedSamples(pops, rows, 1).size());
  }

  @Test
  void aSampleWithOnlyAFlagHasARowAndMissingValuesAreBlank() {
    List<SampleRow> rows =
        GatingQc.table(
            List.of("cells/T"), values(), List.of(new Flag("x9", "cells/T", "EMPTY_GATE")), VISITS);
    SampleRow x9 = rows.get(rows.size() - 1);
    assertEquals("x9", x9.sampleId());
    assertTrue(Double.isNaN(x9.cells().get(0).pct()));
    assertTrue(x9.marked());
    assertThrows(
        IllegalArgumentException.class,
        () -> new GatingQc("P1", List.of(), List.of("a", "b"), rows, List.of()));
  }

  @Test
  void thePageShowsEachPlotTitledAndTheTableMarked() throws Exception {
    List<String> pops = List.of("cells/T", "cells/T/CD4");
    List<SampleRow> rows = GatingQc.table(pops, values(), List.of(), VISITS);
    String svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"200\">"
            + "<rect x=\"0\" y=\"0\" width=\"10\" height=\"10\"/><text>P1 gate T on CD3</text></svg>";
    GatingQc q =
        new GatingQc(
            "P1",
            List.of(
                new GatingQc.GateFigure(
                    "T",
                    "cells/T",
                    List.of(new GatingQc.Plot("all samples", svg), new GatingQc.Plot("s7", svg)))),
            pops,
            rows,
            List.of("gate lymphocytes is not drawn: a Boolean gate has no axes of its own"));
    String html = render(q);
    assertTrue(html.contains("<section id=\"" + ReportRenderer.GATING_QC + "\">"), html);
    assertTrue(html.contains("aria-label=\"P1 gate T (cells/T), all samples\""), html);
    assertTrue(html.contains("aria-label=\"P1 gate T (cells/T), s7\""), html);
    assertTrue(html.contains("<td class=\"num outlier\""), html);
    assertTrue(html.contains("Boolean gate"), html);
    ReportRendererTest.parse(html); // still well-formed XML
  }
}
