package org.cytolake.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link CountGlm} against statsmodels' GLM (Binomial; NegativeBinomial with given alpha, and with
 * alpha as estimated by statsmodels' discrete NegativeBinomial) on stats/golden/glm.json, to 1e-6
 * relative.
 */
class CountGlmGoldenTest {
  static final double TOL = 1e-6;
  private static final JsonNode GOLDEN = Golden.read("glm.json");
  private static final Golden.Diffs DIFFS = new Golden.Diffs();

  static GlmFit fit(JsonNode c) {
    DesignSpec spec = Golden.spec(c.get("spec"));
    List<CountObservation> obs = Golden.countObservations(c, 1);
    CountGlm glm;
    if (c.get("family").asText().equals("binomial")) {
      glm = CountGlm.binomial(spec);
    } else if (c.get("alpha").isNull()) {
      glm = CountGlm.negativeBinomialEstimatedAlpha(spec);
    } else {
      glm = CountGlm.negativeBinomial(spec, c.get("alpha").asDouble());
    }
    return glm.fit(obs);
  }

  @Test
  void goldenFileHasTheCasesTheBriefAsksFor() {
    assertTrue(GOLDEN.get("cases").size() >= 4);
  }

  @TestFactory
  Stream<DynamicTest> matchesStatsmodels() {
    return Golden.perCase(GOLDEN, CountGlmGoldenTest::check);
  }

  private static void check(JsonNode c) {
    String name = c.get("name").asText();
    JsonNode r = c.get("result");
    GlmFit fit = fit(c);
    assertTrue(fit.converged(), name);
    Golden.assertDropped(name, c, fit.fixedEffects());
    assertEquals(r.get("nobs").asInt(), fit.observations(), name);
    assertEquals(r.get("params").size(), fit.coefficients().size(), name);
    if (c.has("alpha_estimated")) {
      JsonNode a = c.get("alpha_estimated");
      DIFFS.check("alpha (ML)", name, a.get("alpha").asDouble(), fit.alpha(), TOL);
      DIFFS.check("llf", name + " discrete NB", a.get("llf").asDouble(), fit.logLikelihood(), TOL);
      for (Estimate e : fit.coefficients()) {
        DIFFS.check(
            "estimate",
            name + " discrete NB " + e.name(),
            a.get("params").get(e.name()).asDouble(),
            e.estimate(),
            TOL);
      }
    }
    DIFFS.checkCoefficients(name, r, fit.coefficients(), TOL);
    DIFFS.check("llf", name, r.get("llf").asDouble(), fit.logLikelihood(), TOL);
    DIFFS.check("deviance", name, r.get("deviance").asDouble(), fit.deviance(), TOL);
    DIFFS.check("pearson chi2", name, r.get("pearson_chi2").asDouble(), fit.pearsonChi2(), TOL);
    DIFFS.checkContrasts(name, c.get("contrasts"), fit::contrast, TOL);
  }

  @AfterAll
  static void report() {
    System.out.print(
        DIFFS.report(
            "CountGlm vs statsmodels " + GOLDEN.get("versions").get("statsmodels").asText()));
  }
}
