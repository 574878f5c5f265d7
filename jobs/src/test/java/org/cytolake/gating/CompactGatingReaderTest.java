package org.cytolake.gating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * The compact YAML/JSON form: the same gates as in the compliance document gates1.xml, written compactly, select
 * the same events of data1.fcs as the XML does (whose results match the ISAC truth files, see
 * {@link GatingMlComplianceTest}); and every problem is reported with the gate and key.
 */
class CompactGatingReaderTest {

  private static final String GATES1_SUBSET =
      String.join(
          "\n",
          "compensation: uncompensated",
          "transforms:",
          "  MyRatLog: log:T=100,M=2",
          "  FL2Rat1: {ratio: [FL2-H, FL2-A], A: 1, B: 0, C: -1}",
          "  Logicle_10000_0.5_4.5_0: logicle:T=10000,W=0.5,M=4.5,A=0",
          "  Hyperlog_10000_1_4.5_0: hyperlog:T=10000,W=1,M=4.5,A=0",
          "matrices:",
          "  MySpill:",
          "    fluorochromes: [FITC, PE, PerCP]",
          "    detectors: [FL1-H, FL2-H, FL3-H]",
          "    spectra: [[1, 0.02, 0.06], [0.11, 1, 0.07], [0.09, 0.01, 1]]",
          "gates:",
          "  - {id: Range1, rectangle: [{dim: FSC-H, min: 100}]}",
          "  - id: Polygon1",
          "    polygon:",
          "      dims: [{dim: FL2-H, compensation: FCS}, {dim: FL3-H, compensation: FCS}]",
          "      vertices: [[5, 5], [500, 5], [500, 500], [499.999999, 500], [5, 5.000001]]",
          "  - id: Ellipse1",
          "    ellipsoid: {dims: [FL3-H, FL4-H], mean: [12.99701, 16.22941],",
          "                covariance: [[62.5, 37.5], [37.5, 62.5]], distanceSquare: 1}",
          "  - id: Quadrant1",
          "    quadrant:",
          "      dividers:",
          "        - {id: FL2, dim: FL2-H, compensation: FCS, values: [12.14748]}",
          "        - {id: FL4, dim: FL4-H, compensation: FCS, values: [14.22417]}",
          "      quadrants:",
          "        FL2P-FL4P: {FL2: 15, FL4: 15}",
          "        FL2N-FL4P: {FL2: 5, FL4: 15}",
          "        FL2N-FL4N: {FL2: 5, FL4: 5}",
          "        FL2P-FL4N: {FL2: 15, FL4: 5}",
          "  - {id: RatRange1a, rectangle: [{ratio: FL2Rat1, transform: MyRatLog, min: 0.40625, max: 0.6601562}]}",
          "  - {id: And3, and: [Range1, '!Ellipse1', Polygon1]}",
          "  - {id: Not1, not: Ellipse1}",
          "  - {id: ParAnd3, parent: Range1, and: ['!Ellipse1', Polygon1]}",
          "  - id: ScaleRect1",
          "    rectangle:",
          "      - {dim: PE, compensation: MySpill, transform: Logicle_10000_0.5_4.5_0, min: 0.31, max: 0.69}",
          "      - {dim: PerCP, compensation: MySpill, transform: Logicle_10000_0.5_4.5_0, min: 0.27, max: 0.73}",
          "  - id: ScalePar1",
          "    parent: ScaleRect1",
          "    rectangle: [{dim: FITC, compensation: MySpill, transform: Hyperlog_10000_1_4.5_0, min: 0.12, max: 0.43}]",
          "");

  @Test
  void compactFormSelectsTheSameEventsAsGatingMl() throws Exception {
    Path dir = SharedData.sharedOrSkip("gatingml2-compliance/isac-gml2");
    EventTable events = EventTable.read(dir.resolve("FCSFiles/data1.fcs"));
    GatingResult xml =
        GateFcs.apply(GatingMlReader.read(dir.resolve("Gating-MLFiles/gates1.xml")), events);
    GatingStrategy compact = CompactGatingReader.read(GATES1_SUBSET, "gates1-subset.yaml", false);
    GatingResult yaml = GateFcs.apply(compact, events);
    assertEquals(
        List.of(
            "Range1",
            "Polygon1",
            "Ellipse1",
            "FL2P-FL4P",
            "FL2N-FL4P",
            "FL2N-FL4N",
            "FL2P-FL4N",
            "RatRange1a",
            "And3",
            "Not1",
            "ParAnd3",
            "ScaleRect1",
            "ScalePar1"),
        yaml.populations());
    for (String p : yaml.populations()) {
      assertEquals(xml.events(p), yaml.events(p), p);
    }
    assertEquals(440, yaml.count("Range1"));
    assertEquals(558, yaml.count("ScalePar1"));
  }

  @Test
  void readsJsonToo() throws Exception {
    GatingStrategy s =
        CompactGatingReader.read(
            "{\"gates\": [{\"id\": \"R\", \"rectangle\": [{\"dim\": \"x\","
                + " \"max\": 1}]}, {\"id\": \"N\", \"not\": \"R\"}]}",
            "g.json",
            true);
    GatingResult r = GateFcs.apply(s, GatingTestSupport.xy(0, 0, 2, 0));
    assertEquals("10", GatingTestSupport.bits(r, "R"));
    assertEquals("01", GatingTestSupport.bits(r, "N"));
  }

  @Test
  void reportsEveryProblemWithGateAndKey() {
    GatingMlException e =
        assertThrows(
            GatingMlException.class,
            () ->
                CompactGatingReader.read(
                    String.join(
                        "\n",
                        "colour: red",
                        "transforms:",
                        "  bad: logicle:T=-1",
                        "gates:",
                        "  - {rectangle: [{dim: x, min: 0}]}",
                        "  - {id: R, rectangle: [{dim: x}]}",
                        "  - {id: P, polygon: {dims: [x, y], vertices: [[0, 0], [1, 'a'], [1, 1]]}}",
                        "  - {id: B, and: [R], or: [R, P]}",
                        ""),
                    "bad.yaml",
                    false));
    String m = e.getMessage();
    assertTrue(m.startsWith("Cannot read compact gating file 'bad.yaml': "), m);
    assertTrue(m.contains("unknown top-level key 'colour'"), m);
    assertTrue(
        m.contains(
            "transform 'bad': Cannot parse transform 'logicle:T=-1': Cannot create logicle transform"),
        m);
    assertTrue(m.contains("gates[0]: no id"), m);
    assertTrue(m.contains("gates[1] 'R': rectangle dimension 1 has neither min nor max"), m);
    assertTrue(m.contains("gates[2] 'P': vertices value 2 of row 2 is not a number: \"a\""), m);
    assertTrue(
        m.contains(
            "gates[3] 'B': needs exactly one of rectangle, polygon, ellipsoid, quadrant, and, or, not;"
                + " it has and, or"),
        m);
    assertEquals(6, e.problems().size(), m);

    GatingMlException refs =
        assertThrows(
            GatingMlException.class,
            () ->
                CompactGatingReader.read(
                    "gates: [{id: A, parent: Z, rectangle: [{dim: x, min: 0, transform: T}]}]",
                    "r.yaml",
                    false));
    assertTrue(
        refs.getMessage().contains("RectangleGate 'A' has parent_id 'Z' which is no gate"),
        refs.getMessage());
    assertTrue(
        refs.getMessage().contains("has transformation-ref 'T' which is no transformation"),
        refs.getMessage());

    GatingMlException syntax =
        assertThrows(
            GatingMlException.class, () -> CompactGatingReader.read("gates: [", "s.yaml", false));
    assertTrue(
        syntax
            .getMessage()
            .startsWith("Cannot read compact gating file 's.yaml': not well-formed YAML"),
        syntax.getMessage());
  }

  @Test
  void readsAutoLimitsWithTheirFallbackAsTheFixedLimit() throws Exception {
    GatingStrategy s =
        CompactGatingReader.read(
            String.join(
                "\n",
                "gates:",
                "  - {id: CD4, rectangle: [{dim: cd4, min: 2}]}",
                "  - id: Treg",
                "    parent: CD4",
                "    rectangle:",
                "      - {dim: cd25, min: {auto: tail, reference: CD4, quantile: 0.95, fallback: 2.0,"
                    + " bounds: [1, 3], minCount: 50}}",
                "      - {dim: cd127, max: {auto: valley, window: [0.5, 4.5], fallback: 2.45,"
                    + " maxValleyRatio: 0.6, adjust: 1.5}}",
                ""),
            "auto.yaml",
            false);
    RectangleGate r = (RectangleGate) s.gates().get("Treg");
    assertTrue(r.isAdaptive());
    assertEquals(2.0, r.min()[0]);
    assertEquals(2.45, r.max()[1]);
    assertEquals(Double.NEGATIVE_INFINITY, r.min()[1]);
    assertEquals(2, r.auto().size());
    RectangleGate.AutoLimit tail = r.auto().get(0);
    assertEquals(0, tail.dimension());
    assertEquals("min", tail.side());
    assertEquals(
        new AdaptiveThresholdSpec(
            AdaptiveThresholdSpec.Method.TAIL,
            Double.NaN,
            Double.NaN,
            1,
            3,
            "CD4",
            0.95,
            2.0,
            50,
            AdaptiveThresholdSpec.MAX_VALLEY_RATIO_DEFAULT,
            AdaptiveThresholdSpec.ADJUST_DEFAULT),
        tail.spec());
    RectangleGate.AutoLimit valley = r.auto().get(1);
    assertEquals("max", valley.side());
    // bounds default to the window
    assertEquals(
        new AdaptiveThresholdSpec(
            AdaptiveThresholdSpec.Method.VALLEY,
            0.5,
            4.5,
            0.5,
            4.5,
            null,
            Double.NaN,
            2.45,
            AdaptiveThresholdSpec.MIN_COUNT_DEFAULT,
            0.6,
            1.5),
        valley.spec());
  }

  @Test
  void reportsEveryAutoProblemWithFileGateAndKey() {
    GatingMlException e =
        assertThrows(
            GatingMlException.class,
            () ->
                CompactGatingReader.read(
                    String.join(
                        "\n",
                        "gates:",
                        "  - {id: A, rectangle: [{dim: x, min: {auto: median, fallback: 1}}]}",
                        "  - {id: B, rectangle: [{dim: x, max: {auto: valley, window: [4, 1],"
                            + " fallback: 2}}]}",
                        "  - {id: C, rectangle: [{dim: x, min: {auto: valley, window: [0, 4]}}]}",
                        "  - {id: D, rectangle: [{dim: x, min: {auto: tail, reference: A, quantile:"
                            + " 0.99, window: [0, 1], fallback: 2}}]}",
                        "  - {id: E, rectangle: [{dim: y, min: {auto: tail, quantile: 1.5,"
                            + " reference: A, fallback: 2}}]}",
                        "  - {id: F, rectangle: [{dim: x, min: {auto: valley, window: [0, 4],"
                            + " fallback: 2, colour: red}}]}",
                        "  - {id: G, rectangle: [{dim: x, min: {auto: valley, window: [0, 4],"
                            + " fallback: 2, minCount: 1.5}}]}",
                        ""),
                    "bad-auto.yaml",
                    false));
    String m = e.getMessage();
    assertTrue(m.startsWith("Cannot read compact gating file 'bad-auto.yaml': "), m);
    assertTrue(
        m.contains(
            "gates[0] 'A': rectangle dimension 1 'x' min: auto must be valley or tail, not"
                + " \"median\""),
        m);
    assertTrue(
        m.contains(
            "gates[1] 'B': rectangle dimension 1 'x' max: window must be [lo, hi] with lo <"
                + " hi, not [4,1]"),
        m);
    assertTrue(
        m.contains("gates[2] 'C': rectangle dimension 1 'x' min: auto: valley needs a fallback"),
        m);
    assertTrue(
        m.contains(
            "gates[3] 'D': rectangle dimension 1 'x' min: window applies only to auto:"
                + " valley"),
        m);
    assertTrue(
        m.contains(
            "gates[4] 'E': rectangle dimension 1 'y' min: quantile must be in (0, 1), not"
                + " 1.5"),
        m);
    assertTrue(m.contains("gates[5] 'F': rectangle dimension 1 'x' min: unknown key 'colour'"), m);
    assertTrue(
        m.contains(
            "gates[6] 'G': rectangle dimension 1 'x' min: minCount must be an integer, not"
                + " 1.5"),
        m);
    assertEquals(7, e.problems().size(), m);

    GatingMlException refs =
        assertThrows(
            GatingMlException.class,
            () ->
                CompactGatingReader.read(
                    String.join(
                        "\n",
                        "gates:",
                        "  - {id: P, rectangle: [{dim: x, min: {auto: tail, reference: Q, quantile:"
                            + " 0.9, fallback: 1}}]}",
                        "  - {id: Q, parent: P, rectangle: [{dim: x, min: 0}]}",
                        "  - {id: R, rectangle: [{dim: x, min: {auto: tail, reference: nope,"
                            + " quantile: 0.9, fallback: 1}}]}",
                        ""),
                    "refs.yaml",
                    false));
    assertTrue(
        refs.getMessage()
            .contains(
                "RectangleGate 'R' dimension 'x' auto min has reference 'nope' which is no gate"),
        refs.getMessage());

    GatingMlException cycle =
        assertThrows(
            GatingMlException.class,
            () ->
                CompactGatingReader.read(
                    String.join(
                        "\n",
                        "gates:",
                        "  - {id: P, rectangle: [{dim: x, min: {auto: tail, reference: Q, quantile:"
                            + " 0.9, fallback: 1}}]}",
                        "  - {id: Q, parent: P, rectangle: [{dim: x, min: 0}]}",
                        ""),
                    "cycle.yaml",
                    false));
    assertTrue(
        cycle.getMessage().contains("gates refer to each other in a cycle: P -> Q -> P"),
        cycle.getMessage());
  }
}
