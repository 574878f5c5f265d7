package org.cytolake.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class F1ScoringTest {

  @Test
  void hungarianSquare() {
    double[][] cost = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
    assertArrayEquals(new int[] {1, 0, 2}, Hungarian.minimize(cost));
    double[][] w = {{0.9, 0.8}, {0.85, 0.1}};
    assertArrayEquals(new int[] {1, 0}, Hungarian.maximize(w));
  }

  @Test
  void hungarianRectangularBothWays() {
    double[][] wide = {{1, 9, 2, 0}, {8, 7, 1, 0}};
    assertArrayEquals(new int[] {1, 0}, Hungarian.maximize(wide));
    double[][] tall = {{1, 8}, {9, 7}, {2, 1}, {0, 0}};
    int[] m = Hungarian.maximize(tall);
    assertEquals(0, m[1]);
    assertEquals(1, m[0]);
    assertEquals(-1, m[2]);
    assertEquals(-1, m[3]);
  }

  @Test
  void hungarianMatchesBruteForce() {
    java.util.Random r = new java.util.Random(1);
    for (int t = 0; t < 200; t++) {
      int rows = 1 + r.nextInt(5);
      int cols = 1 + r.nextInt(5);
      double[][] w = new double[rows][cols];
      for (double[] row : w) {
        for (int j = 0; j < cols; j++) {
          row[j] = r.nextInt(10);
        }
      }
      int[] m = Hungarian.maximize(w);
      assertEquals(best(w, 0, new boolean[cols]), total(w, m), 1e-9, Arrays.deepToString(w));
      assertEquals(Math.min(rows, cols), Arrays.stream(m).filter(j -> j >= 0).distinct().count());
    }
  }

  @Test
  void f1OnAHandExample() {
    // A: events 0-3, B: events 4-6, event 7 unassigned (left out).
    List<String> ref = Arrays.asList("A", "A", "A", "A", "B", "B", "B", "Unlabeled");
    int[] clusters = {0, 0, 0, 1, 1, 1, 2, 2};
    ClusterScoring.Score s = ClusterScoring.score(ref, clusters);
    // A vs cluster 0: 3 shared, |A| = 4, |C0| = 3 -> 6/7. B vs cluster 1: 2 shared, |B| = 3, |C1| =
    // 3 -> 2/3.
    assertEquals(6.0 / 7, s.perPopulation().get("A"), 1e-12);
    assertEquals(2.0 / 3, s.perPopulation().get("B"), 1e-12);
    assertEquals((6.0 / 7 + 2.0 / 3) / 2, s.meanF1(), 1e-12);
    assertEquals(0, s.matchedCluster().get("A"));
    assertEquals(1, s.matchedCluster().get("B"));
    assertEquals(7, s.scoredEvents());
  }

  @Test
  void morePopulationsThanClustersScoreZeroForTheUnmatched() {
    List<String> ref = Arrays.asList("A", "A", "B", "C");
    ClusterScoring.Score s = ClusterScoring.score(ref, new int[] {0, 0, 0, 0});
    // A vs the one cluster: 2 shared, |A| = 2, |C0| = 4 -> 4/6; B and C get no cluster.
    assertEquals(2.0 / 3, s.perPopulation().get("A"), 1e-12);
    assertEquals(0.0, s.perPopulation().get("B"));
    assertEquals(2.0 / 9, s.meanF1(), 1e-12);
  }

  private static double total(double[][] w, int[] m) {
    double s = 0;
    for (int i = 0; i < m.length; i++) {
      if (m[i] >= 0) {
        s += w[i][m[i]];
      }
    }
    return s;
  }

  private static double best(double[][] w, int row, boolean[] used) {
    if (row == w.length) {
      return 0;
    }
    double b = best(w, row + 1, used);
    for (int j = 0; j < used.length; j++) {
      if (!used[j]) {
        used[j] = true;
        b = Math.max(b, w[row][j] + best(w, row + 1, used));
        used[j] = false;
      }
    }
    return b;
  }
}
