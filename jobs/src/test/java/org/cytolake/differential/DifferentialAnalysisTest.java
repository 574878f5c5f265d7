package org.cytolake.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.distribution.TDistribution;
import org.cytolake.aggregate.FeatureScale;
import org.cytolake.config.DifferentialConfig;
import org.cytolake.config.DifferentialConfig.Endpoint;
import org.cytolake.config.DifferentialConfig.Model;
import org.cytolake.stats.BenjaminiHochberg;
import org.cytolake.stats.DesignSpec;
import org.cytolake.stats.DfMethod;
import org.cytolake.stats.Estimate;
import org.cytolake.stats.LinearMixedModel;
import org.cytolake.stats.MixedModelFit;
import org.cytolake.stats.Observation;
import org.cytolake.stats.WilcoxonSignedRank;
import org.junit.jupiter.api.Test;

/**
 * {@link DifferentialAnalysis} without Spark: per-cohort and pooled effects against statsmodels'
 * golden MixedLM contrasts, the logit back-transform against a direct fit, the primary endpoint
 * as its own family, Benjamini-Hochberg within exploratory families only, min-events,
 * min-patients and min-effect with their reasons, the count GLMs and the secondary Wilcoxon rows.
 */
class DifferentialAnalysisTest {
  private static final double Z975 =
      new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1)
          .inverseCumulativeProbability(0.975);

  static final List<String> VISITS = List.of("D1", "D8", "D15");
  static final Endpoint PRIMARY = new Endpoint("P1", "Treg", "pct_of_parent", "D8", "ALL");
  static final FeatureScale PERCENT = FeatureScale.percent();
  static final DifferentialFeature TREG =
      new DifferentialFeature("P1", "Treg", "pct_of_parent", "population", PERCENT);

  static DifferentialConfig config(
      Endpoint primary,
      long minEvents,
      int minPatients,
      double ratio,
      double change,
      Map<String, Model> models) {
    return new DifferentialConfig(
        Path.of("differential.yaml"),
        primary,
        List.of("panel", "visit"),
        minEvents,
        minPatients,
        ratio,
        change,
        List.of(),
        models,
        DifferentialConfig.LMM_DF_DEFAULT);
  }

  static DifferentialConfig plain() {
    return config(PRIMARY, 0, 2, 1.0, 0.0, Map.of());
  }

  static DifferentialAnalysis analysis(DifferentialConfig c) {
    return new DifferentialAnalysis(c, "D1", VISITS, "ALL");
  }

  static DifferentialRow row(
      List<DifferentialRow> rows,
      DifferentialFeature f,
      String model,
      String cohort,
      String visit) {
    return rows.stream()
        .filter(
            r ->
                r.panel().equals(f.panel())
                    && r.feature().equals(f.feature())
                    && r.statistic().equals(f.statistic())
                    && r.model().equals(model)
                    && r.cohort().equals(cohort)
                    && r.visit().equals(visit))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no row " + f + " " + model + " " + cohort + " " + visit));
  }

  /**
   * Percentages of {@code patients} patients in each cohort at D1, D8 and D15: logit = patient
   * intercept (SD 0.4) + the cohort's D8 effect (log odds) + noise (SD 0.1), parent events
   * {@code parent}.
   */
  static List<FeatureSample> percentages(
      long seed, Map<String, Double> d8LogOdds, int patients, long parent) {
    Random rnd = new Random(seed);
    List<FeatureSample> out = new ArrayList<>();
    for (Map.Entry<String, Double> c : d8LogOdds.entrySet()) {
      for (int p = 0; p < patients; p++) {
        double intercept = Math.log(0.055 / 0.945) + 0.4 * rnd.nextGaussian();
        for (String v : VISITS) {
          double effect = v.equals("D8") ? c.getValue() : 0;
          double logit = intercept + effect + 0.1 * rnd.nextGaussian();
          double pct = 100 / (1 + Math.exp(-logit));
          out.add(
              new FeatureSample(
                  c.getKey() + "-" + p,
                  c.getKey(),
                  v,
                  pct,
                  Math.round(pct / 100 * parent),
                  parent));
        }
      }
    }
    return out;
  }

  static Map<String, Double> cohorts(double... effects) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < effects.length; i++) {
      m.put("C" + (char) ('A' + i), effects[i]);
    }
    return m;
  }

  /**
   * statsmodels' golden case balanced_3_cohorts (stats/golden/mixedlm.json, made by
   * scripts/golden/mixedlm_golden.py) as an intensity feature of an untransformed channel: the
   * per-cohort D8 effects and the pooled one (equal weights over cohorts), with their 95%
   * intervals and p, are statsmodels' contrasts to 1e-6 relative.
   */
  @Test
  void perCohortAndPooledEffectsAreStatsmodelsContrasts() throws Exception {
    JsonNode c;
    try (InputStream in = getClass().getResourceAsStream("/stats/golden/mixedlm.json")) {
      c = new ObjectMapper().readTree(in).get("cases").get(0);
    }
    assertEquals("balanced_3_cohorts", c.get("name").asText());
    JsonNode d = c.get("data");
    List<FeatureSample> samples = new ArrayList<>();
    for (int i = 0; i < d.get("y").size(); i++) {
      samples.add(
          new FeatureSample(
              d.get("subject").get(i).asText(),
              d.get("cohort").get(i).asText(),
              d.get("visit").get(i).asText(),
              d.get("y").get(i).asDouble(),
              -1,
              -1));
    }
    DifferentialFeature f =
        new DifferentialFeature(
            "P1", "Treg", "median_cd25", "marker_median", FeatureScale.parse("none"));
    List<DifferentialRow> rows =
        new DifferentialAnalysis(plain(), "D1", List.of("D1", "D8", "D15", "M1"), "ALL")
            .analyse(Map.of(f, samples))
            .rows();
    Map<String, String> cohortOf =
        Map.of("D8 vs D1 in RA", "RA", "D8 vs D1 in SLE", "SLE", "D8 vs D1 pooled", "ALL");
    for (JsonNode k : c.get("contrasts")) {
      DifferentialRow r = row(rows, f, "lmm", cohortOf.get(k.get("label").asText()), "D8");
      String what = k.get("label").asText();
      assertEquals(k.get("estimate").asDouble(), r.estimate(), 1e-6, what);
      // statsmodels' standard error (its Wald interval's half-width over z 0.975), with a t
      // reference of Satterthwaite df, which for these balanced data and a visit effect are the
      // between-within df: 60 observations − 15 patients − 9 within-patient columns (3 visits,
      // 6 visit × cohort)
      assertEquals(36, r.df(), 1e-6, what);
      assertEquals("satterthwaite", r.dfMethod(), what);
      double se = (k.get("upper").asDouble() - k.get("lower").asDouble()) / (2 * Z975);
      TDistribution t36 = new TDistribution(null, 36);
      double q = t36.inverseCumulativeProbability(0.975);
      assertEquals(r.estimate() - q * se, r.ciLow(), 1e-6, what);
      assertEquals(r.estimate() + q * se, r.ciHigh(), 1e-6, what);
      double p = 2 * t36.cumulativeProbability(-Math.abs(r.estimate() / se));
      assertEquals(p, r.p(), 1e-6 * p + 1e-12, what);
      assertTrue(r.p() > k.get("p").asDouble(), "t is wider than statsmodels' normal: " + what);
      assertEquals("change", r.scale());
      assertTrue(r.tested(), what);
      assertEquals(r.cohort().equals("ALL") ? 15 : 5, r.nPatients(), what);
      assertEquals(r.cohort().equals("ALL") ? 30 : 10, r.nSamples(), what);
    }
    DifferentialRow pooled = row(rows, f, "lmm", "ALL", "D8");
    assertEquals(15, pooled.nPatients());
  }

  /**
   * lmm-df: the golden case unequal_cohorts_missing_visits (stats/golden/satterthwaite.json, made
   * by scripts/golden/satterthwaite_golden.py; cohorts of 7/3/5 patients, 30% of visits missing)
   * as an intensity feature. By default the rows carry the Satterthwaite df computed there
   * numerically (to 1e-6 relative), method satterthwaite; with {@code lmm-df: between-within} the
   * between-within count, 69 samples − 15 patients − 15 within-patient columns = 39, the same
   * estimate and a p from that t.
   */
  @Test
  void lmmDfChoosesSatterthwaiteOrBetweenWithin() throws Exception {
    JsonNode c = goldenCase("unequal_cohorts_missing_visits");
    List<FeatureSample> samples = samplesOf(c);
    DifferentialFeature f =
        new DifferentialFeature(
            "P1", "Treg", "median_cd25", "marker_median", FeatureScale.parse("none"));
    List<String> visits = List.of("D1", "D8", "D15", "M1", "M3", "M6");
    DifferentialConfig bw =
        new DifferentialConfig(
            Path.of("d.yaml"),
            null,
            List.of("panel", "visit"),
            0,
            2,
            1.0,
            0,
            List.of(),
            Map.of(),
            DfMethod.BETWEEN_WITHIN);
    List<DifferentialRow> satterthwaite =
        new DifferentialAnalysis(plain(), "D1", visits, "ALL").analyse(Map.of(f, samples)).rows();
    List<DifferentialRow> betweenWithin =
        new DifferentialAnalysis(bw, "D1", visits, "ALL").analyse(Map.of(f, samples)).rows();
    Map<String, String[]> rows =
        Map.of(
            "D8 vs D1 in RA", new String[] {"RA", "D8"},
            "D8 vs D1 in SLE", new String[] {"SLE", "D8"},
            "M6 vs D1 in AS", new String[] {"AS", "M6"},
            "D8 vs D1 pooled", new String[] {"ALL", "D8"});
    for (JsonNode k : c.get("contrasts")) {
      String[] at = rows.get(k.get("label").asText());
      if (at == null) {
        continue;
      }
      String what = k.get("label").asText();
      DifferentialRow s = row(satterthwaite, f, "lmm", at[0], at[1]);
      DifferentialRow b = row(betweenWithin, f, "lmm", at[0], at[1]);
      assertEquals("satterthwaite", s.dfMethod(), what);
      assertEquals(k.get("df").asDouble(), s.df(), 1e-6 * s.df(), what);
      assertEquals("between-within", b.dfMethod(), what);
      assertEquals(39, b.df(), what);
      assertEquals(s.estimate(), b.estimate(), 1e-12, what);
      double se = (s.ciHigh() - s.ciLow()) / 2 / tQuantile(s.df());
      assertEquals(se, (b.ciHigh() - b.ciLow()) / 2 / tQuantile(39), 1e-9, what);
      assertEquals(
          2 * new TDistribution(null, 39).cumulativeProbability(-Math.abs(b.estimate() / se)),
          b.p(),
          1e-9,
          what);
    }
  }

  /**
   * The golden case boundary_zero_subject_variance (36 samples, 12 patients, 9 columns), where REML
   * puts the patient variance at 0: Satterthwaite holds it there and every lmm row has the
   * residual df n − p = 27, df_method residual (between-within would say 18).
   */
  @Test
  void aZeroPatientVarianceGivesTheResidualDf() throws Exception {
    JsonNode c = goldenCase("boundary_zero_subject_variance");
    List<FeatureSample> samples = samplesOf(c);
    DifferentialFeature f =
        new DifferentialFeature(
            "P1", "Treg", "median_cd25", "marker_median", FeatureScale.parse("none"));
    List<DifferentialRow> rows =
        new DifferentialAnalysis(plain(), "D1", List.of("D1", "D8", "D15"), "ALL")
            .analyse(Map.of(f, samples))
            .rows();
    List<DifferentialRow> lmm = rows.stream().filter(r -> r.model().equals("lmm")).toList();
    assertEquals(4 * 2, lmm.size());
    for (DifferentialRow r : lmm) {
      assertEquals(36 - 9, r.df(), r.toString());
      assertEquals("residual", r.dfMethod(), r.toString());
    }
  }

  private static double tQuantile(double df) {
    return new TDistribution(null, df).inverseCumulativeProbability(0.975);
  }

  /**
   * A percentage is modelled on the empirical logit log((k + ½) / (n − k + ½)) and its effect
   * reported as an odds ratio: the row is exp of the contrast of a mixed model fitted by hand on
   * those logits, interval and p included.
   */
  @Test
  void percentagesAreOddsRatiosOfTheEmpiricalLogitModel() {
    List<FeatureSample> samples = percentages(3, cohorts(0.8, 0.2), 5, 2000);
    DifferentialRow r =
        row(analysis(plain()).analyse(Map.of(TREG, samples)).rows(), TREG, "lmm", "CB", "D8");
    List<Observation> obs = new ArrayList<>();
    for (FeatureSample s : samples) {
      double k = s.value() / 100 * s.parentEvents();
      obs.add(
          new Observation(
              s.patient(),
              Math.log((k + 0.5) / (s.parentEvents() - k + 0.5)),
              Map.of("visit", s.visit(), "cohort", s.cohort())));
    }
    MixedModelFit fit =
        new LinearMixedModel(
                DesignSpec.builder()
                    .factor("visit", List.of("D1", "D8", "D15"))
                    .factor("cohort", "CA")
                    .interaction("visit", "cohort")
                    .build())
            .fit(obs);
    Estimate e =
        fit.smallSampleContrast(
            "D8 in CB",
            fit.fixedEffects().levelWeights("visit", "D8", Map.of("cohort", "CB")),
            DfMethod.SATTERTHWAITE);
    assertEquals("odds_ratio", r.scale());
    assertEquals(e.df(), r.df());
    assertEquals("satterthwaite", r.dfMethod());
    assertEquals(Math.exp(e.estimate()), r.estimate(), 1e-12);
    assertEquals(Math.exp(e.lower()), r.ciLow(), 1e-12);
    assertEquals(Math.exp(e.upper()), r.ciHigh(), 1e-12);
    assertEquals(e.p(), r.p(), 1e-15);
    // and the odds ratio is near the simulated exp(0.2)
    assertTrue(r.ciLow() < Math.exp(0.2) && Math.exp(0.2) < r.ciHigh(), r.toString());
  }

  /**
   * The primary endpoint is alone in its family (q = p); every other tested row is adjusted with
   * the rows of its panel and visit only: P1 at D8 (cohort and pooled rows of both P1 features
   * but the primary), P1 at D15, and P2 at D8 are separate families.
   */
  @Test
  void thePrimaryIsItsOwnFamilyAndExploratoryRowsAreAdjustedWithinPanelAndVisit() {
    DifferentialFeature tconv =
        new DifferentialFeature("P1", "Tconv", "pct_of_parent", "population", PERCENT);
    DifferentialFeature cd8 =
        new DifferentialFeature("P2", "CD8", "pct_of_parent", "population", PERCENT);
    Map<DifferentialFeature, List<FeatureSample>> in =
        Map.of(
            TREG, percentages(1, cohorts(0.7, 0.5, 0.6), 4, 5000),
            tconv, percentages(2, cohorts(0, 0, 0.1), 4, 5000),
            cd8, percentages(4, cohorts(0.05, 0, 0), 4, 5000));
    List<DifferentialRow> rows = analysis(plain()).analyse(in).rows();

    DifferentialRow primary = row(rows, TREG, "lmm", "ALL", "D8");
    assertEquals("primary", primary.family());
    assertTrue(primary.tested());
    assertEquals(primary.p(), primary.q(), 0);
    assertEquals(1, rows.stream().filter(r -> r.family().equals("primary")).count());
    assertEquals("exploratory:P1:D8", row(rows, TREG, "lmm", "CA", "D8").family());

    for (String family : List.of("exploratory:P1:D8", "exploratory:P1:D15", "exploratory:P2:D8")) {
      List<DifferentialRow> members = rows.stream().filter(r -> r.family().equals(family)).toList();
      // 3 cohorts + pooled per feature: two features in P1 (less the primary at D8), one in P2
      int expected =
          family.equals("exploratory:P1:D8") ? 7 : family.equals("exploratory:P1:D15") ? 8 : 4;
      assertEquals(expected, members.size(), family);
      double[] q =
          BenjaminiHochberg.adjust(members.stream().mapToDouble(DifferentialRow::p).toArray());
      for (int i = 0; i < members.size(); i++) {
        assertEquals(q[i], members.get(i).q(), 1e-15, family + " " + members.get(i));
      }
    }
    // Treg rises in every cohort: significant even after adjustment; CD8 at D8 is its own family
    assertTrue(row(rows, TREG, "lmm", "CA", "D8").q() < 0.05);
    assertTrue(row(rows, cd8, "lmm", "ALL", "D8").q() >= row(rows, cd8, "lmm", "ALL", "D8").p());
    // the Wilcoxon rows are secondary and never adjusted
    rows.stream()
        .filter(r -> r.model().equals("wilcoxon"))
        .forEach(
            r -> {
              assertEquals("secondary", r.family());
              assertTrue(Double.isNaN(r.q()));
            });
  }

  /** family-by cohort splits every panel × visit family by cohort (the pooled rows included). */
  @Test
  void familyByIsConfigurable() {
    DifferentialConfig c =
        new DifferentialConfig(
            Path.of("d.yaml"),
            null,
            List.of("visit", "cohort"),
            0,
            2,
            1.0,
            0,
            List.of(),
            Map.of(),
            DifferentialConfig.LMM_DF_DEFAULT);
    List<DifferentialRow> rows =
        analysis(c).analyse(Map.of(TREG, percentages(1, cohorts(0.7, 0.5), 4, 5000))).rows();
    assertEquals("exploratory:D8:ALL", row(rows, TREG, "lmm", "ALL", "D8").family());
    DifferentialRow alone = row(rows, TREG, "lmm", "CB", "D15");
    assertEquals("exploratory:D15:CB", alone.family());
    assertEquals(alone.p(), alone.q(), 0);
  }

  /**
   * Samples with fewer parent events than min-events are left out: with 40-event samples in
   * cohort CB, min-events 50 leaves CB untested (naming min-events and min-patients), keeps CA
   * tested, and the pooled row then rests on CA alone; min-events 40 tests both.
   */
  @Test
  void minEventsLeavesSamplesOutAndSaysWhy() {
    List<FeatureSample> samples = new ArrayList<>(percentages(5, cohorts(0.7), 4, 5000));
    for (FeatureSample s : percentages(6, Map.of("CB", 0.7), 4, 40)) {
      samples.add(s);
    }
    List<DifferentialRow> strict =
        analysis(config(PRIMARY, 50, 2, 1.0, 0, Map.of())).analyse(Map.of(TREG, samples)).rows();
    DifferentialRow cb = row(strict, TREG, "lmm", "CB", "D8");
    assertFalse(cb.tested());
    assertTrue(Double.isNaN(cb.p()) && Double.isNaN(cb.q()));
    assertEquals(0, cb.nPatients());
    assertTrue(
        cb.whyNotTested().contains("12 sample(s) with fewer than min-events 50"),
        cb.whyNotTested());
    assertTrue(cb.whyNotTested().contains("fewer than min-patients 2"), cb.whyNotTested());
    assertTrue(row(strict, TREG, "lmm", "CA", "D8").tested());
    DifferentialRow pooled = row(strict, TREG, "lmm", "ALL", "D8");
    assertEquals(4, pooled.nPatients());
    assertEquals(row(strict, TREG, "lmm", "CA", "D8").estimate(), pooled.estimate(), 1e-12);

    List<DifferentialRow> loose =
        analysis(config(PRIMARY, 40, 2, 1.0, 0, Map.of())).analyse(Map.of(TREG, samples)).rows();
    assertTrue(row(loose, TREG, "lmm", "CB", "D8").tested());
    assertEquals(8, row(loose, TREG, "lmm", "ALL", "D8").nPatients());
    // the Wilcoxon rows ignore min-events: every pair counts, as in cohort_summary
    assertEquals(4, row(strict, TREG, "wilcoxon", "CB", "D8").nPatients());
  }

  @Test
  void minPatientsCountsPatientsWithBothVisits() {
    List<FeatureSample> samples = new ArrayList<>(percentages(7, cohorts(0.5, 0.5), 4, 5000));
    // CB keeps D8 for one patient only
    samples.removeIf(
        s -> s.cohort().equals("CB") && s.visit().equals("D8") && !s.patient().equals("CB-0"));
    List<DifferentialRow> rows = analysis(plain()).analyse(Map.of(TREG, samples)).rows();
    DifferentialRow cb = row(rows, TREG, "lmm", "CB", "D8");
    assertFalse(cb.tested());
    assertEquals(1, cb.nPatients());
    assertEquals(
        "1 patient(s) with both D1 and D8 kept, fewer than min-patients 2", cb.whyNotTested());
    assertFalse(Double.isNaN(cb.estimate()), "the estimate is still reported");
    assertTrue(row(rows, TREG, "lmm", "CB", "D15").tested());
  }

  /**
   * min-effect screens exploratory rows by their estimated effect (odds ratio within [1/1.5,
   * 1.5]: not tested, reason given, estimate kept, not counted in its family); the primary
   * endpoint is never screened.
   */
  @Test
  void minEffectScreensExploratoryRowsButNeverThePrimary() {
    Endpoint nullPrimary = new Endpoint("P1", "Treg", "pct_of_parent", "D15", "ALL");
    List<DifferentialRow> rows =
        analysis(config(nullPrimary, 0, 2, 1.5, 0, Map.of()))
            .analyse(Map.of(TREG, percentages(8, cohorts(1.2, 0.0), 4, 5000)))
            .rows();
    DifferentialRow big = row(rows, TREG, "lmm", "CA", "D8");
    DifferentialRow none = row(rows, TREG, "lmm", "CB", "D8");
    assertTrue(big.tested(), big.toString());
    assertFalse(none.tested());
    assertTrue(
        none.whyNotTested().startsWith("effect below min-effect: odds_ratio"), none.whyNotTested());
    assertFalse(Double.isNaN(none.estimate()));
    DifferentialRow primary = row(rows, TREG, "lmm", "ALL", "D15");
    assertEquals("primary", primary.family());
    assertTrue(primary.tested(), "the primary is tested whatever its effect");
    assertTrue(primary.estimate() < 1.5 && primary.estimate() > 1 / 1.5);
    // the D8 family holds CA and the pooled row only: CB was not tested
    long d8Tested =
        rows.stream().filter(r -> r.family().equals("exploratory:P1:D8") && r.tested()).count();
    assertEquals(2, d8Tested);
  }

  @Test
  void intensitiesAreChangesAndScreenedByTheChangeThreshold() {
    DifferentialFeature cd25 =
        new DifferentialFeature(
            "P1", "Treg", "median_cd25", "marker_median", FeatureScale.parse("asinh:cofactor=150"));
    Random rnd = new Random(9);
    List<FeatureSample> samples = new ArrayList<>();
    for (int p = 0; p < 6; p++) {
      double base = 3 + 0.3 * rnd.nextGaussian();
      for (String v : VISITS) {
        double x = base + (v.equals("D8") ? 0.5 : 0) + 0.05 * rnd.nextGaussian();
        samples.add(new FeatureSample("P" + p, "CA", v, x, 800, 800));
      }
    }
    List<DifferentialRow> rows =
        analysis(config(null, 0, 2, 1.0, 0.1, Map.of())).analyse(Map.of(cd25, samples)).rows();
    DifferentialRow d8 = row(rows, cd25, "lmm", "CA", "D8");
    assertEquals("change", d8.scale());
    assertEquals(0.5, d8.estimate(), 0.1);
    assertTrue(d8.tested() && d8.p() < 1e-6);
    assertFalse(row(rows, cd25, "lmm", "CA", "D15").tested());
    assertTrue(row(rows, cd25, "lmm", "CA", "D15").whyNotTested().contains("±0.1"));
    assertEquals("median_change", row(rows, cd25, "wilcoxon", "CA", "D8").scale());
    assertTrue(rows.stream().noneMatch(r -> r.family().equals("primary")));
  }

  /** The count GLMs: negative binomial (a fold change of the share) and binomial (odds ratio). */
  @Test
  void countModelsWhereConfigured() {
    List<FeatureSample> samples = percentages(10, cohorts(0.7, 0.6), 5, 3000);
    for (Model m : List.of(Model.NEGATIVE_BINOMIAL, Model.BINOMIAL)) {
      List<DifferentialRow> rows =
          analysis(config(PRIMARY, 0, 2, 1.0, 0, Map.of("population", m)))
              .analyse(Map.of(TREG, samples))
              .rows();
      DifferentialRow r = row(rows, TREG, m.label(), "ALL", "D8");
      assertEquals(m == Model.BINOMIAL ? "odds_ratio" : "fold_change", r.scale());
      assertTrue(r.tested(), r.toString());
      assertTrue(r.estimate() > 1.4 && r.estimate() < 2.3, r.toString());
      assertTrue(r.ciLow() < r.estimate() && r.estimate() < r.ciHigh());
    }
  }

  /** Without event counts a count model cannot run: every row says so. */
  @Test
  void countModelsNeedEvents() {
    List<FeatureSample> samples = new ArrayList<>();
    for (FeatureSample s : percentages(11, cohorts(0.7), 4, 3000)) {
      samples.add(new FeatureSample(s.patient(), s.cohort(), s.visit(), s.value(), -1, -1));
    }
    List<DifferentialRow> rows =
        analysis(config(PRIMARY, 0, 2, 1.0, 0, Map.of("population", Model.NEGATIVE_BINOMIAL)))
            .analyse(Map.of(TREG, samples))
            .rows();
    DifferentialRow r = row(rows, TREG, "negative-binomial", "CA", "D8");
    assertFalse(r.tested());
    assertTrue(r.whyNotTested().contains("without event counts"), r.whyNotTested());
  }

  @Test
  void wilcoxonRowsAreRsPairedTest() {
    List<FeatureSample> samples = percentages(12, cohorts(0.5, 0.5), 4, 5000);
    List<DifferentialRow> rows = analysis(plain()).analyse(Map.of(TREG, samples)).rows();
    Map<String, Double> d1 = new HashMap<>();
    samples.stream()
        .filter(s -> s.visit().equals("D1"))
        .forEach(s -> d1.put(s.patient(), s.value()));
    double[] after =
        samples.stream()
            .filter(s -> s.visit().equals("D8"))
            .mapToDouble(FeatureSample::value)
            .toArray();
    double[] before =
        samples.stream()
            .filter(s -> s.visit().equals("D8"))
            .mapToDouble(s -> d1.get(s.patient()))
            .toArray();
    DifferentialRow w = row(rows, TREG, "wilcoxon", "ALL", "D8");
    assertEquals(WilcoxonSignedRank.test(after, before).p(), w.p(), 0);
    assertEquals(8, w.nPatients());
    assertEquals("median_fold_change", w.scale());
    assertTrue(w.estimate() > 1.3, w.toString());
  }

  /** A configured primary endpoint without data, or untested, is a warning. */
  @Test
  void aPrimaryEndpointWithoutDataIsAWarning() {
    DifferentialFeature other =
        new DifferentialFeature("P2", "CD8", "pct_of_parent", "population", PERCENT);
    DifferentialAnalysis.Result r =
        analysis(plain()).analyse(Map.of(other, percentages(13, cohorts(0.1), 4, 5000)));
    assertNull(r.primary());
    assertEquals(1, r.warnings().size());
    assertTrue(r.warnings().get(0).contains("has no data"), r.warnings().get(0));
    assertTrue(
        r.warnings().get(0).endsWith("no feature of panel P1 in the lake"), r.warnings().get(0));
    DifferentialAnalysis.Result noVisit =
        new DifferentialAnalysis(plain(), "D1", List.of("D1", "D15"), "ALL")
            .analyse(
                Map.of(
                    TREG,
                    percentages(13, cohorts(0.1), 4, 5000).stream()
                        .filter(s -> !s.visit().equals("D8"))
                        .toList()));
    assertTrue(
        noVisit.warnings().get(0).endsWith("no sample at visit D8"), noVisit.warnings().get(0));

    DifferentialAnalysis.Result few =
        analysis(config(PRIMARY, 10_000, 2, 1, 0, Map.of()))
            .analyse(Map.of(TREG, percentages(14, cohorts(0.5), 4, 5000)));
    assertNotNull(few.primary());
    assertFalse(few.primary().tested());
    assertTrue(few.warnings().get(0).contains("was not tested"), few.warnings().get(0));
  }

  /**
   * One patient per cohort: visit x cohort has as many columns as there are samples, so the pooled
   * effect comes from visit + cohort (model lmm-additive) and equals, on balanced data, the mean
   * over cohorts of the patients' D8 - D1 differences on the logit scale (the two-way ANOVA's
   * visit effect); per-cohort rows say why they have no estimate.
   */
  @Test
  void onePatientPerCohortFallsBackToVisitPlusCohortForThePooledEffect() {
    List<FeatureSample> samples = percentages(15, cohorts(0.5, 0.6, 0.7, 0.8), 1, 5000);
    DifferentialAnalysis.Result r = analysis(plain()).analyse(Map.of(TREG, samples));
    DifferentialRow pooled = row(r.rows(), TREG, "lmm-additive", "ALL", "D8");
    assertTrue(pooled.tested(), pooled.toString());
    assertEquals(DifferentialAnalysis.PRIMARY_FAMILY, pooled.family());
    assertEquals(4, pooled.nPatients());
    // the patient variance is not identifiable (each patient is its cohort): the visit effect's
    // df is the two-way ANOVA's residual df, 12 samples − (intercept, 2 visits, 3 cohorts)
    assertEquals(12 - 6, pooled.df(), pooled.toString());
    assertEquals("residual", pooled.dfMethod());
    Map<String, Double> d1 = new HashMap<>();
    samples.stream()
        .filter(s -> s.visit().equals("D1"))
        .forEach(s -> d1.put(s.patient(), EffectScale.response(PERCENT, s)));
    double meanDiff =
        samples.stream()
            .filter(s -> s.visit().equals("D8"))
            .mapToDouble(s -> EffectScale.response(PERCENT, s) - d1.get(s.patient()))
            .average()
            .orElseThrow();
    assertEquals(Math.exp(meanDiff), pooled.estimate(), 1e-6 * Math.exp(meanDiff));
    assertTrue(
        pooled.ciLow() < Math.exp(0.65) && Math.exp(0.65) < pooled.ciHigh(), pooled.toString());
    assertTrue(pooled.p() < 0.01, pooled.toString());
    assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    for (String c : List.of("CA", "CB", "CC", "CD")) {
      DifferentialRow one = row(r.rows(), TREG, "lmm-additive", c, "D8");
      assertFalse(one.tested());
      assertTrue(Double.isNaN(one.estimate()), one.toString());
      assertTrue(
          one.whyNotTested().startsWith("per-cohort model visit x cohort not identifiable"),
          one.whyNotTested());
    }
  }

  /** A model that cannot be fitted, even as visit + cohort, leaves every row untested. */
  @Test
  void aModelThatCannotBeFittedSaysSo() {
    // one patient in one cohort: three samples, three visit effects with the intercept
    List<FeatureSample> samples = percentages(15, cohorts(0.5), 1, 5000);
    List<DifferentialRow> rows = analysis(plain()).analyse(Map.of(TREG, samples)).rows();
    rows.stream()
        .filter(r -> r.model().equals("lmm"))
        .forEach(
            r -> {
              assertFalse(r.tested());
              assertTrue(
                  r.whyNotTested().startsWith("model not fitted: Cannot fit mixed model"),
                  r.whyNotTested());
              assertTrue(r.whyNotTested().contains("visit + cohort neither"), r.whyNotTested());
            });
    assertEquals(4, rows.stream().filter(r -> r.model().equals("lmm")).count());
  }

  /** A golden case of satterthwaite.json, by name. */
  private JsonNode goldenCase(String name) throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/stats/golden/satterthwaite.json")) {
      for (JsonNode x : new ObjectMapper().readTree(in).get("cases")) {
        if (x.get("name").asText().equals(name)) {
          return x;
        }
      }
    }
    throw new AssertionError("no golden case " + name);
  }

  /** A golden case's data as intensity feature samples. */
  private static List<FeatureSample> samplesOf(JsonNode c) {
    JsonNode d = c.get("data");
    List<FeatureSample> samples = new ArrayList<>();
    for (int i = 0; i < d.get("y").size(); i++) {
      samples.add(
          new FeatureSample(
              d.get("subject").get(i).asText(),
              d.get("cohort").get(i).asText(),
              d.get("visit").get(i).asText(),
              d.get("y").get(i).asDouble(),
              -1,
              -1));
    }
    return samples;
  }
}
