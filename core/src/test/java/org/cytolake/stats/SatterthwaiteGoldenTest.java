package org.cytolake.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link SatterthwaiteDf} against {@code satterthwaite.json}, written by
 * scripts/golden/satterthwaite_golden.py: statsmodels' REML fit and Satterthwaite df computed there
 * by an independent, numerical route (a dense numpy REML log-likelihood in (s2_u, s2_e), its
 * Richardson central-difference Hessian and gradient of c' Φ c), for the 13 mixedlm.json cases, the
 * two-visit paired design (df n − 1) and three more unbalanced ones (unequal cohorts, missing
 * visits, between-patient contrasts). The analytic derivatives here and the numerical ones there
 * agree to about 1e-8 relative (the report prints the largest difference); the test asks 1e-6.
 */
class SatterthwaiteGoldenTest {
  private static final JsonNode GOLDEN = Golden.read("satterthwaite.json");

  /** Relative tolerance on df and on the REML information; measured below 1e-7. */
  private static final double TOL = 1e-6;

  /** On the variance estimates, which statsmodels and LinearMixedModel find to about 1e-8. */
  private static final double VARIANCE_TOL = 1e-5;

  private static final Golden.Diffs DIFFS = new Golden.Diffs();

  @Test
  void goldenFileHasTheMixedModelCasesThePairedDesignAndUnbalancedOnes() {
    assertTrue(GOLDEN.get("cases").size() >= 17);
    Golden.goldenCase(GOLDEN, "paired_two_visits");
    for (JsonNode c : Golden.read("mixedlm.json").get("cases")) {
      Golden.goldenCase(GOLDEN, c.get("name").asText());
    }
  }

  @TestFactory
  Stream<DynamicTest> matchesTheNumericalSatterthwaite() {
    return Golden.perCase(GOLDEN, SatterthwaiteGoldenTest::check);
  }

  private static void check(JsonNode c) {
    String name = c.get("name").asText();
    JsonNode r = c.get("result");
    MixedModelFit fit =
        new LinearMixedModel(Golden.spec(c.get("spec"))).fit(Golden.observations(c));
    Golden.assertDropped(name, c, fit.fixedEffects());
    int n = r.get("nobs").asInt();
    int p = r.get("fixed_effects").asInt();
    assertEquals(n, fit.observations(), name);
    assertEquals(p, fit.fixedEffects().names().size(), name);
    boolean boundary = r.get("boundary").asBoolean();
    assertEquals(boundary, fit.boundary(), name + " boundary");
    SatterthwaiteDf sd = fit.satterthwaite();
    assertTrue(sd.available(), name + ": " + sd.reason());
    if (!boundary) {
      DIFFS.check("s2_u", name, r.get("s2_u").asDouble(), fit.subjectVariance(), VARIANCE_TOL);
    }
    DIFFS.check("s2_e", name, r.get("s2_e").asDouble(), fit.residualVariance(), VARIANCE_TOL);

    // the information: the inverse of A; at the boundary only its s2_e entry
    double[][] a = sd.thetaCovariance();
    JsonNode h = r.get("information");
    if (boundary) {
      DIFFS.check("information", name, h.get(0).get(0).asDouble(), 1 / a[1][1], TOL);
    } else {
      double det = a[0][0] * a[1][1] - a[0][1] * a[0][1];
      DIFFS.check("information", name + " [0,0]", h.get(0).get(0).asDouble(), a[1][1] / det, TOL);
      DIFFS.check("information", name + " [0,1]", h.get(0).get(1).asDouble(), -a[0][1] / det, TOL);
      DIFFS.check("information", name + " [1,1]", h.get(1).get(1).asDouble(), a[0][0] / det, TOL);
    }

    for (JsonNode k : c.get("contrasts")) {
      String what = name + " '" + k.get("label").asText() + "'";
      Map<String, Double> w = Golden.weights(k.get("weights"));
      double expected = k.get("df").asDouble();
      DIFFS.check("df", what, expected, fit.satterthwaiteDf(w), TOL);
      MixedModelFit.Df df = fit.degreesOfFreedom(w, DfMethod.SATTERTHWAITE);
      assertEquals(boundary ? MixedModelFit.RESIDUAL : "satterthwaite", df.method(), what);
      if (boundary) {
        assertEquals(n - p, df.value(), what + " at the boundary: n - p");
      }
      Estimate e = fit.smallSampleContrast(k.get("label").asText(), w, DfMethod.SATTERTHWAITE);
      assertEquals(df.value(), e.df(), what);
      assertEquals(fit.contrast("x", w).standardError(), e.standardError(), 0, what);
    }
  }

  @AfterAll
  static void report() {
    System.out.print(
        DIFFS.report(
            "Satterthwaite df vs the numerical route of satterthwaite_golden.py (statsmodels "
                + GOLDEN.get("versions").get("statsmodels").asText()
                + ", numpy "
                + GOLDEN.get("versions").get("numpy").asText()
                + ")"));
  }
}
