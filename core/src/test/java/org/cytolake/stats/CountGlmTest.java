package org.cytolake.stats;

import static org.cytolake.stats.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Invariances of {@link CountGlm} and its edge cases. */
class CountGlmTest {
  private static final JsonNode GOLDEN = Golden.read("glm.json");

  @Test
  void permutingRowsDoesNotChangeTheFit() {
    for (String name : List.of("binomial_visit_by_cohort", "negbin_alpha_estimated")) {
      JsonNode c = Golden.goldenCase(GOLDEN, name);
      DesignSpec spec = Golden.spec(c.get("spec"));
      CountGlm glm =
          name.startsWith("binomial")
              ? CountGlm.binomial(spec)
              : CountGlm.negativeBinomialEstimatedAlpha(spec);
      List<CountObservation> obs = Golden.countObservations(c, 1);
      GlmFit a = glm.fit(obs);
      List<CountObservation> shuffled = new ArrayList<>(obs);
      Collections.shuffle(shuffled, new Random(5));
      GlmFit b = glm.fit(shuffled);
      for (int k = 0; k < a.coefficients().size(); k++) {
        assertClose(
            a.coefficients().get(k).estimate(),
            b.coefficients().get(k).estimate(),
            1e-9,
            name + " " + a.coefficients().get(k).name());
        assertClose(
            a.coefficients().get(k).standardError(),
            b.coefficients().get(k).standardError(),
            1e-9,
            name);
      }
      assertClose(a.logLikelihood(), b.logLikelihood(), 1e-12, name + " llf");
    }
  }

  @Test
  void scalingTheTotalsOfTheNegativeBinomialShiftsOnlyTheIntercept() {
    JsonNode c = Golden.goldenCase(GOLDEN, "negbin_alpha_given");
    CountGlm glm = CountGlm.negativeBinomial(Golden.spec(c.get("spec")), 0.1);
    GlmFit a = glm.fit(Golden.countObservations(c, 1));
    GlmFit b = glm.fit(Golden.countObservations(c, 8));
    for (int k = 0; k < a.coefficients().size(); k++) {
      Estimate ea = a.coefficients().get(k);
      Estimate eb = b.coefficients().get(k);
      double shift = ea.name().equals(DesignMatrix.INTERCEPT) ? -Math.log(8) : 0;
      assertEquals(ea.estimate() + shift, eb.estimate(), 1e-9, ea.name());
      assertClose(ea.standardError(), eb.standardError(), 1e-9, ea.name());
    }
  }

  @Test
  void estimatedAlphaMaximisesTheLikelihood() {
    JsonNode c = Golden.goldenCase(GOLDEN, "negbin_alpha_estimated");
    DesignSpec spec = Golden.spec(c.get("spec"));
    List<CountObservation> obs = Golden.countObservations(c, 1);
    GlmFit fit = CountGlm.negativeBinomialEstimatedAlpha(spec).fit(obs);
    assertTrue(fit.alphaEstimated());
    for (double f : new double[] {0.99, 1.01}) {
      GlmFit other = CountGlm.negativeBinomial(spec, f * fit.alpha()).fit(obs);
      assertTrue(other.logLikelihood() < fit.logLikelihood(), "alpha x" + f);
      assertFalse(other.alphaEstimated());
    }
  }

  @Test
  void underdispersedCountsEstimateAlphaAtZeroThePoissonModel() {
    List<CountObservation> obs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String visit = i % 2 == 0 ? "D1" : "D8";
      long mu = visit.equals("D1") ? 50 : 80;
      obs.add(new CountObservation(mu + (i % 3) - 1, 1000, Map.of("visit", visit)));
    }
    DesignSpec spec = DesignSpec.builder().factor("visit", "D1").build();
    GlmFit fit = CountGlm.negativeBinomialEstimatedAlpha(spec).fit(obs);
    GlmFit poisson = CountGlm.negativeBinomial(spec, 0).fit(obs);
    assertEquals(0.0, fit.alpha());
    assertEquals(
        "no overdispersion: the maximum likelihood alpha is 0, the Poisson model",
        fit.notes().get(0));
    assertEquals(poisson.logLikelihood(), fit.logLikelihood(), 1e-9);
    // NB with a tiny alpha is the Poisson model
    GlmFit tiny = CountGlm.negativeBinomial(spec, 1e-9).fit(obs);
    assertClose(poisson.logLikelihood(), tiny.logLikelihood(), 1e-6, "NB(1e-9) ~ Poisson llf");
    assertClose(
        poisson.coefficients().get(1).estimate(),
        tiny.coefficients().get(1).estimate(),
        1e-6,
        "NB(1e-9) ~ Poisson");
    // a saturated one-factor Poisson model: the coefficient is the log ratio of the group means
    double d1 =
        obs.stream()
            .filter(o -> o.factors().get("visit").equals("D1"))
            .mapToLong(CountObservation::events)
            .average()
            .orElseThrow();
    double d8 =
        obs.stream()
            .filter(o -> o.factors().get("visit").equals("D8"))
            .mapToLong(CountObservation::events)
            .average()
            .orElseThrow();
    assertClose(Math.log(d8 / d1), poisson.coefficients().get(1).estimate(), 1e-12, "log ratio");
  }

  @Test
  void separationIsReportedNotThrown() {
    List<CountObservation> obs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      obs.add(new CountObservation(i < 3 ? 40 + i : 0, 1000, Map.of("visit", i < 3 ? "D1" : "D8")));
    }
    GlmFit fit = CountGlm.binomial(DesignSpec.builder().factor("visit", "D1").build()).fit(obs);
    assertFalse(fit.converged());
    assertTrue(fit.notes().get(0).startsWith("IRLS did not converge"), fit.notes().toString());
    assertTrue(fit.coefficients().get(1).estimate() < -20);
  }

  @Test
  void invalidCountsAreRefusedNamingThem() {
    DesignSpec spec = DesignSpec.builder().factor("visit", "D1").build();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                CountGlm.binomial(spec)
                    .fit(
                        List.of(
                            new CountObservation(5, 0, Map.of("visit", "D1")),
                            new CountObservation(12, 10, Map.of("visit", "D8")))));
    assertEquals(
        "Cannot fit binomial GLM: observation 0 has total 0, not > 0; observation 0 has 5 "
            + "events of 0; observation 1 has 12 events of 10",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CountGlm.negativeBinomial(spec, -1));
    assertEquals(
        "Cannot build negative binomial GLM: alpha -1.0 is not a finite number >= 0",
        e.getMessage());
  }

  @Test
  void digammaIsAccurate() {
    double euler = 0.5772156649015329;
    assertEquals(-euler, CountGlm.Irls.digamma(1), 1e-15);
    assertEquals(-euler - 2 * Math.log(2), CountGlm.Irls.digamma(0.5), 1e-14);
    // ψ(n) = H_{n-1} - γ
    double h = 0;
    for (int k = 1; k < 100; k++) {
      h += 1.0 / k;
    }
    assertEquals(h - euler, CountGlm.Irls.digamma(100), 1e-14);
    // exact sum and digamma branch of ψ(k + θ) - ψ(θ) agree
    double sum = 0;
    for (int j = 0; j < 150; j++) {
      sum += 1 / (4.87 + j);
    }
    assertEquals(sum, CountGlm.Irls.digammaDifference(150, 4.87), 1e-13);
  }
}
