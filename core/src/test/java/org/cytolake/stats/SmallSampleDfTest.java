package org.cytolake.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

/**
 * The t reference of {@link Estimate#studentT} and the between-within degrees of freedom of {@link
 * MixedModelFit#betweenWithinDf}: with two visits per subject and a clear subject effect, the mixed
 * model's visit effect is the paired t-test (estimate, SE, t, n − 1 degrees of freedom, p and 95%
 * interval), which Commons Math's {@link TTest} computes independently.
 */
class SmallSampleDfTest {
  private static final double[] D1 = {10.1, 12.3, 8.7, 15.2, 11.0, 9.4};
  private static final double[] D8 = {11.0, 12.9, 10.1, 15.8, 12.6, 9.9};

  private static List<Observation> paired() {
    List<Observation> obs = new ArrayList<>();
    for (int i = 0; i < D1.length; i++) {
      obs.add(new Observation("p" + i, D1[i], Map.of("visit", "D1"), Map.of()));
      obs.add(new Observation("p" + i, D8[i], Map.of("visit", "D8"), Map.of()));
    }
    return obs;
  }

  @Test
  void twoVisitsGiveThePairedTTest() {
    MixedModelFit fit =
        new LinearMixedModel(DesignSpec.builder().factor("visit", "D1").build()).fit(paired());
    assertFalse(fit.boundary());
    Map<String, Double> w = fit.fixedEffects().levelWeights("visit", "D8", Map.of());
    assertEquals(D1.length - 1, fit.betweenWithinDf(w));
    assertEquals(
        Map.of("visit[T.D8]", true),
        Map.of("visit[T.D8]", fit.withinSubject().contains("visit[T.D8]")));
    Estimate e = fit.smallSampleContrast("D8 vs D1", w);

    double[] d = new double[D1.length];
    double mean = 0;
    for (int i = 0; i < d.length; i++) {
      d[i] = D8[i] - D1[i];
      mean += d[i] / d.length;
    }
    double ss = 0;
    for (double x : d) {
      ss += (x - mean) * (x - mean);
    }
    double se = Math.sqrt(ss / (d.length - 1) / d.length);
    double q = new TDistribution(null, d.length - 1).inverseCumulativeProbability(0.975);
    assertEquals(mean, e.estimate(), 1e-9);
    assertEquals(se, e.standardError(), 1e-6);
    assertEquals(new TTest().pairedT(D8, D1), e.z(), 1e-5);
    assertEquals(new TTest().pairedTTest(D8, D1), e.p(), 1e-6);
    assertEquals(mean - q * se, e.lower(), 1e-6);
    assertEquals(mean + q * se, e.upper(), 1e-6);
    assertEquals(d.length - 1, e.df());
  }

  @Test
  void aBetweenSubjectContrastHasTheSubjectsDegreesOfFreedom() {
    List<Observation> obs = new ArrayList<>();
    String[] cohorts = {"A", "A", "A", "B", "B", "B"};
    for (int i = 0; i < D1.length; i++) {
      obs.add(
          new Observation("p" + i, D1[i], Map.of("visit", "D1", "cohort", cohorts[i]), Map.of()));
      obs.add(
          new Observation("p" + i, D8[i], Map.of("visit", "D8", "cohort", cohorts[i]), Map.of()));
    }
    MixedModelFit fit =
        new LinearMixedModel(
                DesignSpec.builder()
                    .factor("visit", "D1")
                    .factor("cohort", "A")
                    .interaction("visit", "cohort")
                    .build())
            .fit(obs);
    // 12 observations, 6 subjects; within: visit, visit:cohort (2); between: intercept, cohort (2)
    assertEquals(
        12 - 6 - 2,
        fit.betweenWithinDf(fit.fixedEffects().levelWeights("visit", "D8", Map.of("cohort", "B"))));
    assertEquals(6 - 2, fit.betweenWithinDf(Map.of("cohort[T.B]", 1.0)));
  }

  @Test
  void anInfiniteDfIsTheNormalReferenceAndANonPositiveOneIsRefused() {
    Estimate w = Estimate.wald("x", 1.5, 0.5);
    assertEquals(w, Estimate.studentT("x", 1.5, 0.5, Double.POSITIVE_INFINITY));
    assertEquals(Double.POSITIVE_INFINITY, w.df());
    Estimate t = w.withDegreesOfFreedom(3);
    assertEquals(w.z(), t.z());
    // t_3 at |3|: two-sided p = 0.0577 (tables), wider than the normal's 0.0027
    assertEquals(0.05767, t.p(), 1e-5);
    assertThrows(IllegalArgumentException.class, () -> w.withDegreesOfFreedom(0));
  }
}
