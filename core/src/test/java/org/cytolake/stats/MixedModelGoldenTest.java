package org.cytolake.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
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
    DesignSpec spec = Golden.spec(c.get("spec"));
    JsonNode data = c.get("data");
    List<Observation> obs = new ArrayList<>();
    for (int i = 0; i < data.get("y").size(); i++) {
      obs.add(new Observation(data.get("subject").get(i).asText(), data.get("y").get(i).asDouble(),
          Golden.factors(spec, data, i), Golden.covariates(spec, data, i)));
    }
    return new LinearMixedModel(spec).fit(obs);
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
    return StreamSupport.stream(GOLDEN.get("cases").spliterator(), false)
        .map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> check(c)));
  }

  private static void check(JsonNode c) {
    String name = c.get("name").asText();
    JsonNode r = c.get("result");
    MixedModelFit fit = fit(c);
    List<String> dropped = new ArrayList<>();
    fit.fixedEffects().aliased().forEach(a -> dropped.add(a.name()));
    assertEquals(Golden.strings(c.get("dropped")), dropped, name + " dropped columns");
    assertEquals(r.get("nobs").asInt(), fit.observations(), name);
    assertEquals(r.get("ngroups").asInt(), fit.subjects(), name);
    assertEquals(r.get("params").size(), fit.coefficients().size(), name);
    for (Estimate e : fit.coefficients()) {
      String what = name + " " + e.name();
      DIFFS.check("estimate", what, r.get("params").get(e.name()).asDouble(), e.estimate(), TOL);
      DIFFS.check("standard error", what, r.get("bse").get(e.name()).asDouble(),
          e.standardError(), TOL);
      DIFFS.check("z", what, r.get("tvalues").get(e.name()).asDouble(), e.z(), TOL);
      DIFFS.check("p", what, r.get("pvalues").get(e.name()).asDouble(), e.p(), TOL);
    }
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
    for (JsonNode k : c.get("contrasts")) {
      String what = name + " '" + k.get("label").asText() + "'";
      Estimate e = fit.contrast(k.get("label").asText(), Golden.weights(k.get("weights")));
      DIFFS.check("contrast estimate", what, k.get("estimate").asDouble(), e.estimate(), TOL);
      DIFFS.check("contrast SE", what, k.get("se").asDouble(), e.standardError(), TOL);
      DIFFS.check("contrast z", what, k.get("z").asDouble(), e.z(), TOL);
      DIFFS.check("contrast p", what, k.get("p").asDouble(), e.p(), TOL);
      DIFFS.check("contrast CI", what, k.get("lower").asDouble(), e.lower(), TOL);
      DIFFS.check("contrast CI", what, k.get("upper").asDouble(), e.upper(), TOL);
    }
  }

  @AfterAll
  static void report() {
    System.out.print(DIFFS.report("LinearMixedModel vs statsmodels "
        + GOLDEN.get("versions").get("statsmodels").asText()));
  }
}
