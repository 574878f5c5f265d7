package org.cytolake.normalise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link NormalisationModel}: the goal fixed at {@code fit}, each batch's knots onto it, and the
 * keys that keep the nightly run incremental.
 */
class NormalisationModelTest {
  static final List<String> COLUMNS = List.of("cd3", "cd4", "cd8");

  static LakeNormParams params(Goal goal, MissingControl missing) {
    return LakeNormParams.builder(COLUMNS).quantiles(3).goal(goal).missingControl(missing).build();
  }

  static LakeNormParams params() {
    return params(new Goal.BatchMean(), MissingControl.QUARANTINE);
  }

  static BatchQuantiles control(String batch, double[]... q) {
    return new BatchQuantiles(
        batch, BatchQuantiles.Source.CONTROL, List.of("ctl-" + batch), 5000, q);
  }

  /** Two control batches; cd4 has no signal in B; cd8 none in either. */
  static Map<String, BatchQuantiles> batches() {
    Map<String, BatchQuantiles> m = new LinkedHashMap<>();
    m.put("B", control("B", new double[] {3, 4, 6}, null, null));
    m.put("A", control("A", new double[] {1, 2, 3}, new double[] {10, 20, 30}, null));
    return m;
  }

  static NormalisationModel fit() {
    return NormalisationModel.fit("P1", 1, params(), batches(), Map.of(), null);
  }

  @Test
  void theGoalIsTheMeanOverBatchesLeavingOutThoseWithoutSignal() {
    NormalisationModel m = fit();
    assertEquals(1, m.version());
    assertEquals(params().describe(), m.parameters());
    assertEquals(COLUMNS, m.columns());
    assertArrayEquals(new double[] {0.25, 0.5, 0.75}, m.probabilities(), 0);
    assertArrayEquals(new double[] {2, 3, 4.5}, m.goal()[0], 0);
    assertArrayEquals(new double[] {10, 20, 30}, m.goal()[1], 0, "B has no cd4 signal");
    assertNull(m.goal()[2], "no batch has cd8 signal");
    assertNull(m.pooledGoal());
    assertEquals(List.of("A", "B"), List.copyOf(m.batches().keySet()));
  }

  @Test
  void givenQuantilesAreTheGoalWhateverTheBatches() {
    GoalQuantiles given =
        new GoalQuantiles(
            "goal.csv",
            "0123456789abcdef",
            new double[] {0.25, 0.5, 0.75},
            1,
            Map.of(
                "cd3", new double[][] {{0, 1, 2}},
                "cd4", new double[][] {{5, 6, 7}},
                "cd8", new double[][] {{1, 1, 1}}));
    NormalisationModel m =
        NormalisationModel.fit(
            "P1",
            1,
            params(new Goal.Given(given), MissingControl.QUARANTINE),
            batches(),
            Map.of(),
            null);
    assertArrayEquals(new double[] {0, 1, 2}, m.goal()[0], 0);
    assertArrayEquals(new double[] {5, 6, 7}, m.goal()[1], 0);
    // each batch's knots map its own quantiles onto the given ones
    assertArrayEquals(new double[] {3, 4, 6}, m.knots("B")[0][0], 0);
    assertArrayEquals(new double[] {0, 1, 2}, m.knots("B")[0][1], 0);
    assertTrue(m.parameters().contains("goal=quantiles:goal.csv@0123456789abcdef"));
  }

  @Test
  void aNamedGoalBatchIsTheGoal() {
    NormalisationModel m =
        NormalisationModel.fit(
            "P1",
            1,
            params(new Goal.Batch("B"), MissingControl.QUARANTINE),
            batches(),
            Map.of(),
            null);
    assertArrayEquals(new double[] {3, 4, 6}, m.goal()[0], 0);
    assertNull(m.goal()[1]);
    assertEquals(List.of("cd4", "cd8"), m.unnormalised("A"), "the goal has no cd4");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                NormalisationModel.fit(
                    "P1",
                    1,
                    params(new Goal.Batch("C"), MissingControl.QUARANTINE),
                    batches(),
                    Map.of(),
                    null));
    assertEquals(
        "Cannot make normalisation model of panel P1: goal batch 'C' has no control (batches with"
            + " one: [A, B])",
        e.getMessage());
  }

  @Test
  void knotsMapABatchsQuantilesOntoTheGoalAndAreNullWithoutSignal() {
    NormalisationModel m = fit();
    double[][][] a = m.knots("A");
    assertEquals(3, a.length);
    assertArrayEquals(new double[] {1, 2, 3}, a[0][0], 0);
    assertArrayEquals(new double[] {2, 3, 4.5}, a[0][1], 0);
    assertNull(a[2]);
    double[][][] b = m.knots("B");
    assertNull(b[1], "B has no cd4 signal: left as it is");
    assertEquals(List.of("cd8"), m.unnormalised("A"));
    assertEquals(List.of("cd4", "cd8"), m.unnormalised("B"));
    for (String batch : List.of("A", "B")) {
      double[][] k = m.knots(batch)[0];
      MonotoneSpline s = MonotoneSpline.fit(k[0], k[1]);
      for (int i = 0; i < 3; i++) {
        assertEquals(m.goal()[0][i], s.value(m.batches().get(batch).quantiles()[0][i]), 1e-12);
      }
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.knots("Z"));
    assertTrue(e.getMessage().contains("'Z' of panel P1: model version 1"), e.getMessage());
  }

  @Test
  void pooledBatchesAreMappedOntoThePooledGoal() {
    Map<String, BatchQuantiles> pool = new LinkedHashMap<>();
    pool.put(
        "A",
        new BatchQuantiles(
            "A",
            BatchQuantiles.Source.POOLED,
            List.of("s1"),
            10,
            new double[][] {{0, 1, 2}, {5, 6, 7}, null}));
    pool.put(
        "C",
        new BatchQuantiles(
            "C",
            BatchQuantiles.Source.POOLED,
            List.of("s2", "s3"),
            20,
            new double[][] {{2, 3, 4}, null, null}));
    NormalisationModel m =
        NormalisationModel.fit(
                "P1", 1, params(new Goal.BatchMean(), MissingControl.POOLED), batches(), pool, null)
            .withBatch(pool.get("C"));
    assertArrayEquals(new double[] {1, 2, 3}, m.pooledGoal()[0], 0);
    assertArrayEquals(new double[] {5, 6, 7}, m.pooledGoal()[1], 0);
    assertNull(m.pooledGoal()[2]);
    assertArrayEquals(m.pooledGoal()[0], m.goalOf(BatchQuantiles.Source.POOLED)[0], 0);
    assertArrayEquals(m.goal()[0], m.goalOf(BatchQuantiles.Source.CONTROL)[0], 0);
    double[][][] c = m.knots("C");
    assertArrayEquals(new double[] {2, 3, 4}, c[0][0], 0);
    assertArrayEquals(new double[] {1, 2, 3}, c[0][1], 0);
    assertEquals(List.of("cd4", "cd8"), m.unnormalised("C"));
  }

  @Test
  void keysAreStableForEqualModelsAndFollowTheBatchsQuantiles() {
    NormalisationModel m = fit();
    assertEquals(m.key("A"), fit().key("A"));
    assertEquals(16, m.key("A").length());
    assertNotEquals(m.key("A"), m.key("B"));
    NormalisationModel moved =
        m.withBatch(control("A", new double[] {1, 2, 3.5}, new double[] {10, 20, 30}, null));
    assertNotEquals(m.key("A"), moved.key("A"));
    assertEquals(m.key("B"), moved.key("B"));
    NormalisationModel next = NormalisationModel.fit("P1", 2, params(), batches(), Map.of(), null);
    assertNotEquals(m.key("A"), next.key("A"), "a new version is a new key");
  }

  @Test
  void addingABatchChangesNeitherTheGoalNorAnotherBatchsKey() {
    NormalisationModel m = fit();
    NormalisationModel more =
        m.withBatch(control("C", new double[] {100, 200, 300}, new double[] {1, 2, 3}, null));
    assertEquals(List.of("A", "B", "C"), List.copyOf(more.batches().keySet()));
    for (int c = 0; c < 2; c++) {
      assertArrayEquals(m.goal()[c], more.goal()[c], 0);
    }
    assertNull(more.goal()[2]);
    assertEquals(m.key("A"), more.key("A"));
    assertEquals(m.key("B"), more.key("B"));
    assertArrayEquals(m.goal()[0], more.knots("C")[0][1], 0, "C is mapped onto the old goal");
    NormalisationModel less = more.withoutBatch("C");
    assertEquals(m.batches().keySet(), less.batches().keySet());
    assertEquals(m.key("A"), less.key("A"));
    assertThrows(IllegalArgumentException.class, () -> less.key("C"));
  }

  @Test
  void aColumnWithoutSignalHasNoQuantiles() {
    double[][] q =
        BatchQuantiles.of(
            new double[][] {{4, 1, 3, 2, 5}, {7, 7, 7, 7, 7}}, new double[] {0.25, 0.5, 0.75});
    assertArrayEquals(new double[] {2, 3, 4}, q[0], 1e-12);
    assertNull(q[1]);
  }
}
