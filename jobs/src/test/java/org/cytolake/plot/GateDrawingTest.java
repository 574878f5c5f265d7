package org.cytolake.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.cytometry.transform.TransformSpec;
import org.cytolake.gating.CompactGatingReader;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.ResolvedThreshold;
import org.cytolake.report.GatingQc;
import org.junit.jupiter.api.Test;

/** Which gates the report's gating QC draws, on which axes, and the figures of binned counts. */
class GateDrawingTest {
  static final String STRATEGY =
      """
      transforms:
        half: "linear:T=2,A=0"
      gates:
        - {id: cells, rectangle: [{dim: fsc_a, min: 10}]}
        - {id: T, parent: cells, rectangle: [{dim: cd3, min: 1}, {dim: cd4, min: 1}]}
        - {id: q, parent: T, quadrant: {dividers: [{id: d4, dim: cd4, values: [2]}, {id: d8, dim: cd8, values: [2]}], quadrants: {CD4p: {d4: 3, d8: 1}, CD8p: {d4: 1, d8: 3}}}}
        - {id: scaled, parent: cells, rectangle: [{dim: cd3, transform: half, max: 0.25}]}
        - {id: _h, rectangle: [{dim: cd3, min: 0}]}
        - {id: both, parent: cells, and: [_h, T]}
        - {id: nocol, parent: cells, rectangle: [{dim: zzz, min: 0}]}
        - {id: ex, parent: cells, rectangle: [{dim: extra, min: 0}]}
        - {id: onboth, parent: both, rectangle: [{dim: cd3, min: 0}]}
        - {id: under, parent: nocol, rectangle: [{dim: cd3, min: 0}]}
      """;

  static final Set<String> EVENT_COLUMNS =
      Set.of("sample_id", "fsc_a", "cd3", "cd4", "cd8", "extra");

  static PanelConfig panel() {
    Transform none = TransformSpec.parse("none");
    return new PanelConfig(
        "P1",
        "test",
        "a test panel",
        List.of(
            new ChannelConfig("FSC-A", null, "fsc_a", none, false),
            new ChannelConfig("BV421-A", "CD3", "cd3", none, true),
            new ChannelConfig("FITC-A", "CD4", "cd4", none, true),
            new ChannelConfig("PE-A", "CD8", "cd8", none, true)),
        null);
  }

  static GateDrawing.Plan plan(GatingStrategy s) {
    return GateDrawing.plan(panel(), s, EVENT_COLUMNS, p -> !p.equals("both"));
  }

  @Test
  void drawableGatesAreOnPlainColumnsOfThePanelWithTheReasonForEveryOther() throws Exception {
    GatingStrategy s = CompactGatingReader.read(STRATEGY, "test", false);
    GateDrawing.Plan plan = plan(s);
    assertEquals(
        List.of("cells", "T", "q"), plan.drawn().stream().map(GateDrawing::gateId).toList());
    assertEquals(
        List.of(
            "gate scaled is not drawn: dimension cd3 is a ratio or transformed",
            "gate both is not drawn: a Boolean gate has no axes of its own",
            "gate nocol is not drawn: dimension zzz is not a column of the events",
            "gate ex is not drawn: a dimension is not a channel of the panel",
            "gate onboth is not drawn: its parent both is not a plain expression of the columns",
            "gate under is not drawn: its parent reads zzz, not a column of the events"),
        plan.notes());

    GateDrawing cells = plan.drawn().get(0);
    assertEquals(0, cells.index());
    assertNull(cells.parent());
    assertNull(cells.y(), "a one-dimensional gate is drawn on a histogram");
    assertEquals(List.of("cells"), cells.populations());
    GateDrawing t = plan.drawn().get(1);
    assertEquals("cells", t.parent());
    assertEquals("cd3", t.x().column());
    assertEquals("cd4", t.y().column());
    GateDrawing q = plan.drawn().get(2);
    assertEquals(2, q.index());
    assertEquals(List.of(s.path("CD4p"), s.path("CD8p")), q.populations());
    assertEquals(List.of("fsc_a", "cd3", "cd4", "cd8"), plan.axisColumns());
  }

  @Test
  void countsBecomePooledFiguresAndOnesPerSampleFlaggedInTheGatesPopulation() throws Exception {
    GatingStrategy s = CompactGatingReader.read(STRATEGY, "test", false);
    GateDrawing.Plan plan = plan(s);
    Map<String, BinAxis> axes = new LinkedHashMap<>();
    plan.axisColumns().forEach(c -> axes.put(c, new BinAxis(0, 10, 4)));
    GateFigures f = new GateFigures(plan.drawn(), axes);
    f.add(0, null, 1, 0, 5);
    f.add(0, "s1", 2, 0, 3);
    f.add(1, "s1", 1, 1, 2);
    f.add(1, "s2", 3, 3, 7);
    Map<String, Set<String>> flagged = new LinkedHashMap<>();
    flagged.put("s1", Set.of(s.path("T")));
    flagged.put("s2", Set.of(s.path("T"), s.path("CD8p")));
    List<GatingQc.GateFigure> figures = f.figures("P1", s, flagged, 300, 200);

    assertEquals(
        List.of("cells", "T", "q"), figures.stream().map(GatingQc.GateFigure::gate).toList());
    assertEquals(
        List.of("all samples"),
        figures.get(0).plots().stream().map(GatingQc.Plot::samples).toList());
    String pooled = figures.get(0).plots().get(0).svg();
    assertTrue(pooled.contains("8 events, 4 bins"), pooled);
    assertTrue(pooled.contains("all samples · parent all events"), pooled);

    GatingQc.GateFigure t = figures.get(1);
    assertEquals(s.path("T"), t.population());
    assertEquals(
        List.of("all samples", "s1", "s2"),
        t.plots().stream().map(GatingQc.Plot::samples).toList());
    assertTrue(t.plots().get(0).svg().contains("9 events, 4 bins"), t.plots().get(0).svg());
    String s1 = t.plots().get(1).svg();
    assertTrue(s1.contains("2 events, 4 bins"), s1);
    assertTrue(s1.contains("sample s1 · parent cells"), s1);
    assertTrue(s1.contains("P1 gate T on CD3 vs CD4"), s1);

    // s2 is flagged in CD8p, a quadrant of q: drawn there without counts of its own
    GatingQc.GateFigure q = figures.get(2);
    assertEquals(
        List.of("all samples", "s2"), q.plots().stream().map(GatingQc.Plot::samples).toList());
    assertTrue(q.plots().get(1).svg().contains("0 events, 4 bins"), q.plots().get(1).svg());
  }

  @Test
  void aFlaggedSamplesPlotDrawsItsOwnAdaptiveThresholdAndThePooledOneSaysTheyVary()
      throws Exception {
    GatingStrategy s =
        CompactGatingReader.read(
            """
            gates:
              - {id: cells, rectangle: [{dim: fsc_a, min: 10}]}
              - id: T
                parent: cells
                rectangle: [{dim: cd3, min: {auto: valley, window: [0, 10], fallback: 5}}]
            """,
            "auto",
            false);
    GateDrawing.Plan plan = plan(s);
    Map<String, BinAxis> axes = new LinkedHashMap<>();
    plan.axisColumns().forEach(c -> axes.put(c, new BinAxis(0, 10, 4)));
    GateFigures f = new GateFigures(plan.drawn(), axes);
    f.add(1, "s1", 1, 0, 2);
    Map<String, Set<String>> flagged = Map.of("s1", Set.of(s.path("T")));
    Map<String, List<ResolvedThreshold>> thresholds =
        Map.of(
            "s1",
            List.of(new ResolvedThreshold("T", "cd3", "min", 3.25, "valley", false, "found")),
            "s2",
            List.of(new ResolvedThreshold("T", "cd3", "min", 5, "valley", true, "no second mode")));
    List<GatingQc.Plot> plots = f.figures("P1", s, flagged, thresholds, 300, 200).get(1).plots();
    String pooled = plots.get(0).svg();
    // JFreeChart wraps a long subtitle at the plot's width
    assertTrue(pooled.contains("T: found per sample, fallback drawn; cd3 min 3.25-"), pooled);
    assertTrue(pooled.contains("fallback)"), pooled);
    String s1 = plots.get(1).svg();
    assertTrue(s1.contains("T: cd3 min auto (valley) 3.25"), s1);
  }
}
