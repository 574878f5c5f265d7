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
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.junit.jupiter.api.Test;

/** Invariances of {@link LinearMixedModel} and its edge cases. */
class MixedModelTest {
  private static final JsonNode GOLDEN = Golden.read("mixedlm.json");
  private static final DesignSpec VISIT_BY_COHORT =
      DesignSpec.builder()
          .factor("visit", "D1")
          .factor("cohort", "RA")
          .interaction("visit", "cohort")
          .build();

  private static List<Observation> mapY(List<Observation> obs, DoubleUnaryOperator f) {
    List<Observation> out = new ArrayList<>();
    for (Observation o : obs) {
      out.add(
          new Observation(o.subject(), f.applyAsDouble(o.response()), o.factors(), o.covariates()));
    }
    return out;
  }

  @Test
  void permutingRowsDoesNotChangeTheFit() {
    for (String name :
        List.of(
            "transreg_11_cohorts",
            "covariates_age_sex_batch",
            "empty_reference_cell",
            "boundary_zero_subject_variance")) {
      JsonNode c = Golden.goldenCase(GOLDEN, name);
      LinearMixedModel model = new LinearMixedModel(Golden.spec(c.get("spec")));
      List<Observation> obs = Golden.observations(c);
      MixedModelFit a = model.fit(obs);
      List<Observation> shuffled = new ArrayList<>(obs);
      Collections.shuffle(shuffled, new Random(17));
      MixedModelFit b = model.fit(shuffled);
      assertEquals(a.fixedEffects().names(), b.fixedEffects().names(), name);
      assertEquals(a.fixedEffects().aliased(), b.fixedEffects().aliased(), name);
      for (int k = 0; k < a.coefficients().size(); k++) {
        Estimate ea = a.coefficients().get(k);
        Estimate eb = b.coefficients().get(k);
        assertClose(ea.estimate(), eb.estimate(), 1e-9, name + " " + ea.name());
        assertClose(ea.standardError(), eb.standardError(), 1e-9, name + " SE " + ea.name());
      }
      assertClose(a.subjectVariance(), b.subjectVariance(), 1e-9, name + " s2_u");
      assertClose(a.residualVariance(), b.residualVariance(), 1e-9, name + " s2_e");
      assertClose(a.remlLogLikelihood(), b.remlLogLikelihood(), 1e-12, name + " llf");
    }
  }

  @Test
  void addingAConstantToTheResponseChangesOnlyTheIntercept() {
    JsonNode c = Golden.goldenCase(GOLDEN, "covariates_age_sex_batch");
    LinearMixedModel model = new LinearMixedModel(Golden.spec(c.get("spec")));
    List<Observation> obs = Golden.observations(c);
    MixedModelFit a = model.fit(obs);
    MixedModelFit b = model.fit(mapY(obs, y -> y + 250));
    for (int k = 0; k < a.coefficients().size(); k++) {
      Estimate ea = a.coefficients().get(k);
      Estimate eb = b.coefficients().get(k);
      double shift = ea.name().equals(DesignMatrix.INTERCEPT) ? 250 : 0;
      assertEquals(ea.estimate() + shift, eb.estimate(), 1e-8, ea.name());
      assertClose(ea.standardError(), eb.standardError(), 1e-8, "SE " + ea.name());
    }
    assertClose(a.subjectVariance(), b.subjectVariance(), 1e-8, "s2_u");
    assertClose(a.residualVariance(), b.residualVariance(), 1e-8, "s2_e");
    assertClose(a.remlLogLikelihood(), b.remlLogLikelihood(), 1e-10, "llf");
  }

  @Test
  void scalingTheResponseScalesEstimatesAndStandardErrors() {
    JsonNode c = Golden.goldenCase(GOLDEN, "unbalanced_missing_visits");
    LinearMixedModel model = new LinearMixedModel(Golden.spec(c.get("spec")));
    List<Observation> obs = Golden.observations(c);
    MixedModelFit a = model.fit(obs);
    for (double s : new double[] {1e-3, -7.5, 1e4}) {
      MixedModelFit b = model.fit(mapY(obs, y -> s * y));
      for (int k = 0; k < a.coefficients().size(); k++) {
        Estimate ea = a.coefficients().get(k);
        Estimate eb = b.coefficients().get(k);
        assertClose(s * ea.estimate(), eb.estimate(), 1e-8, "x" + s + " " + ea.name());
        assertClose(
            Math.abs(s) * ea.standardError(),
            eb.standardError(),
            1e-8,
            "x" + s + " SE " + ea.name());
        assertClose(ea.p(), eb.p(), 1e-6, "x" + s + " p " + ea.name());
      }
      assertClose(s * s * a.subjectVariance(), b.subjectVariance(), 1e-8, "s2_u");
      assertClose(s * s * a.residualVariance(), b.residualVariance(), 1e-8, "s2_e");
    }
  }

  @Test
  void boundaryFitEqualsOrdinaryLeastSquares() {
    JsonNode c = Golden.goldenCase(GOLDEN, "boundary_zero_subject_variance");
    List<Observation> obs = Golden.observations(c);
    MixedModelFit fit = new LinearMixedModel(Golden.spec(c.get("spec"))).fit(obs);
    assertTrue(fit.boundary());
    assertEquals(0.0, fit.subjectVariance());
    assertTrue(fit.notes().stream().anyMatch(n -> n.contains("boundary")), fit.notes().toString());

    DesignMatrix design = DesignMatrix.build(Golden.spec(c.get("spec")), obs);
    double[] y = obs.stream().mapToDouble(Observation::response).toArray();
    OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
    ols.setNoIntercept(true);
    ols.newSampleData(y, design.x());
    double[] b = ols.estimateRegressionParameters();
    for (int k = 0; k < b.length; k++) {
      assertClose(b[k], fit.fixedEffects().estimates()[k], 1e-10, design.keptNames().get(k));
    }
    assertClose(ols.estimateErrorVariance(), fit.residualVariance(), 1e-10, "s2_e = RSS/(n-p)");
  }

  @Test
  void levelContrastsAreTheGoldenWithinAndPooledContrasts() {
    JsonNode c = Golden.goldenCase(GOLDEN, "transreg_11_cohorts");
    MixedModelFit fit = new LinearMixedModel(VISIT_BY_COHORT).fit(Golden.observations(c));
    FixedEffects fe = fit.fixedEffects();
    for (JsonNode k : c.get("contrasts")) {
      String label = k.get("label").asText();
      Estimate e;
      if (label.endsWith("pooled")) {
        e = fe.pooledLevelContrast("visit", "D8", "cohort");
        assertEquals("visit D8 vs D1 averaged over cohort", e.name());
      } else {
        String cohort = label.substring(label.lastIndexOf(' ') + 1);
        e = fe.levelContrast("visit", "D8", Map.of("cohort", cohort));
        assertEquals("visit D8 vs D1 at cohort=" + cohort, e.name());
      }
      assertClose(k.get("estimate").asDouble(), e.estimate(), 1e-4, label);
      assertClose(k.get("se").asDouble(), e.standardError(), 1e-4, label + " SE");
      assertClose(k.get("p").asDouble(), e.p(), 1e-4, label + " p");
    }
    assertEquals(
        Map.of("visit[T.D8]", 1.0, "visit[T.D8]:cohort[T.SLE]", 1.0),
        fe.levelWeights("visit", "D8", Map.of("cohort", "SLE")));
    assertEquals(Map.of("visit[T.D8]", 1.0), fe.levelWeights("visit", "D8", Map.of()));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> fe.levelContrast("visit", "D1", Map.of()));
    assertTrue(e.getMessage().contains("reference"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> fe.levelContrast("visit", "D9", Map.of()));
    assertTrue(e.getMessage().contains("'D9'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> fe.contrast("typo", Map.of("visit[T.D88]", 1.0)));
    assertTrue(
        e.getMessage().startsWith("Cannot estimate contrast 'typo': no column 'visit[T.D88]'"),
        e.getMessage());
  }

  @Test
  void emptyCellDropsItsColumnAndRefusesContrastsThatNeedIt() {
    MixedModelFit fit =
        new LinearMixedModel(VISIT_BY_COHORT)
            .fit(Golden.observations(Golden.goldenCase(GOLDEN, "empty_cell_rank_deficient")));
    FixedEffects fe = fit.fixedEffects();
    assertEquals(1, fe.aliased().size());
    DesignMatrix.AliasedColumn a = fe.aliased().get(0);
    assertEquals("visit[T.D15]:cohort[T.AS]", a.name());
    assertEquals("all zero: no row has visit=D15 and cohort=AS", a.reason());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> fe.levelContrast("visit", "D15", Map.of("cohort", "AS")));
    assertEquals(
        "Cannot estimate contrast 'visit D15 vs D1 at cohort=AS': it is not estimable, as "
            + "column visit[T.D15]:cohort[T.AS] was dropped (all zero: no row has visit=D15 and "
            + "cohort=AS)",
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> fe.pooledLevelContrast("visit", "D15", "cohort"));
    e =
        assertThrows(
            IllegalArgumentException.class, () -> fe.coefficient("visit[T.D15]:cohort[T.AS]"));
    assertTrue(e.getMessage().contains("dropped"), e.getMessage());
    // the cells that have data are still estimable
    assertTrue(Double.isFinite(fe.levelContrast("visit", "D15", Map.of("cohort", "SLE")).p()));
    assertTrue(Double.isFinite(fe.pooledLevelContrast("visit", "D8", "cohort").p()));
  }

  @Test
  void emptyReferenceCellKeepsTheCellsThatHaveData() {
    FixedEffects fe =
        new LinearMixedModel(VISIT_BY_COHORT)
            .fit(Golden.observations(Golden.goldenCase(GOLDEN, "empty_reference_cell")))
            .fixedEffects();
    DesignMatrix.AliasedColumn a = fe.aliased().get(0);
    assertEquals("visit[T.D15]:cohort[T.SLE]", a.name());
    assertEquals(1.0, a.combination().get("visit[T.D15]"), 1e-9);
    assertEquals(-1.0, a.combination().get("visit[T.D15]:cohort[T.AS]"), 1e-9);
    assertTrue(a.reason().startsWith("a linear combination of earlier columns: "), a.reason());
    // RA has no D15 sample: its D15 effect is not estimable, SLE's and AS's are.
    assertThrows(
        IllegalArgumentException.class,
        () -> fe.levelContrast("visit", "D15", Map.of("cohort", "RA")));
    assertTrue(Double.isFinite(fe.levelContrast("visit", "D15", Map.of("cohort", "SLE")).z()));
    assertTrue(Double.isFinite(fe.levelContrast("visit", "D15", Map.of("cohort", "AS")).z()));
  }

  @Test
  void subjectsWithOneObservationEachGiveZeroSubjectVariance() {
    List<Observation> obs = new ArrayList<>();
    Random rnd = new Random(3);
    for (int i = 0; i < 12; i++) {
      String visit = i % 2 == 0 ? "D1" : "D8";
      obs.add(new Observation("P" + i, rnd.nextGaussian(), Map.of("visit", visit)));
    }
    MixedModelFit fit =
        new LinearMixedModel(DesignSpec.builder().factor("visit", "D1").build()).fit(obs);
    assertEquals(0.0, fit.subjectVariance());
    assertTrue(
        fit.notes().get(0).startsWith("no subject has two observations"), fit.notes().get(0));
    assertTrue(fit.converged());
  }

  @Test
  void tooFewObservationsAndBadResponsesAreRefusedNamingThem() {
    DesignSpec spec = VISIT_BY_COHORT;
    List<Observation> obs =
        List.of(
            new Observation("P1", 1, Map.of("visit", "D1", "cohort", "RA")),
            new Observation("P1", 2, Map.of("visit", "D8", "cohort", "RA")));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new LinearMixedModel(spec).fit(obs));
    assertTrue(
        e.getMessage().startsWith("Cannot fit mixed model: 2 observations but 2 estimable"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new LinearMixedModel(spec)
                    .fit(
                        List.of(
                            new Observation(
                                "P1", Double.NaN, Map.of("visit", "D1", "cohort", "RA")),
                            new Observation(
                                "P2",
                                Double.POSITIVE_INFINITY,
                                Map.of("visit", "D1", "cohort", "RA")))));
    assertEquals(
        "Cannot fit mixed model: observation 0 (subject 'P1') has response NaN; "
            + "observation 1 (subject 'P2') has response Infinity",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new LinearMixedModel(spec).fit(List.of()));
  }

  @Test
  void aCohortWithOnePatientIsEstimated() {
    MixedModelFit fit =
        new LinearMixedModel(VISIT_BY_COHORT)
            .fit(Golden.observations(Golden.goldenCase(GOLDEN, "one_patient_cohort")));
    assertTrue(fit.fixedEffects().aliased().isEmpty());
    Estimate gpa = fit.fixedEffects().levelContrast("visit", "D8", Map.of("cohort", "GPA"));
    assertTrue(gpa.standardError() > 0 && Double.isFinite(gpa.standardError()));
    assertFalse(fit.boundary());
  }
}
