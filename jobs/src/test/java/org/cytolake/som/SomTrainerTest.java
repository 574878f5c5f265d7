package org.cytolake.som;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.cytolake.bench.Blobs;
import org.cytolake.scoring.ClusterScoring;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SomTrainerTest {

  static Blobs blobs;

  @BeforeAll
  static void makeBlobs() {
    blobs = Blobs.make(5, new int[] {9000, 7000, 5000, 4000, 3000, 2000}, 8, 42);
  }

  @Test
  void defaultsAreFlowSoms() {
    SomParams p = SomParams.defaults();
    assertEquals(10, p.xdim());
    assertEquals(10, p.ydim());
    assertEquals(10, p.rlen());
    assertEquals(0.05, p.alphaStart());
    assertEquals(0.01, p.alphaEnd());
    // P(Chebyshev distance <= d) on a 10 x 10 grid is ((10 + 2 * sum_{k=1..d} (10 - k)) / 100)^2:
    // 0.64 for d = 5,
    // 0.7744 for d = 6, so the 0.67 quantile is 6.
    assertEquals(6.0, p.grid().defaultRadius(), 1e-12);
    assertEquals(6.0 * 0.95, p.radius(0), 1e-12);
    assertEquals(6.0 * 0.05, p.radius(9), 1e-12);
    assertEquals(0.05 - 0.04 * 0.05, p.alpha(0), 1e-12);
    assertEquals(1, p.grid().distance(0, 11));
    assertEquals(9, p.grid().distance(0, 99));
  }

  @Test
  void invalidParametersAreAllReported() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new SomParams(0, -1, 0, 2, 3, -1, 5, 1));
    String m = e.getMessage();
    assertTrue(m.startsWith("Cannot create SOM parameters: "), m);
    for (String part :
        List.of("xdim", "ydim", "rlen", "alphaStart", "alphaEnd", "radiusStart", "radiusEnd")) {
      assertTrue(m.contains(part + " must"), m);
    }
  }

  @Test
  void sameSeedGivesSameCodebookAndDifferentSeedDoesNot() {
    SomParams params = SomParams.defaults().withSeed(7);
    SomModel a = SomTrainer.fit(params, 5, blobs.split(1));
    SomModel b = SomTrainer.fit(params, 5, blobs.split(1));
    assertArrayEquals(a.codebook(), b.codebook());
    SomModel c = SomTrainer.fit(params.withSeed(8), 5, blobs.split(1));
    assertFalse(Arrays.equals(a.codebook(), c.codebook()));
  }

  @Test
  void codebookIsBitwiseTheSameForAnySplitAndBlockOrder() {
    SomParams params = SomParams.defaults().withSeed(3);
    double[] one = SomTrainer.fit(params, 5, blobs.split(1)).codebook();
    for (int parts : new int[] {3, 7}) {
      List<double[]> blocks = new ArrayList<>(blobs.split(parts));
      assertArrayEquals(one, SomTrainer.fit(params, 5, blocks).codebook(), "split into " + parts);
      Collections.reverse(blocks);
      assertArrayEquals(
          one, SomTrainer.fit(params, 5, blocks).codebook(), "split into " + parts + ", reversed");
    }
  }

  @Test
  void splitBlocksFitAndMapAsTheWholeArrayDoes() {
    SomParams params = SomParams.defaults().withSeed(3);
    double[] all = blobs.split(1).get(0);
    int n = all.length / 5;
    SomModel one = SomTrainer.fit(params, 5, List.of(all));
    for (int blockEvents : new int[] {n, 4999, 1}) {
      List<double[]> blocks = SomTrainer.split(all, 5, blockEvents);
      assertEquals((n + blockEvents - 1) / blockEvents, blocks.size(), "blocks of " + blockEvents);
      if (blockEvents > 1) {
        assertArrayEquals(
            one.codebook(),
            SomTrainer.fit(params, 5, blocks).codebook(),
            "blocks of " + blockEvents);
      }
      assertArrayEquals(
          one.map(all, n), SomTrainer.map(one, blocks), "nodes, blocks of " + blockEvents);
    }
  }

  @Test
  void epochSumsMergeInAnyOrder() {
    SomModel model = SomTrainer.fit(SomParams.defaults().withRlen(1), 5, blobs.split(1));
    List<double[]> blocks = blobs.split(7);
    EpochSums left = new EpochSums(100, 5);
    for (double[] b : blocks) {
      left.merge(SomTrainer.epochSums(model, b, b.length / 5));
    }
    EpochSums tree = new EpochSums(100, 5);
    EpochSums odd = new EpochSums(100, 5);
    for (int i = blocks.size() - 1; i >= 0; i--) {
      EpochSums s = SomTrainer.epochSums(model, blocks.get(i), blocks.get(i).length / 5);
      (i % 2 == 0 ? tree : odd).merge(s);
    }
    tree.merge(odd);
    assertEquals(left, tree);
    assertEquals(blobs.size(), left.total());
  }

  @Test
  void epochSumsAreExactForNegativeAndMixedValues() {
    EpochSums s = new EpochSums(1, 1);
    double[] values = {-1e9, 1e-3, 1e9, -2.5, 0.75};
    for (double v : values) {
      s.add(0, new double[] {v}, 0);
    }
    assertEquals(-1.75 + 1e-3, s.sum(0, 0), 1e-9);
    assertThrows(IllegalArgumentException.class, () -> s.add(0, new double[] {Double.NaN}, 0));
  }

  @Test
  void sixBlobsAreRecoveredWithMeanF1AtLeast095() {
    SomModel model = SomTrainer.fit(SomParams.defaults().withSeed(11), 5, blobs.split(4));
    Metaclustering.Result meta = Metaclustering.defaults().withK(6).withSeed(11).fit(model);
    int[] nodes = model.map(blobs.events(), blobs.size());
    int[] clusters = new int[nodes.length];
    int[] nodeToMeta = meta.nodeToMetacluster();
    for (int e = 0; e < nodes.length; e++) {
      clusters[e] = nodeToMeta[nodes[e]];
    }
    ClusterScoring.Score score = ClusterScoring.score(Arrays.asList(blobs.labels()), clusters);
    System.out.printf(
        "six blobs, 30000 events, 5 dims: mean F1 %.4f %s%n",
        score.meanF1(), score.perPopulation());
    assertTrue(score.meanF1() >= 0.95, "mean F1 " + score.meanF1());
  }

  @Test
  void elbowChoosesSixForSixBlobs() {
    SomModel model = SomTrainer.fit(SomParams.defaults().withSeed(5), 5, blobs.split(2));
    Metaclustering.Result meta = Metaclustering.defaults().withMaxK(15).withSeed(5).fit(model);
    System.out.println(
        "six blobs: elbow chose k = " + meta.k() + ", W(k) = " + Arrays.toString(meta.withinSs()));
    assertEquals(6, meta.k());
  }

  @Test
  void bmuIsTheNearestNodeAndTheLowestOnTies() {
    double[] codebook = new double[4 * 2];
    codebook[2] = 1; // node 1 at (1, 0); nodes 0, 2 and 3 at the origin
    SomModel model = new SomModel(SomParams.defaults().withGrid(2, 2), 2, codebook);
    assertEquals(0, model.bmu(new double[] {0.2, 0}));
    assertEquals(1, model.bmu(new double[] {0.9, 0.1}));
    assertEquals(0, model.bmu(new double[] {0.5, 0}), "tie between nodes 0 and 1");
    assertArrayEquals(new int[] {1, 0}, model.map(new double[] {2, 0, -1, 0}, 2));
  }

  @Test
  void tooFewDistinctEventsIsAnError() {
    double[] events = new double[50 * 2];
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SomTrainer.fit(SomParams.defaults(), 2, List.of(events)));
    assertTrue(
        e.getMessage().contains("needs at least 100 distinct events but the data have 1"),
        e.getMessage());
  }
}
