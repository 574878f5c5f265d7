package org.cytolake.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link LinearMixedModel} against statsmodels' MixedLM (REML) on the golden cases of
 * stats/golden/mixedlm.json: estimates, standard errors, z, p, variance components, REML
 * log-likelihood and contrasts equal statsmodels' to 1e-4 relative.
 */
class MixedModelGoldenTest {
  static final double TOL = 1e-4;
  private static final JsonNode GOLDEN = Golden.read("mixedlm.json");
  private static final Golden.Diffs DIFFS = new Golden.Diffs();

  static MixedModelFit fit(JsonNode c) {
    return new LinearMixedModel(Golden.spec(c.get("spec"))).fit(Golden.observations(c));
  }

  @Test
  void goldenFileHasTheCasesTheBriefAsksFor() {
    assertTrue(GOLDEN.get("cases").size() >= 10);
    for (JsonNode c : GOLDEN.get("cases")) {
      assertTrue(c.get("result").get("converged").asBoolean(), c.get("name").asText());
    }
  }

  @TestFactory
  Stream<DynamicTest> matchesStatsmodels() {
    return Golden.perCase(GOLDEN, MixedModelGoldenTest::check);
  }

  private static void check(JsonNode c) {
    String name = c.get("name").asText();
    JsonNode r = c.get("result");
    MixedModelFit fit = fit(c);
    Golden.assertDropped(name, c, fit.fixedEffects());
    assertEquals(r.get("nobs").asInt(), fit.observations(), name);
    assertEquals(r.get("ngroups").asInt(), fit.subjects(), name);
    assertEquals(r.get("params").size(), fit.coefficients().size(), name);
    DIFFS.checkCoefficients(name, r, fit.coefficients(), TOL);
    double smVar = r.get("cov_re").asDouble();
    double scale = r.get("scale").asDouble();
    if (c.get("name").asText().startsWith("boundary")) {
      // statsmodels stops at s2_u / s2_e = 1e-10 (see the script); ours is exactly 0.
      assertEquals(0.0, fit.subjectVariance(), name);
      assertTrue(smVar <= 1e-9 * scale, name + " statsmodels s2_u " + smVar);
    } else {
      DIFFS.check("s2_u", name, smVar, fit.subjectVariance(), TOL);
    }
    DIFFS.check("s2_e", name, scale, fit.residualVariance(), TOL);
    DIFFS.check("REML llf", name, r.get("llf").asDouble(), fit.remlLogLikelihood(), TOL);
    DIFFS.checkContrasts(name, c.get("contrasts"), fit::contrast, TOL);
  }

  @AfterAll
  static void report() {
    System.out.print(
        DIFFS.report(
            "LinearMixedModel vs statsmodels "
                + GOLDEN.get("versions").get("statsmodels").asText()));
  }
}
