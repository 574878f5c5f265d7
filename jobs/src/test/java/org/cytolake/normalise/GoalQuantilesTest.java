package org.cytolake.normalise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cytolake.cytometry.transform.TransformSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Goal quantiles given in a file: reading, checking, and their use on the real CyTOF batches. */
class GoalQuantilesTest {

  private static final double[] P3 = QuantileNormParams.probabilities(3);

  private static Path csv(Path dir, String... lines) throws IOException {
    Path f = dir.resolve("goal.csv");
    Files.write(f, List.of(lines));
    return f;
  }

  @Test
  void readsLongFormAndAnswersPerColumn(@TempDir Path dir) throws IOException {
    Path f =
        csv(
            dir,
            "column,probability,value,ignored",
            "cd3,0.25,1.0,x",
            "cd3,0.75,3.0,x",
            "cd3,0.5,2.0,x",
            "cd4,0.25,0.5,x",
            "cd4,0.5,0.5,x",
            "cd4,0.75,4.0,x");
    GoalQuantiles g = GoalQuantiles.read(f);
    assertArrayEquals(P3, g.probabilities(), 1e-12);
    assertEquals(1, g.clusters());
    assertArrayEquals(new double[] {1, 2, 3}, g.of("cd3", 0), 0);
    assertArrayEquals(new double[] {0.5, 0.5, 4}, g.of("cd4", 0), 0);
    assertNull(g.of("cd8", 0));
    assertEquals(List.of(), g.problems(List.of("cd3", "cd4"), P3, 1));
    assertTrue(g.toString().startsWith("quantiles:goal.csv@"), g.toString());
    double[][] goal = g.goal(List.of("cd4", "cd3"), 0);
    assertArrayEquals(new double[] {1, 2, 3}, goal[1], 0);
  }

  @Test
  void aChangedFileHasAnotherDigest(@TempDir Path dir) throws IOException {
    String a = GoalQuantiles.read(csv(dir, "channel,probability,value", "x,0.5,1")).digest();
    String b = GoalQuantiles.read(csv(dir, "channel,probability,value", "x,0.5,1.5")).digest();
    assertNotEquals(a, b);
  }

  @Test
  void namesEveryBadLineAtOnce(@TempDir Path dir) throws IOException {
    Path f =
        csv(
            dir,
            "column,probability,value",
            "cd3,0.25,1.0",
            "cd3,0.5,2.0",
            "cd3,0.75,3.0",
            "cd8,0.5,abc",
            "cd8,1.5,2",
            "cd3,0.25,1.0",
            "cd4,0.25,3.0",
            "cd4,0.5,2.0",
            "cd4,0.75,4.0");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GoalQuantiles.read(f));
    String m = e.getMessage();
    assertTrue(m.contains("goal.csv"), m);
    assertTrue(m.contains("line 5: value 'abc' is not a finite number"), m);
    assertTrue(m.contains("line 6: probability 1.5 is not between 0 and 1"), m);
    assertTrue(m.contains("line 7: column 'cd3' cluster 1 probability 0.25 is given twice"), m);
    assertTrue(m.contains("column 'cd4': the quantile at probability 0.5 (2.0) is below"), m);
  }

  @Test
  void refusesAMissingFieldAndMismatchedProbabilities(@TempDir Path dir) throws IOException {
    Path noValue = csv(dir, "column,probability", "cd3,0.5");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> GoalQuantiles.read(noValue))
            .getMessage()
            .contains("no field 'value'"));
    GoalQuantiles g =
        GoalQuantiles.read(csv(dir, "column,probability,value", "cd3,0.25,1", "cd3,0.75,2"));
    List<String> p = g.problems(List.of("cd3", "cd8"), P3, 1);
    assertTrue(p.get(0).contains("give 2 quantiles per column, the model takes 3"), p.toString());
    assertTrue(p.get(1).contains("no rows for column 'cd8'"), p.toString());
    // the lake's parameters and normalise-fcs's refuse it the same way
    IllegalArgumentException lake =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LakeNormParams.builder(List.of("cd3"))
                    .quantiles(3)
                    .goal(new Goal.Given(g))
                    .pooledEventsPerSample(100)
                    .minControlEvents(100)
                    .confounders(List.of())
                    .build());
    assertTrue(lake.getMessage().contains("the model takes 3"), lake.getMessage());
    QuantileNormParams fcs =
        new QuantileNormParams(
            List.of("cd3"), TransformSpec.parse("asinh:cofactor=5"), 3, new Goal.Given(g));
    assertThrows(IllegalArgumentException.class, () -> new QuantileNormaliser(fcs));
  }

  @Test
  void perClusterGoalsNeedAClusteredModel(@TempDir Path dir) throws IOException {
    GoalQuantiles g =
        GoalQuantiles.read(
            csv(dir, "column,cluster,probability,value", "cd3,1,0.5,1", "cd3,2,0.5,4"));
    assertEquals(2, g.clusters());
    assertArrayEquals(new double[] {4}, g.of("cd3", 1), 0);
    double[] p1 = QuantileNormParams.probabilities(1);
    assertEquals(List.of(), g.problems(List.of("cd3"), p1, 2));
    assertTrue(g.problems(List.of("cd3"), p1, 1).get(0).contains("not clustered"));
    assertTrue(g.problems(List.of("cd3"), p1, 3).get(0).contains("in cluster 3"));
  }

  @Test
  void goalParsesTheFileRelativeToItsBase(@TempDir Path dir) throws IOException {
    csv(dir, "column,probability,value", "cd3,0.5,1");
    assertTrue(Goal.parse("quantiles:goal.csv", dir) instanceof Goal.Given);
    assertTrue(Goal.parse("batch-mean", dir) instanceof Goal.BatchMean);
    assertEquals(new Goal.Batch("2026-01-02"), Goal.parse("2026-01-02", dir));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Goal.parse("quantiles:nope.csv", dir));
    assertTrue(e.getMessage().contains("nope.csv' does not exist"), e.getMessage());
  }

  /**
   * On the real CyTOF batches: the batch mean written as given quantiles, and one batch's
   * quantiles written as given quantiles, normalise every Control_2 file exactly as {@code --goal
   * batch-mean} (R CytoNorm's output, bit for bit) and {@code --goal <batch>} do.
   */
  @Test
  void givenQuantilesReproduceTheBatchMeanAndABatchGoalOnRealData(@TempDir Path tmp)
      throws Exception {
    Path dir = RealCytoNorm.dirOrSkip();
    List<String> channels = RealCytoNorm.channels(dir);
    QuantileNormParams params =
        QuantileNormParams.of(channels, TransformSpec.parse("asinh:cofactor=5"));
    Map<String, List<Events>> controls = new LinkedHashMap<>();
    for (String b : RealCytoNorm.BATCHES) {
      controls.put(b, List.of(NormaliseFcs.read(dir.resolve(RealCytoNorm.control(b, 1))).events()));
    }
    QuantileNormModel model = new QuantileNormaliser(params).fit(controls);
    Path mean = tmp.resolve("mean.csv");
    Path one = tmp.resolve("one.csv");
    List<String> meanLines = new ArrayList<>(List.of("channel,probability,value"));
    List<String> oneLines = new ArrayList<>(List.of("channel,probability,value"));
    double[] probs = params.probabilities();
    for (String c : channels) {
      for (int k = 0; k < probs.length; k++) {
        meanLines.add(c + "," + probs[k] + "," + model.goalQuantiles(c)[k]);
        oneLines.add(c + "," + probs[k] + "," + model.quantiles("PTLG028", c)[k]);
      }
    }
    Files.write(mean, meanLines);
    Files.write(one, oneLines);
    for (String[] run :
        List.of(
            new String[] {"given-mean", "quantiles:" + mean, "r", null},
            new String[] {"given-one", "quantiles:" + one, "batch", "2"})) {
      Path out = tmp.resolve(run[0]);
      assertEquals(0, RealCytoNorm.normalise(dir, out, "--goal", run[1]));
      Path reference = dir.resolve("r-cytonorm-output");
      if (run[3] != null) {
        reference = tmp.resolve("batch-goal");
        assertEquals(0, RealCytoNorm.normalise(dir, reference, "--goal", run[3]));
      }
      for (String b : RealCytoNorm.BATCHES) {
        String name = "Norm_" + RealCytoNorm.control(b, 2);
        Events ours = NormaliseFcs.read(out.resolve(name)).events();
        Events ref = NormaliseFcs.read(reference.resolve(name)).events();
        assertArrayEquals(ref.values(), ours.values(), 0, run[0] + " " + name);
      }
    }
  }
}
