package org.cytolake.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The t reference of {@link Estimate#studentT} and the degrees of freedom of {@link
 * MixedModelFit#degreesOfFreedom}, Satterthwaite and between-within: with two visits per subject
 * and a clear subject effect, the mixed model's visit effect is the paired t-test (estimate, SE,
 * t, n − 1 degrees of freedom, p and 95% interval) by either method, which Commons Math's {@link
 * TTest} computes independently; the boundary and the fallback.
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

  @ParameterizedTest
  @EnumSource(DfMethod.class)
  void twoVisitsGiveThePairedTTest(DfMethod method) {
    MixedModelFit fit =
        new LinearMixedModel(DesignSpec.builder().factor("visit", "D1").build()).fit(paired());
    assertFalse(fit.boundary());
    Map<String, Double> w = fit.fixedEffects().levelWeights("visit", "D8", Map.of());
    assertEquals(D1.length - 1, fit.betweenWithinDf(w));
    // Satterthwaite: exactly n - 1 in theory; the analytic derivatives reach it to rounding
    assertEquals(D1.length - 1, fit.satterthwaiteDf(w), 1e-9);
    assertEquals(method.label(), fit.degreesOfFreedom(w, method).method());
    assertEquals(
        Map.of("visit[T.D8]", true),
        Map.of("visit[T.D8]", fit.withinSubject().contains("visit[T.D8]")));
    Estimate e = fit.smallSampleContrast("D8 vs D1", w, method);

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
    assertEquals(d.length - 1, e.df(), 1e-9);
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

  /**
   * With one sample per subject s2_u cannot be separated from s2_e and is 0, the boundary: it is
   * held there, and Satterthwaite's df is the residual n − p of the least squares fit, said as
   * method "residual".
   */
  @Test
  void atTheBoundarySatterthwaiteIsTheResidualDf() {
    List<Observation> obs = new ArrayList<>();
    for (int i = 0; i < D1.length; i++) {
      obs.add(new Observation("a" + i, D1[i], Map.of("visit", "D1"), Map.of()));
      obs.add(new Observation("b" + i, D8[i], Map.of("visit", "D8"), Map.of()));
    }
    MixedModelFit fit =
        new LinearMixedModel(DesignSpec.builder().factor("visit", "D1").build()).fit(obs);
    assertTrue(fit.boundary());
    assertTrue(fit.satterthwaite().boundary());
    Map<String, Double> w = Map.of("visit[T.D8]", 1.0);
    MixedModelFit.Df df = fit.degreesOfFreedom(w, DfMethod.SATTERTHWAITE);
    assertEquals(12 - 2, df.value());
    assertEquals(MixedModelFit.RESIDUAL, df.method());
    // and it is the two-sample t-test with pooled variance
    assertEquals(
        new TTest().homoscedasticTTest(D8, D1),
        fit.smallSampleContrast("D8 vs D1", w, DfMethod.SATTERTHWAITE).p(),
        1e-9);
  }

  /**
   * One patient per cohort with visit + cohort (the differential table's lmm-additive fallback on
   * data-samples): each patient's intercept is the cohort's, the REML likelihood is flat in s2_u
   * and its information 0. A visit effect does not depend on s2_u: its df is n − p, the two-way
   * ANOVA's residual df, method "residual"; a cohort difference does, and falls back to
   * between-within saying why.
   */
  @Test
  void anUnidentifiablePatientVarianceGivesTheResidualDfOrNone() {
    List<Observation> obs = new ArrayList<>();
    String[] visits = {"D1", "D8", "D15"};
    double[][] y = {{10.1, 11.0, 10.4}, {12.3, 12.9, 12.2}, {8.7, 10.1, 9.0}, {15.2, 15.8, 15.5}};
    for (int i = 0; i < y.length; i++) {
      for (int v = 0; v < visits.length; v++) {
        obs.add(
            new Observation(
                "p" + i, y[i][v], Map.of("visit", visits[v], "cohort", "C" + i), Map.of()));
      }
    }
    MixedModelFit fit =
        new LinearMixedModel(
                DesignSpec.builder().factor("visit", "D1").factor("cohort", "C0").build())
            .fit(obs);
    assertFalse(fit.satterthwaite().identified());
    MixedModelFit.Df visit =
        fit.degreesOfFreedom(Map.of("visit[T.D8]", 1.0), DfMethod.SATTERTHWAITE);
    // 12 samples, 6 columns (intercept, 2 visits, 3 cohorts)
    assertEquals(12 - 6, visit.value());
    assertEquals(MixedModelFit.RESIDUAL, visit.method());
    MixedModelFit.Df cohort =
        fit.degreesOfFreedom(Map.of("cohort[T.C1]", 1.0), DfMethod.SATTERTHWAITE);
    assertEquals(fit.betweenWithinDf(Map.of("cohort[T.C1]", 1.0)), cohort.value());
    assertTrue(
        cohort
            .method()
            .startsWith(
                "between-within (satterthwaite unavailable: the patient"
                    + " variance is not identifiable"),
        cohort.method());
  }

  /**
   * A contrast of zero variance has no Satterthwaite df (0 / 0): the between-within df are used
   * and the method says why.
   */
  @Test
  void withoutASatterthwaiteDfTheMethodFallsBackToBetweenWithinAndSaysWhy() {
    MixedModelFit fit =
        new LinearMixedModel(DesignSpec.builder().factor("visit", "D1").build()).fit(paired());
    assertTrue(Double.isNaN(fit.satterthwaiteDf(Map.of())));
    MixedModelFit.Df df = fit.degreesOfFreedom(Map.of(), DfMethod.SATTERTHWAITE);
    assertEquals(fit.betweenWithinDf(Map.of()), df.value());
    assertEquals(
        "between-within (satterthwaite unavailable: not a positive finite number for this"
            + " contrast)",
        df.method());
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
