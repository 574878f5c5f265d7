package org.cytolake.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rules AggregateJob applies through Spark, without Spark: adverse-event relatedness,
 * absolute counts, count ratios, feature names and the clinical response of a list of scores.
 */
class AggregateRulesTest {
  @Test
  void anAdverseEventIsRelatedUnlessItsRelatednessSaysOtherwise() {
    assertFalse(AdverseEvents.isRelated(null));
    for (String no : List.of("NOT RELATED", "Not related", "  unrelated ", "none", "N", "n ")) {
      assertFalse(AdverseEvents.isRelated(no), no);
    }
    for (String yes : List.of("RELATED", "Y", "possible", "PROBABLE", "", "NOT  RELATED")) {
      assertTrue(AdverseEvents.isRelated(yes), yes);
    }
    // only spaces are trimmed (as Spark SQL's trim, which applied the rule before)
    assertTrue(AdverseEvents.isRelated("\tN"));
    assertTrue(AdverseEvents.isRelated("N\n"));
  }

  @Test
  void absoluteCountsOfTheReferencePopulationAndEverythingBelowIt() {
    assertTrue(AggregateConfig.AbsoluteCounts.counted("cells/lymphocytes", "cells/lymphocytes"));
    assertTrue(AggregateConfig.AbsoluteCounts.counted("cells/lymphocytes/T", "cells/lymphocytes"));
    assertFalse(AggregateConfig.AbsoluteCounts.counted("cells", "cells/lymphocytes"));
    assertFalse(AggregateConfig.AbsoluteCounts.counted("cells/lymphocytes2", "cells/lymphocytes"));
    AggregateConfig.AbsoluteCounts a =
        new AggregateConfig.AbsoluteCounts("LYM", "lymphocytes", 1000);
    // 1.5 x 10^9/L lymphocytes, 300 of 1200 lymphocytes: 375 cells per µL
    assertEquals(375.0, a.cellsPerMicrolitre(1.5, 300, 1200));
    assertEquals(1.5 * 1000 * 7 / 9, a.cellsPerMicrolitre(1.5, 7, 9));
    assertNull(a.cellsPerMicrolitre(1.5, 0, 0));
    assertTrue(Double.isNaN(a.cellsPerMicrolitre(Double.NaN, 3, 9)));
  }

  @Test
  void countRatios() {
    assertEquals(0.25, AggregateConfig.Ratio.value(1, 4));
    assertEquals(1.0 / 3, AggregateConfig.Ratio.value(1, 3));
    assertNull(AggregateConfig.Ratio.value(5, 0));
    assertEquals(
        "Treg/Tconv", new AggregateConfig.Ratio("treg_tconv", "P1", "Treg", "Tconv").population());
  }

  @Test
  void featureNames() {
    assertEquals("p1_treg_pct_of_parent", FeatureNames.column("P1", "Treg", "pct_of_parent"));
    assertEquals(
        "p1_helios_pos_pct_of_parent", FeatureNames.column("P1", "Helios+", "pct_of_parent"));
    assertEquals("p1_cd25_neg_pct_of_parent", FeatureNames.column("P1", "CD25-", "pct_of_parent"));
    assertEquals(
        "p1_treg_median_cd25",
        FeatureNames.column("P1", "Treg", FeatureNames.markerMedian("cd25")));
    assertEquals("f_1_a_b", FeatureNames.column("1", "A", "b"));
    assertEquals("f_", FeatureNames.column("", "", ""));
    assertEquals(
        "p3_mc03_pct_of_sample",
        FeatureNames.column("P3", FeatureNames.metacluster(3), "pct_of_sample"));
    assertEquals("mc12", FeatureNames.metacluster(12));
    assertEquals("mc100", FeatureNames.metacluster(100));
  }

  @Test
  void clinicalResponseAgainstEachPatientsBaselineScore() {
    ResponderRule rule =
        AggregateConfig.load(org.cytolake.testing.SharedData.projectDir().resolve("conf"))
            .cohorts()
            .get("RA")
            .rule();
    CohortDefinition ra =
        new CohortDefinition("RA", List.of("Rheumatoid arthritis"), "DAS28CRP", rule);
    CohortDefinition hd = new CohortDefinition("HD", List.of("Healthy donor"), null, null);
    Comparator<String> order = Comparator.comparingInt(List.of("D1", "D8", "M6")::indexOf);
    List<ClinicalResponse.Score> scores =
        List.of(
            new ClinicalResponse.Score("P2", "RA", "DAS28CRP", "M6", 183, 3.7),
            new ClinicalResponse.Score("P1", "RA", "DAS28CRP", "M6", 183, 3.7),
            new ClinicalResponse.Score("P1", "RA", "CRP", "M6", 183, 4.0),
            new ClinicalResponse.Score("P1", "RA", "DAS28CRP", "D1", 1, 5.0),
            new ClinicalResponse.Score("P3", "HD", "DAS28CRP", "D1", 1, 2.0),
            new ClinicalResponse.Score("P4", "XX", "DAS28CRP", "D1", 1, 2.0));
    List<ClinicalResponse> r = ClinicalResponse.of(scores, Map.of("RA", ra, "HD", hd), "D1", order);
    // patient then visit order; other tests, cohorts without a score and unknown cohorts left out
    assertEquals(
        List.of("P1 D1", "P1 M6", "P2 M6"),
        r.stream().map(x -> x.patientId() + " " + x.visit()).toList());
    assertNull(r.get(0).responder()); // the baseline itself
    assertEquals(5.0, r.get(1).baseline());
    assertEquals(Boolean.TRUE, r.get(1).responder()); // 5.0 -> 3.7: decrease 1.3
    assertTrue(Double.isNaN(r.get(2).baseline())); // P2 has no baseline score
    assertNull(r.get(2).responder());
    assertEquals(Arrays.asList(1, 183, 183), r.stream().map(ClinicalResponse::studyDay).toList());
  }
}
