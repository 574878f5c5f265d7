package org.cytolake.som;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MetaclusteringTest {

  /** 100 codes in 3 dims: four tight groups of 25 around far-apart centres. */
  static double[][] groups(long seed) {
    Random r = new Random(seed);
    double[][] centres = {{0, 0, 0}, {10, 0, 0}, {0, 10, 0}, {0, 0, 10}};
    double[][] codes = new double[100][3];
    for (int i = 0; i < 100; i++) {
      for (int d = 0; d < 3; d++) {
        codes[i][d] = centres[i % 4][d] + 0.3 * r.nextGaussian();
      }
    }
    return codes;
  }

  @Test
  void averageLinkageOnAHandExample() {
    double[][] points = {{0}, {1}, {5}, {6}, {20}};
    int[][] merges = AverageLinkage.merges(AverageLinkage.euclidean(points));
    assertArrayEquals(new int[] {0, 1}, merges[0]);
    assertArrayEquals(new int[] {2, 3}, merges[1]);
    assertArrayEquals(new int[] {0, 2}, merges[2]);
    assertArrayEquals(new int[] {0, 0, 1, 1, 2}, AverageLinkage.cut(5, merges, 3));
    assertArrayEquals(new int[] {0, 0, 0, 0, 1}, AverageLinkage.cut(5, merges, 2));
  }

  @Test
  void recoversGroupsAndIsDeterministic() {
    double[][] codes = groups(1);
    Metaclustering m = Metaclustering.defaults().withK(4).withSeed(9);
    Metaclustering.Result a = m.fit(codes);
    int[] labels = a.nodeToMetacluster();
    for (int i = 0; i < 100; i++) {
      assertEquals(labels[i % 4], labels[i], "node " + i);
    }
    assertEquals(4, java.util.Arrays.stream(labels).distinct().count());
    assertArrayEquals(labels, m.fit(codes).nodeToMetacluster());
  }

  @Test
  void elbowChoosesTheNumberOfGroups() {
    Metaclustering.Result r = Metaclustering.defaults().withMaxK(12).fit(groups(2));
    assertEquals(4, r.k());
    assertEquals(12, r.withinSs().length);
  }

  @Test
  void elbowRuleOnAHandCurve() {
    assertEquals(3, Metaclustering.elbow(new double[] {100, 60, 10, 8, 6, 4}));
  }

  @Test
  void tooManyClustersIsAnError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Metaclustering.defaults().withK(10).fit(new double[5][2]));
    assertTrue(
        e.getMessage().startsWith("Cannot metacluster 5 nodes into 10 clusters"), e.getMessage());
  }
}
