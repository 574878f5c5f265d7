package org.cytolake.plot.clusters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpanningTreeTest {

  @Test
  void aSmallCaseByHand() {
    // 0-1: 3, 0-2: 4, 1-2: 5, 1-3: 7, 0-3: 10, 2-3: sqrt(116) = 10.77
    double[][] codes = {{0, 0}, {3, 0}, {0, 4}, {10, 0}};
    SpanningTree t = SpanningTree.minimal(codes);
    assertEquals(3, t.edges().size());
    Set<List<Integer>> edges = new HashSet<>();
    t.edges().forEach(e -> edges.add(List.of(e.a(), e.b())));
    assertEquals(Set.of(List.of(0, 1), List.of(0, 2), List.of(1, 3)), edges);
    assertEquals(14.0, t.totalLength(), 1e-12);
  }

  @Test
  void hasNMinusOneEdgesJoiningEveryNodeWithTheLeastTotalOfAllSpanningTrees() {
    Random r = new Random(7);
    for (int trial = 0; trial < 20; trial++) {
      int n = 6;
      double[][] codes = new double[n][3];
      for (double[] c : codes) {
        for (int d = 0; d < 3; d++) {
          c[d] = r.nextGaussian();
        }
      }
      SpanningTree t = SpanningTree.minimal(codes);
      assertEquals(n - 1, t.edges().size());
      for (int[] h : t.hops()) {
        for (int v : h) {
          assertTrue(v >= 0, "every node reached");
        }
      }
      assertEquals(bruteForceMinimum(codes), t.totalLength(), 1e-9, "trial " + trial);
    }
  }

  /** The least total length over every set of n - 1 edges that joins all n nodes. */
  static double bruteForceMinimum(double[][] codes) {
    int n = codes.length;
    List<int[]> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        all.add(new int[] {i, j});
      }
    }
    double best = Double.POSITIVE_INFINITY;
    for (int mask = 0; mask < 1 << all.size(); mask++) {
      if (Integer.bitCount(mask) != n - 1) {
        continue;
      }
      int[] parent = new int[n];
      for (int i = 0; i < n; i++) {
        parent[i] = i;
      }
      double total = 0;
      int joined = 0;
      for (int e = 0; e < all.size(); e++) {
        if ((mask & 1 << e) != 0) {
          int a = find(parent, all.get(e)[0]);
          int b = find(parent, all.get(e)[1]);
          if (a != b) {
            parent[a] = b;
            joined++;
          }
          total += SpanningTree.distance(codes[all.get(e)[0]], codes[all.get(e)[1]]);
        }
      }
      if (joined == n - 1) {
        best = Math.min(best, total);
      }
    }
    return best;
  }

  static int find(int[] parent, int i) {
    while (parent[i] != i) {
      i = parent[i];
    }
    return i;
  }

  @Test
  void oneNodeIsATreeWithoutEdges() {
    assertEquals(0, SpanningTree.minimal(new double[][] {{1, 2}}).edges().size());
  }

  @Test
  void badCodebooksAreNamedByNodeAndValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SpanningTree.minimal(new double[][] {{0, 0}, {1}}));
    assertEquals("Cannot build a spanning tree: node 1 has 1 values, node 0 has 2", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SpanningTree.minimal(new double[][] {{0, 0}, {1, Double.NaN}}));
    assertEquals("Cannot build a spanning tree: node 1 has value NaN in column 1", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SpanningTree.minimal(new double[0][]));
  }
}
