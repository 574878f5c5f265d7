package org.cytolake.normalise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cytolake.cytometry.transform.AsinhCofactor;
import org.cytolake.stats.Quantiles;
import org.junit.jupiter.api.Test;

class QuantileNormaliserTest {
  private static final List<String> CHANNELS = List.of("A", "B");

  /** Events on channels A, B, T (T not normalised): A ~ scale × lognormal, B ~ scale × exp. */
  private static Events sample(String name, long seed, double scale, int n) {
    Random r = new Random(seed);
    double[] v = new double[3 * n];
    for (int i = 0; i < n; i++) {
      v[3 * i] = scale * Math.exp(3 + r.nextGaussian());
      v[3 * i + 1] = scale * -50 * Math.log(1 - r.nextDouble());
      v[3 * i + 2] = i;
    }
    return new Events(name, List.of("A", "B", "T"), v);
  }

  private static Map<String, List<Events>> controls() {
    Map<String, List<Events>> m = new LinkedHashMap<>();
    m.put("b1", List.of(sample("c1", 1, 1.0, 3000)));
    m.put("b2", List.of(sample("c2", 2, 2.0, 3000)));
    m.put("b3", List.of(sample("c3a", 3, 0.5, 1500), sample("c3b", 4, 0.5, 1500)));
    return m;
  }

  private static QuantileNormParams params() {
    return QuantileNormParams.of(CHANNELS, new AsinhCofactor(5));
  }

  @Test
  void normalisedControlsHaveTheGoalQuantilesAndOtherChannelsStay() {
    QuantileNormModel model = new QuantileNormaliser(params()).fit(controls());
    assertEquals(List.of("b1", "b2", "b3"), List.copyOf(model.batches()));
    double[] goal = model.goalQuantiles("A");
    for (String b : model.batches()) {
      double[] q = model.quantiles(b, "A");
      for (int k = 0; k < q.length; k++) {
        assertEquals(goal[k], model.spline(b, "A").value(q[k]), 1e-12);
      }
    }
    Events in = sample("c2", 2, 2.0, 3000);
    Events out = model.apply("b2", in);
    double[] a = new double[3000];
    for (int i = 0; i < 3000; i++) {
      a[i] = new AsinhCofactor(5).apply(out.values()[3 * i]);
      assertEquals(in.values()[3 * i + 2], out.values()[3 * i + 2], 0);
    }
    double[] q = Quantiles.type7(a, params().probabilities());
    // a quantile between two events moves with the spline's curvature: close, not exact
    assertArrayEquals(goal, q, 1e-4);
    assertEquals(0.01, params().probabilities()[0], 0);
    assertEquals(0.99, params().probabilities()[98], 0);
  }

  @Test
  void aNamedGoalBatchIsMappedOntoItself() {
    QuantileNormParams p =
        new QuantileNormParams(CHANNELS, new AsinhCofactor(5), 99, new Goal.Batch("b1"));
    QuantileNormModel model = new QuantileNormaliser(p).fit(controls());
    assertArrayEquals(model.quantiles("b1", "B"), model.goalQuantiles("B"), 0);
    Events in = sample("c1", 1, 1.0, 3000);
    Events out = model.apply("b1", in);
    for (int i = 0; i < in.values().length; i++) {
      assertEquals(in.values()[i], out.values()[i], 1e-9 * (1 + Math.abs(in.values()[i])));
    }
  }

  @Test
  void reportsEveryProblemNamingBatchFileAndChannel() {
    Map<String, List<Events>> m = controls();
    m.put("b4", List.of());
    double[] flat = new double[300];
    m.put("b5", List.of(new Events("flat.fcs", List.of("A", "B"), flat)));
    m.put("b6", List.of(new Events("noB.fcs", List.of("A"), new double[] {1, 2, 3})));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new QuantileNormaliser(params()).fit(m));
    assertTrue(e.getMessage().startsWith("Cannot fit quantile normalisation: "), e.getMessage());
    assertTrue(e.getMessage().contains("batch 'b4' has no control"), e.getMessage());
    assertTrue(
        e.getMessage().contains("control 'noB.fcs' of batch 'b6' has no channel(s) [B]"),
        e.getMessage());

    m.remove("b4");
    m.remove("b6");
    e = assertThrows(IllegalArgumentException.class, () -> new QuantileNormaliser(params()).fit(m));
    assertTrue(
        e.getMessage().contains("channel 'A' has no signal in the controls of batch 'b5'"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("channel 'B' has no signal in the controls of batch 'b5'"),
        e.getMessage());

    QuantileNormParams unknownGoal =
        new QuantileNormParams(CHANNELS, new AsinhCofactor(5), 99, new Goal.Batch("zz"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new QuantileNormaliser(unknownGoal).fit(controls()));
    assertTrue(
        e.getMessage().contains("goal batch 'zz' is not one of the batches"), e.getMessage());
  }

  @Test
  void applyRefusesAnUntrainedBatchAndAMissingChannel() {
    QuantileNormModel model = new QuantileNormaliser(params()).fit(controls());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> model.apply("b9", sample("x.fcs", 9, 1, 10)));
    assertTrue(e.getMessage().contains("file 'x.fcs' of batch 'b9'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.apply("b1", new Events("y.fcs", List.of("A", "C"), new double[4])));
    assertTrue(
        e.getMessage().contains("'y.fcs' of batch 'b1': it has no channel(s) [B]"), e.getMessage());
  }

  @Test
  void paramsReportEveryProblem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new QuantileNormParams(List.of("A", "A"), null, 1, new Goal.BatchMean()));
    assertTrue(e.getMessage().contains("channel 'A' is listed twice"), e.getMessage());
    assertTrue(e.getMessage().contains("no transform"), e.getMessage());
    assertTrue(e.getMessage().contains("at least 2, not 1"), e.getMessage());
  }
}
