package org.cytolake.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.cytolake.gating.CompactGatingReader;
import org.cytolake.gating.EventTable;
import org.cytolake.gating.GateEvaluator;
import org.cytolake.gating.GatingResult;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

/** The event-by-event filter decides every event of every population as {@link GateEvaluator} does. */
class PopulationFilterTest {
  static final List<String> COLUMNS = List.of("a", "b", "c", "d");

  static final String STRATEGY =
      """
      transforms:
        half: "linear:T=2,A=0"
      gates:
        - {id: top, rectangle: [{dim: a, min: -1.5}]}
        - {id: poly, parent: top, polygon: {dims: [a, b], vertices: [[-1, -1], [2, -1], [2, 2], [0, 0.5]]}}
        - {id: ell, parent: top, ellipsoid: {dims: [b, c], mean: [0, 0.5], covariance: [[1, 0.3], [0.3, 0.5]], distanceSquare: 2}}
        - {id: q, parent: poly, quadrant: {dividers: [{id: dc, dim: c, values: [0]}, {id: dd, dim: d, values: [-0.5, 0.5]}], quadrants: {cpos_dmid: {dc: 1, dd: 0}, cneg: {dc: -1}}}}
        - {id: scaled, rectangle: [{dim: d, transform: half, max: 0.25}]}
        - {id: either, parent: top, or: [ell, "!scaled"]}
        - {id: notpoly, not: poly}
        - {id: _h, rectangle: [{dim: b, min: 0}]}
        - {id: both, parent: ell, and: [_h, cpos_dmid]}
      """;

  @Test
  void everyPopulationOfRandomEventsMatchesTheEvaluator() throws Exception {
    GatingStrategy s = CompactGatingReader.read(STRATEGY, "test", false);
    Random r = new Random(3);
    int n = 20_000;
    double[] values = new double[n * COLUMNS.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = i % 211 == 0 ? Double.NaN : r.nextGaussian();
    }
    GatingResult truth = GateEvaluator.evaluate(s, new EventTable("t", COLUMNS, n, values, null));
    for (String p : s.populations()) {
      PopulationFilter f = PopulationFilter.of(s, p, COLUMNS);
      int in = 0;
      double[] row = new double[COLUMNS.size()];
      for (int e = 0; e < n; e++) {
        System.arraycopy(values, e * row.length, row, 0, row.length);
        boolean got = f.test(row);
        assertEquals(truth.contains(p, e), got, p + " event " + e);
        in += got ? 1 : 0;
      }
      assertEquals(truth.count(p), in, p);
      assertTrue(in > 0 && in < n, p + " selects some events, not all: " + in);
    }
  }

  @Test
  void aPathOrAnIdNamesAPopulation() throws Exception {
    GatingStrategy s = CompactGatingReader.read(STRATEGY, "test", false);
    assertEquals("cpos_dmid", PopulationFilter.resolve(s, "top/poly/cpos_dmid"));
    assertEquals("cpos_dmid", PopulationFilter.resolve(s, "cpos_dmid"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> PopulationFilter.resolve(s, "top/ell/cpos_dmid"));
    assertTrue(e.getMessage().contains("top/poly/cpos_dmid"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PopulationFilter.resolve(s, "nope"));
    assertEquals(List.of("b", "c", "d", "a"), PopulationFilter.requiredColumns(s, "both"));
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> PopulationFilter.of(s, "both", List.of("a", "b")));
    assertTrue(missing.getMessage().contains("'c'"), missing.getMessage());
  }

  @Test
  void theLakeStrategiesMatchTheEvaluatorOnGeneratedEvents() throws Exception {
    Path conf = SharedData.projectDir().resolve("conf/gating/P1.yaml");
    GatingStrategy s = CompactGatingReader.read(Files.readString(conf), conf.toString(), false);
    List<String> cols =
        List.of(
            "fsc_a",
            "fsc_h",
            "ssc_a",
            "cd45ra",
            "cd25",
            "hla_dr",
            "cd4",
            "cd127",
            "foxp3",
            "viability",
            "helios",
            "cd3",
            "cd8");
    Random r = new Random(11);
    int n = 5_000;
    double[] v = new double[n * cols.size()];
    for (int e = 0; e < n; e++) {
      double fsc = 20_000 + r.nextDouble() * 80_000;
      v[e * cols.size()] = fsc;
      v[e * cols.size() + 1] = fsc * (0.6 + 0.3 * r.nextDouble());
      v[e * cols.size() + 2] = r.nextDouble() * 40_000;
      for (int c = 3; c < cols.size(); c++) {
        v[e * cols.size() + c] = r.nextDouble() * 7 - 1;
      }
    }
    GatingResult truth = GateEvaluator.evaluate(s, new EventTable("t", cols, n, v, null));
    for (String p : s.populations()) {
      PopulationFilter f = PopulationFilter.of(s, p, cols);
      double[] row = new double[cols.size()];
      for (int e = 0; e < n; e++) {
        System.arraycopy(v, e * row.length, row, 0, row.length);
        assertEquals(truth.contains(p, e), f.test(row), p + " event " + e);
      }
    }
  }
}
