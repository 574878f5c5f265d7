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
    JsonNode data = c.get("data");
    List<CountObservation> obs = new ArrayList<>();
    for (int i = 0; i < data.get("events").size(); i++) {
      obs.add(new CountObservation(data.get("events").get(i).asLong(),
          data.get("total").get(i).asLong(), Golden.factors(spec, data, i),
          Golden.covariates(spec, data, i)));
    }
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
    return StreamSupport.stream(GOLDEN.get("cases").spliterator(), false)
        .map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> check(c)));
  }

  private static void check(JsonNode c) {
    String name = c.get("name").asText();
    JsonNode r = c.get("result");
    GlmFit fit = fit(c);
    assertTrue(fit.converged(), name);
    List<String> dropped = new ArrayList<>();
    fit.fixedEffects().aliased().forEach(a -> dropped.add(a.name()));
    assertEquals(Golden.strings(c.get("dropped")), dropped, name + " dropped columns");
    assertEquals(r.get("nobs").asInt(), fit.observations(), name);
    assertEquals(r.get("params").size(), fit.coefficients().size(), name);
    if (c.has("alpha_estimated")) {
      JsonNode a = c.get("alpha_estimated");
      DIFFS.check("alpha (ML)", name, a.get("alpha").asDouble(), fit.alpha(), TOL);
      DIFFS.check("llf", name + " discrete NB", a.get("llf").asDouble(), fit.logLikelihood(), TOL);
      for (Estimate e : fit.coefficients()) {
        DIFFS.check("estimate", name + " discrete NB " + e.name(),
            a.get("params").get(e.name()).asDouble(), e.estimate(), TOL);
      }
    }
    for (Estimate e : fit.coefficients()) {
      String what = name + " " + e.name();
      DIFFS.check("estimate", what, r.get("params").get(e.name()).asDouble(), e.estimate(), TOL);
      DIFFS.check("standard error", what, r.get("bse").get(e.name()).asDouble(),
          e.standardError(), TOL);
      DIFFS.check("z", what, r.get("tvalues").get(e.name()).asDouble(), e.z(), TOL);
      DIFFS.check("p", what, r.get("pvalues").get(e.name()).asDouble(), e.p(), TOL);
    }
    DIFFS.check("llf", name, r.get("llf").asDouble(), fit.logLikelihood(), TOL);
    DIFFS.check("deviance", name, r.get("deviance").asDouble(), fit.deviance(), TOL);
    DIFFS.check("pearson chi2", name, r.get("pearson_chi2").asDouble(), fit.pearsonChi2(), TOL);
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
    System.out.print(DIFFS.report("CountGlm vs statsmodels "
        + GOLDEN.get("versions").get("statsmodels").asText()));
  }
}
