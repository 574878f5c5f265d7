package org.cytolake.plot.clusters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TreeLayoutTest {

  static double[][] som(int n, long seed) {
    Random r = new Random(seed);
    double[][] codes = new double[n][4];
    for (double[] c : codes) {
      for (int d = 0; d < c.length; d++) {
        c[d] = r.nextGaussian();
      }
    }
    return codes;
  }

  @Test
  void theSameTreeAndSeedGiveTheSameLayoutBitForBit() {
    SpanningTree t = SpanningTree.minimal(som(100, 3));
    TreeLayout a = TreeLayout.of(t, 42);
    TreeLayout b = TreeLayout.of(t, 42);
    assertArrayEquals(a.x(), b.x());
    assertArrayEquals(a.y(), b.y());
  }

  @Test
  void aPathIsLaidOutStraightWithUnitEdges() {
    // five nodes on a line: the tree is the path 0-1-2-3-4
    double[][] codes = {{0}, {1}, {2}, {3}, {4}};
    SpanningTree t = SpanningTree.minimal(codes);
    TreeLayout l = TreeLayout.of(t, 1);
    for (int i = 0; i < 4; i++) {
      assertEquals(
          1.0, Math.hypot(l.x()[i + 1] - l.x()[i], l.y()[i + 1] - l.y()[i]), 0.02, "edge " + i);
    }
    assertEquals(4.0, Math.hypot(l.x()[4] - l.x()[0], l.y()[4] - l.y()[0]), 0.05, "ends");
    assertTrue(l.stress(t) < 1e-3, "stress " + l.stress(t));
  }

  @Test
  void aSomTreeIsLaidOutWithEdgesNearOneAndLowerStressThanItsStart() {
    SpanningTree t = SpanningTree.minimal(som(100, 5));
    TreeLayout l = TreeLayout.of(t, 9);
    double sum = 0;
    for (SpanningTree.Edge e : t.edges()) {
      sum += Math.hypot(l.x()[e.a()] - l.x()[e.b()], l.y()[e.a()] - l.y()[e.b()]);
    }
    double mean = sum / t.edges().size();
    assertTrue(mean > 0.7 && mean < 1.3, "mean edge " + mean);
    // the seeded start: uniform in a square of side sqrt(n)
    Random r = new Random(9);
    double[] x = new double[100];
    double[] y = new double[100];
    for (int i = 0; i < 100; i++) {
      x[i] = r.nextDouble() * 10;
      y[i] = r.nextDouble() * 10;
    }
    double start = new TreeLayout(x, y).stress(t);
    assertTrue(l.stress(t) < start / 10, l.stress(t) + " vs start " + start);
  }
}
