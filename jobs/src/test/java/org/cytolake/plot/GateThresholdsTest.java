package org.cytolake.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cytolake.gating.CompactGatingReader;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.RectangleGate;
import org.cytolake.gating.ResolvedThreshold;
import org.junit.jupiter.api.Test;

/** Which threshold a plot draws for which sample, and how its subtitle says it. */
class GateThresholdsTest {
  static final String STRATEGY =
      """
      gates:
        - {id: cells, rectangle: [{dim: fsc_a, min: 10}]}
        - {id: CD4, parent: cells, rectangle: [{dim: cd4, min: 2.8}]}
        - {id: _ref, parent: CD4, rectangle: [{dim: cd127, min: 2.45}]}
        - id: Treg
          parent: CD4
          rectangle:
            - {dim: cd25, min: {auto: tail, reference: _ref, quantile: 0.8, fallback: 2.0}}
            - {dim: cd127, max: {auto: valley, window: [0, 5], fallback: 2.45}}
      """;

  static GatingStrategy strategy() throws Exception {
    return CompactGatingReader.read(STRATEGY, "P1.yaml", false);
  }

  static ResolvedThreshold t(String dim, String side, double v, String method, boolean fb) {
    return new ResolvedThreshold(
        "Treg",
        dim,
        side,
        v,
        method,
        fb,
        fb ? "modes at 1 and 3: above maxValleyRatio 0.8; fallback " + v : "found");
  }

  static final List<ResolvedThreshold> S1 =
      List.of(t("cd25", "min", 2.3123, "tail", false), t("cd127", "max", 2.45, "valley", true));

  @Test
  void aSamplesGateIsDrawnAtItsOwnThresholds() throws Exception {
    GatingStrategy s = strategy();
    RectangleGate r = (RectangleGate) GateThresholds.resolve(s.gates().get("Treg"), S1);
    assertArrayEquals(new double[] {2.3123, Double.NEGATIVE_INFINITY}, r.min());
    assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 2.45}, r.max());
    assertEquals(List.of(), r.auto());
    // a fixed gate is left as it is; a limit without a threshold keeps its fallback
    assertSame(s.gates().get("CD4"), GateThresholds.resolve(s.gates().get("CD4"), S1));
    RectangleGate none = (RectangleGate) GateThresholds.resolve(s.gates().get("Treg"), List.of());
    assertArrayEquals(new double[] {2.0, Double.NEGATIVE_INFINITY}, none.min());
  }

  @Test
  void theOutlineOfASampleLiesAtItsThreshold() throws Exception {
    GatingStrategy s = strategy();
    BinAxis x = new BinAxis(0, 5, 10);
    AxisProjection p = AxisProjection.byName("cd25", "cd127");
    List<GateOutline> o = GateThresholds.outlines(s, S1, p, x, x);
    assertEquals(List.of("_ref", "Treg"), o.stream().map(GateOutline::gateId).toList());
    assertEquals(List.of(2.3123), verticals(o.get(1)));
    assertEquals(List.of(2.0), verticals(GateOutline.of(s, p, x, x).get(1)));
  }

  /** The x of every vertical line of an outline. */
  static List<Double> verticals(GateOutline o) {
    return o.lines().stream()
        .filter(l -> l.x()[0] == l.x()[l.x().length - 1] && l.y()[0] != l.y()[l.y().length - 1])
        .map(l -> l.x()[0])
        .distinct()
        .toList();
  }

  @Test
  void labelsSayAutoOrFallbackAndWhy() {
    assertEquals("auto (tail) 2.31", GateThresholds.label(S1.get(0)));
    assertEquals("fallback 2.45 (no valley)", GateThresholds.label(S1.get(1)));
    ResolvedThreshold few =
        new ResolvedThreshold(
            "Treg",
            "cd25",
            "min",
            2,
            "tail",
            true,
            "reference '_ref' has 3 values, fewer than" + " minCount 100; fallback 2.0");
    assertEquals("fallback 2.0 (too few events)", GateThresholds.label(few));
    assertEquals("45000", GateThresholds.number(45_012));
    assertEquals("0.0123", GateThresholds.number(0.012345));
    assertEquals("-1.5", GateThresholds.number(-1.5));
  }

  @Test
  void aSamplesSubtitleNamesEachLimit() throws Exception {
    GatingStrategy s = strategy();
    assertEquals(
        List.of("Treg: cd25 min auto (tail) 2.31, cd127 max fallback 2.45 (no valley)"),
        GateThresholds.sampleLines(s, List.of("CD4", "Treg"), S1));
    assertEquals(
        List.of(
            "Treg: cd25 min auto (tail) 2.31, cd127 max fallback 2.45 drawn (no threshold of this"
                + " sample)"),
        GateThresholds.sampleLines(s, List.of("Treg"), S1.subList(0, 1)));
    assertEquals(List.of(), GateThresholds.sampleLines(s, List.of("CD4"), S1));
  }

  @Test
  void aPooledSubtitleSaysTheyVaryAndTheirRange() throws Exception {
    GatingStrategy s = strategy();
    Map<String, List<ResolvedThreshold>> by = new LinkedHashMap<>();
    by.put("S1", S1);
    by.put(
        "S2",
        List.of(t("cd25", "min", 2.6, "tail", false), t("cd127", "max", 2.2, "valley", false)));
    assertEquals(
        List.of(
            "Treg: found per sample, fallback drawn; cd25 min 2.31-2.6 in 2 samples, cd127 max"
                + " 2.2-2.45 in 2 samples (1 fallback)"),
        GateThresholds.pooledLines(s, List.of("Treg"), by));
    assertEquals(
        List.of("Treg: found per sample, fallback drawn (cd25 min 2.0, cd127 max 2.45)"),
        GateThresholds.pooledLines(s, List.of("Treg"), Map.of()));
  }

  @Test
  void gateThresholdsRowsAreRenamedToGateIds() throws Exception {
    ResolvedThreshold byPath =
        new ResolvedThreshold("cells/CD4/Treg", "cd25", "min", 2.3, "tail", false, "found");
    ResolvedThreshold other =
        new ResolvedThreshold("cells/CD8/Treg", "cd25", "min", 2.3, "tail", false, "found");
    assertEquals(
        List.of(new ResolvedThreshold("Treg", "cd25", "min", 2.3, "tail", false, "found")),
        GateThresholds.byGateId(strategy(), List.of(byPath, other)));
  }

  @Test
  void gateThresholdsPathsMapToGateIds() throws Exception {
    assertEquals(Map.of("cells/CD4/Treg", "Treg"), GateThresholds.gateIds(strategy()));
  }
}
