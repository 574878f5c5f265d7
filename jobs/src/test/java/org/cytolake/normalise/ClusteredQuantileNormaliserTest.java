package org.cytolake.normalise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.cytolake.cytometry.transform.AsinhCofactor;
import org.cytolake.som.SomParams;
import org.cytolake.stats.Quantiles;
import org.junit.jupiter.api.Test;

class ClusteredQuantileNormaliserTest {
  private static final AsinhCofactor ASINH = new AsinhCofactor(5);
  private static final List<String> CHANNELS = List.of("A", "B");

  /**
   * Events on channels A, B (normalised) and T (the population: 0 = P, 1 = Q). On the asinh
   * scale, P has A ~ N(3 + shiftP, 0.4), B ~ N(1, 0.3); Q has A ~ N(3 + shiftQ, 0.4), B ~ N(4,
   * 0.3): the populations overlap on A and are told apart by B only.
   */
  private static Events sample(String name, long seed, int p, int q, double shiftP, double shiftQ) {
    Random r = new Random(seed);
    double[] v = new double[3 * (p + q)];
    for (int i = 0; i < p + q; i++) {
      boolean isP = i < p;
      double a = 3 + (isP ? shiftP : shiftQ) + 0.4 * r.nextGaussian();
      double b = (isP ? 1 : 4) + 0.3 * r.nextGaussian();
      v[3 * i] = ASINH.inverse(a);
      v[3 * i + 1] = ASINH.inverse(b);
      v[3 * i + 2] = isP ? 0 : 1;
    }
    return new Events(name, List.of("A", "B", "T"), v);
  }

  /** Batch b2 has P's A shifted by +0.5 and Q's by −0.3 from b1 (asinh scale). */
  private static Map<String, List<Events>> controls(int qInB2) {
    Map<String, List<Events>> m = new LinkedHashMap<>();
    m.put("b1", List.of(sample("c1", 1, 2000, 2000, 0, 0)));
    m.put("b2", List.of(sample("c2", 2, 2000, qInB2, 0.5, -0.3)));
    return m;
  }

  private static QuantileNormParams ontoB1() {
    return new QuantileNormParams(CHANNELS, ASINH, 99, new Goal.Batch("b1"));
  }

  /** The median of channel A (asinh scale) of population {@code pop}. */
  private static double medianA(Events e, int pop) {
    return Quantiles.type7(
        IntStream.range(0, e.events())
            .filter(i -> e.values()[3 * i + 2] == pop)
            .mapToDouble(i -> ASINH.apply(e.values()[3 * i]))
            .toArray(),
        new double[] {0.5})[0];
  }

  @Test
  void eachPopulationIsBroughtOntoTheGoalWhereOneModelCannot() {
    Map<String, List<Events>> controls = controls(2000);
    ClusteredQuantileNormModel clustered =
        new ClusteredQuantileNormaliser(ontoB1(), ClusterNormParams.of(2)).fit(controls);
    QuantileNormModel plain = new QuantileNormaliser(ontoB1()).fit(controls);
    assertEquals(List.of(), clustered.warnings());

    // every event of a population in one cluster, the two populations in different ones
    Events fresh = sample("x2", 22, 2000, 2000, 0.5, -0.3);
    int[] cluster = clustered.assign(fresh);
    for (int i = 0; i < cluster.length; i++) {
      assertEquals(i < 2000 ? cluster[0] : 1 - cluster[0], cluster[i], "event " + i);
    }

    Events b1 = sample("x1", 11, 2000, 2000, 0, 0);
    Events byClusters = clustered.apply("b2", fresh);
    Events byOne = plain.apply("b2", fresh);
    for (int pop = 0; pop < 2; pop++) {
      double goal = medianA(b1, pop);
      double before = Math.abs(medianA(fresh, pop) - goal);
      double clusteredError = Math.abs(medianA(byClusters, pop) - goal);
      double plainError = Math.abs(medianA(byOne, pop) - goal);
      System.out.printf(
          "population %s: |median A - b1's| before %.3f, one model %.3f, 2 clusters %.3f%n",
          pop == 0 ? "P (+0.5)" : "Q (-0.3)", before, plainError, clusteredError);
      assertTrue(clusteredError < 0.05, "population " + pop + ": " + clusteredError);
      assertTrue(plainError > 0.2, "population " + pop + ": " + plainError);
    }
    // channel B had no shift and T is not listed
    for (int i = 0; i < fresh.events(); i++) {
      assertEquals(fresh.values()[3 * i + 2], byClusters.values()[3 * i + 2], 0);
    }
  }

  @Test
  void oneClusterIsTheUnclusteredModelBitForBit() {
    Map<String, List<Events>> controls = controls(2000);
    QuantileNormParams mean = QuantileNormParams.of(CHANNELS, ASINH);
    ClusteredQuantileNormModel one =
        new ClusteredQuantileNormaliser(mean, ClusterNormParams.of(1)).fit(controls);
    QuantileNormModel plain = new QuantileNormaliser(mean).fit(controls);
    Events fresh = sample("x2", 22, 1500, 500, 0.5, -0.3);
    assertArrayEquals(plain.apply("b2", fresh).values(), one.apply("b2", fresh).values(), 0);
    assertArrayEquals(plain.goalQuantiles("A"), one.cluster(0).goalQuantiles("A"), 0);
  }

  @Test
  void aClusterWithTooFewControlEventsOfABatchIsLeftAsItIsWithAWarning() {
    // b2's controls hold 20 events of Q: below the 50 of the default rule
    Map<String, List<Events>> controls = controls(20);
    ClusteredQuantileNormModel model =
        new ClusteredQuantileNormaliser(ontoB1(), ClusterNormParams.of(2)).fit(controls);
    Events fresh = sample("x2", 22, 2000, 2000, 0.5, -0.3);
    int q = model.assign(fresh)[2000];
    assertEquals(20, model.controlEvents("b2", q));
    assertEquals(2000, model.controlEvents("b1", q));
    assertEquals(
        List.of(
            "batch 'b2', cluster "
                + (q + 1)
                + " of 2, every channel: 20 control event(s), fewer than 50 events; left"
                + " unnormalised (identity)"),
        model.warnings());
    Events out = model.apply("b2", fresh);
    for (int i = 2000; i < fresh.events(); i++) {
      assertEquals(fresh.values()[3 * i], out.values()[3 * i], 0, "event " + i);
    }
    assertTrue(Math.abs(medianA(out, 0) - medianA(sample("x1", 11, 2000, 2000, 0, 0), 0)) < 0.05);
    // batch b1 is the goal and has enough events: its Q events stay (up to the spline's rounding)
    assertTrue(model.cluster(q).spline("b2", "A").isIdentity());
    assertTrue(!model.cluster(q).spline("b1", "A").isIdentity());
  }

  @Test
  void refusesBadParametersAndControlsNamingEachProblem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ClusterNormParams(101, SomParams.defaults(), 0));
    assertTrue(e.getMessage().contains("clusters (101) must be at most 90"), e.getMessage());
    assertTrue(e.getMessage().contains("minEvents must be at least 1, not 0"), e.getMessage());
    Map<String, List<Events>> bad = new LinkedHashMap<>(controls(2000));
    bad.put("b3", List.of());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ClusteredQuantileNormaliser(ontoB1(), ClusterNormParams.of(2)).fit(bad));
    assertTrue(e.getMessage().contains("batch 'b3' has no control"), e.getMessage());
  }
}
