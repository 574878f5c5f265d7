package org.cytolake.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cytolake.cytometry.transform.AsinhCofactor;
import org.junit.jupiter.api.Test;

/**
 * Descriptive statistics, fold change and the per-cohort tests. Reference values were computed
 * with numpy/scipy 1.17 (no R on the build machine), whose conventions are R's:
 * {@code numpy.percentile} linear = R {@code quantile(x, type = 7)}, {@code scipy.stats.wilcoxon}
 * (exact, or approx with {@code correction=True}: tie-corrected variance and continuity correction,
 * as R's {@code wilcox.test(paired = TRUE)}), {@code scipy.stats.false_discovery_control} = R
 * {@code p.adjust(p, "BH")}; each call is stated next to its check.
 */
class CohortSummaryTest {
  static final FeatureScale PCT = FeatureScale.percent();
  static final FeatureScale ASINH = FeatureScale.intensity(new AsinhCofactor(150));

  @Test
  void quantilesAreRType7() {
    // numpy.percentile([1, 2, 3, 4, 10], [25, 50, 75]) -> 2 3 4; numpy.std(x, ddof=1) 3.5355339
    Descriptive d = Descriptive.of(new double[] {10, 2, 4, 1, 3});
    assertEquals(5, d.n());
    assertEquals(4.0, d.mean(), 1e-12);
    assertEquals(3.5355339059327378, d.sd(), 1e-12);
    assertEquals(3, d.median(), 1e-12);
    assertEquals(2, d.q1(), 1e-12);
    assertEquals(4, d.q3(), 1e-12);
    // numpy.percentile([1, 2, 3, 4], [25, 50, 75]) -> 1.75 2.5 3.25 (type 6 would give 1.25, 3.75)
    Descriptive e = Descriptive.of(new double[] {4, 3, 2, 1, Double.NaN});
    assertEquals(4, e.n());
    assertEquals(1.75, e.q1(), 1e-12);
    assertEquals(2.5, e.median(), 1e-12);
    assertEquals(3.25, e.q3(), 1e-12);
    Descriptive one = Descriptive.of(new double[] {7});
    assertTrue(Double.isNaN(one.sd()));
    assertEquals(7, one.q1(), 0);
  }

  @Test
  void foldChangeAndChangeFromBaseline() {
    Observation o = new Observation("p", "RA", "D8", "P1", "Treg", "pct_of_parent", PCT, 11, 5.5);
    assertEquals(2.0, o.foldChange(), 1e-12);
    assertEquals(5.5, o.change(), 1e-12);
    assertTrue(
        Double.isNaN(
            new Observation("p", "RA", "D8", "P1", "Treg", "pct_of_parent", PCT, 3, 0)
                .foldChange()));
    assertTrue(
        Double.isNaN(
            new Observation("p", "RA", "D8", "P1", "Treg", "pct_of_parent", PCT, 3, Double.NaN)
                .foldChange()));
  }

  /** Ten patients in two cohorts; Treg doubles in all, Tconv jitters both ways. */
  static List<Observation> trial() {
    double[] treg0 = {5.1, 4.2, 6.3, 5.5, 3.9, 7.0, 4.8, 5.9, 6.6, 4.4};
    double[] tconv0 = {60, 55, 62, 58, 65, 61, 57, 59, 63, 56};
    double[] tconvDelta = {1.5, -2.5, 0.5, -3.5, 2.0, -1.0, 3.0, -4.0, 4.5, -0.25};
    List<Observation> out = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String p = "P" + i;
      String c = i < 5 ? "RA" : "SLE";
      double treg8 = treg0[i] * (1.6 + 0.1 * i);
      out.add(new Observation(p, c, "D1", "P1", "Treg", "pct_of_parent", PCT, treg0[i], treg0[i]));
      out.add(new Observation(p, c, "D8", "P1", "Treg", "pct_of_parent", PCT, treg8, treg0[i]));
      out.add(
          new Observation(p, c, "D1", "P2", "Tconv", "pct_of_parent", PCT, tconv0[i], tconv0[i]));
      out.add(
          new Observation(
              p,
              c,
              "D8",
              "P2",
              "Tconv",
              "pct_of_parent",
              PCT,
              tconv0[i] + tconvDelta[i],
              tconv0[i]));
    }
    return out;
  }

  @Test
  void perCohortAndPooledTestsMatchR() {
    List<CohortSummary.Row> rows =
        CohortSummary.summarise(trial(), "D1", "ALL", List.of("D1", "D8"));
    assertEquals(
        List.of("RA", "SLE", "ALL"),
        rows.stream().map(CohortSummary.Row::cohort).distinct().toList());
    CohortSummary.Row treg = find(rows, "ALL", "D8", "Treg");
    assertEquals(10, treg.values().n());
    assertEquals(10, treg.nPaired());
    // all 10 differences positive, no ties: V = 55, exact p = 2 / 2^10 = 0.001953125
    // (scipy.stats.wilcoxon(range(1, 11), method="exact").pvalue)
    assertEquals(55, treg.wilcoxonV(), 0);
    assertTrue(treg.exact());
    assertEquals(0.001953125, treg.p(), 1e-15);
    // fold changes 1.6 .. 2.5: median (2.0 + 2.1) / 2
    assertEquals(2.05, treg.medianFoldChange(), 1e-12);
    assertEquals(10, treg.nRatio());
    assertTrue(Double.isNaN(treg.medianLinearRatio()));
    assertEquals("percent", treg.scale().label());
    // differences 1.5,-2.5,0.5,-3.5,2,-1,3,-4,4.5,-0.25: ranks of the positive ones 4+2+5+7+10;
    // scipy.stats.wilcoxon(after, before, method="exact").pvalue = 1.0 (V = 28 of a symmetric
    // null centred on 27.5)
    CohortSummary.Row tconv = find(rows, "ALL", "D8", "Tconv");
    assertEquals(28, tconv.wilcoxonV(), 0);
    assertEquals(1.0, tconv.p(), 1e-12);
    // scipy.stats.false_discovery_control([0.001953125, 1.0]) -> 0.00390625 1.0
    assertEquals(0.00390625, treg.q(), 1e-15);
    assertEquals(1.0, tconv.q(), 1e-12);
    // RA: 5 positive differences: exact p = 2 / 32 = 0.0625
    // (scipy.stats.wilcoxon(range(1, 6), method="exact").pvalue)
    CohortSummary.Row ra = find(rows, "RA", "D8", "Treg");
    assertEquals(5, ra.values().n());
    assertEquals(0.0625, ra.p(), 1e-15);
    assertEquals(1.8, ra.medianFoldChange(), 1e-12);
    // the baseline visit is described, not tested
    CohortSummary.Row d1 = find(rows, "ALL", "D1", "Treg");
    assertTrue(Double.isNaN(d1.p()) && Double.isNaN(d1.q()));
    assertEquals(1.0, d1.medianFoldChange(), 0);
  }

  @Test
  void tiesUseTheNormalApproximationAsR() {
    // differences 1, 1, 2, 2, 2, -1, 3, 3 (ties): ranks 2, 2, 5, 5, 5, 2, 7.5, 7.5, V = 34;
    // scipy.stats.wilcoxon(d, method="approx", correction=True).pvalue = 0.02817965491078829
    double[] before = {10, 10, 10, 10, 10, 10, 10, 10};
    double[] delta = {1, 1, 2, 2, 2, -1, 3, 3};
    List<Observation> obs = new ArrayList<>();
    for (int i = 0; i < before.length; i++) {
      obs.add(
          new Observation(
              "P" + i,
              "RA",
              "D8",
              "P1",
              "CD25",
              "median_cd25",
              ASINH,
              before[i] + delta[i],
              before[i]));
    }
    CohortSummary.Row r = CohortSummary.summarise(obs, "D1", "ALL", List.of("D1", "D8")).get(0);
    assertFalse(r.exact());
    assertEquals(34, r.wilcoxonV(), 0);
    assertEquals(0.02817965491078829, r.p(), 1e-12);
  }

  /**
   * Asinh (cofactor 5) marker medians of four patients, as issue 14's CyTOF pZap70: no median
   * fold change; the median change in asinh units over all four, the median linear ratio over the
   * three with a positive linear baseline.
   */
  @Test
  void intensitiesAreSummarisedByChangeAndLinearRatioNotFoldChange() {
    FeatureScale cytof = FeatureScale.intensity(new AsinhCofactor(5));
    double[] before = {-0.02, 0.5, 1.0, 2.0};
    double[] after = {0.26, 0.9, 2.0, 2.1};
    List<Observation> obs = new ArrayList<>();
    for (int i = 0; i < before.length; i++) {
      obs.add(
          new Observation(
              "P" + i, "RA", "D1", "B", "Bcell", "median_pzap70", cytof, before[i], before[i]));
      obs.add(
          new Observation(
              "P" + i, "RA", "D8", "B", "Bcell", "median_pzap70", cytof, after[i], before[i]));
    }
    CohortSummary.Row r =
        find(CohortSummary.summarise(obs, "D1", "ALL", List.of("D1", "D8")), "RA", "D8", "Bcell");
    assertEquals("asinh:cofactor=5", r.scale().label());
    assertTrue(Double.isNaN(r.medianFoldChange()));
    assertEquals(4, r.nPaired());
    // changes 0.28, 0.4, 1.0, 0.1: median (0.28 + 0.4) / 2
    assertEquals(0.34, r.medianChange(), 1e-12);
    // linear ratios sinh(0.9)/sinh(0.5) = 1.9699212694605488, sinh(2)/sinh(1) = 3.0862,
    // sinh(2.1)/sinh(2) = 1.1089 (Python math.sinh); the first patient's linear baseline
    // 5 sinh(-0.02) is < 0, so its ratio is left out
    assertEquals(3, r.nRatio());
    assertEquals(1.9699212694605488, r.medianLinearRatio(), 1e-12);
    // the baseline visit: ratio 1 where defined, never a fold change
    CohortSummary.Row d1 =
        find(CohortSummary.summarise(obs, "D1", "ALL", List.of("D1", "D8")), "RA", "D1", "Bcell");
    assertEquals(1.0, d1.medianLinearRatio(), 1e-15);
    assertTrue(Double.isNaN(d1.medianFoldChange()));
  }

  @Test
  void aFeatureHasOneScale() {
    List<Observation> obs =
        List.of(
            new Observation("P0", "RA", "D8", "P1", "Treg", "median_cd25", ASINH, 1, 1),
            new Observation("P1", "RA", "D8", "P1", "Treg", "median_cd25", PCT, 1, 1));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CohortSummary.summarise(obs, "D1", "ALL", List.of("D1", "D8")));
    assertTrue(e.getMessage().startsWith("Cannot summarise feature"), e.getMessage());
    assertTrue(
        e.getMessage().contains("'percent'") && e.getMessage().contains("'asinh:cofactor=150'"),
        e.getMessage());
  }

  @Test
  void wideColumnsAreStableAndUnique() {
    assertEquals("p1_treg_pct_of_parent", FeatureNames.column("P1", "Treg", "pct_of_parent"));
    assertEquals(
        "p1_helios_pos_pct_of_parent", FeatureNames.column("P1", "Helios+", "pct_of_parent"));
    assertEquals("p1_treg_median_cd25", FeatureNames.column("P1", "Treg", "median_cd25"));
    assertEquals("p3_mc03_pct_of_sample", FeatureNames.column("P3", "mc03", "pct_of_sample"));
    assertEquals(
        "p2_cd4_neg_cd8_neg_pct_of_parent", FeatureNames.column("P2", "CD4-CD8-", "pct_of_parent"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            FeatureNames.columns(
                List.of(
                    new Observation.FeatureKey("P1", "a b", "x"),
                    new Observation.FeatureKey("P1", "a.b", "x"))));
    Map<Observation.FeatureKey, String> ok =
        FeatureNames.columns(List.of(new Observation.FeatureKey("P1", "Treg", "pct_of_parent")));
    assertEquals("p1_treg_pct_of_parent", ok.values().iterator().next());
  }

  static CohortSummary.Row find(
      List<CohortSummary.Row> rows, String cohort, String visit, String feature) {
    return rows.stream()
        .filter(
            r ->
                r.cohort().equals(cohort)
                    && r.visit().equals(visit)
                    && r.feature().feature().equals(feature))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theSameObservationsInAnyOrderGiveTheSameRowsToTheBit() {
    java.util.Random r = new java.util.Random(5);
    List<Observation> obs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String p = "P" + i;
      String c = i % 2 == 0 ? "RA" : "SLE";
      double d1 = 1 + 10 * r.nextDouble() + 1e-9 * r.nextDouble();
      obs.add(new Observation(p, c, "D1", "P1", "Treg", "pct_of_parent", PCT, d1, d1));
      obs.add(new Observation(p, c, "D8", "P1", "Treg", "pct_of_parent", PCT, d1 * 1.7, d1));
    }
    List<CohortSummary.Row> first = CohortSummary.summarise(obs, "D1", "ALL", List.of("D1", "D8"));
    for (int k = 0; k < 20; k++) {
      java.util.Collections.shuffle(obs, r);
      List<CohortSummary.Row> again =
          CohortSummary.summarise(obs, "D1", "ALL", List.of("D1", "D8"));
      for (int i = 0; i < first.size(); i++) {
        assertEquals(
            Double.doubleToRawLongBits(first.get(i).values().mean()),
            Double.doubleToRawLongBits(again.get(i).values().mean()),
            first.get(i).cohort() + " " + first.get(i).visit());
        assertEquals(
            Double.doubleToRawLongBits(first.get(i).values().sd()),
            Double.doubleToRawLongBits(again.get(i).values().sd()));
      }
    }
  }
}
