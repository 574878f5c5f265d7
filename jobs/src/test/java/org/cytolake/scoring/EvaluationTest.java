package org.cytolake.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Evaluation#score} on a hand-made contingency table (moved from EvaluateJobTest). */
class EvaluationTest {
  @Test
  void scoresTheTableAndMeasuresLabelAgreement() {
    // T: 90 in cluster 0, 10 in cluster 1; B: 50 in cluster 1.
    Map<String, Map<String, Long>> table =
        Map.of("T", Map.of("0", 90L, "1", 10L), "B", Map.of("1", 50L));
    Evaluation e = Evaluation.score("P", "flowsom", table, Map.of("0", "T", "1", "T"));
    // F1(T, 0) = 2·90 / (100 + 90); F1(B, 1) = 2·50 / (50 + 60).
    assertEquals(180.0 / 190, e.perPopulation().get("T"), 1e-12);
    assertEquals(100.0 / 110, e.perPopulation().get("B"), 1e-12);
    assertEquals("0", e.matched().get("T"));
    assertEquals("1", e.matched().get("B"));
    assertEquals(150, e.scoredEvents());
    // Cluster 1 is labelled T but holds 10 T and 50 B: 100 of 150 events agree.
    assertEquals(100.0 / 150, e.labelAgreement(), 1e-12);
    assertTrue(
        e.metaclusterMajority().get("1").startsWith("T -> B"), e.metaclusterMajority().toString());
  }

  @Test
  void withoutLabelsAgreementIsNaN() {
    Evaluation e = Evaluation.score("P", "gating", Map.of("T", Map.of("a/T", 5L)), null);
    assertEquals(1.0, e.meanF1());
    assertTrue(Double.isNaN(e.labelAgreement()));
  }

  @Test
  void metaclustersOfOneLabelAreMergedBeforeScoring() {
    // CD4 T split over metaclusters 0 and 1 (both labelled CD4 T); CD8 T in 2; metacluster 3 has no
    // label.
    Map<String, Map<String, Long>> table =
        Map.of("CD4 T", Map.of("0", 60L, "1", 40L), "CD8 T", Map.of("2", 50L, "3", 5L));
    Map<String, String> labels = Map.of("0", "CD4 T", "1", "CD4 T", "2", "CD8 T");
    Map<String, Map<String, Long>> merged = Evaluation.byLabel(table, labels);
    assertEquals(
        Map.of("CD4 T", Map.of("CD4 T", 100L), "CD8 T", Map.of("CD8 T", 50L, "3", 5L)), merged);
    // Unmerged, CD4 T matches metacluster 0 only: F1 = 2·60 / (100 + 60) = 0.75; merged, 1.0.
    assertEquals(
        0.75, Evaluation.score("P", "flowsom", table, labels).perPopulation().get("CD4 T"), 1e-12);
    Evaluation e = Evaluation.score("P", "flowsom" + Evaluation.BY_LABEL, merged, null);
    assertEquals(1.0, e.perPopulation().get("CD4 T"), 1e-12);
    assertEquals(100.0 / 105, e.perPopulation().get("CD8 T"), 1e-12);
    assertEquals("CD4 T", e.matched().get("CD4 T"));
  }

  @Test
  void aLabelledClusteringIsScoredAsItIsAndMergedByLabel() {
    Map<String, Map<String, Long>> table =
        Map.of("CD4 T", Map.of("0", 60L, "1", 40L), "CD8 T", Map.of("2", 50L));
    java.util.List<Evaluation> both =
        Evaluation.ofClustering("P", "flowsom", table, Map.of(0, "CD4 T", 1, "CD4 T", 2, "CD8 T"));
    assertEquals(
        java.util.List.of("flowsom", "flowsom-by-label"),
        both.stream().map(Evaluation::algorithm).toList());
    assertEquals(1.0, both.get(0).labelAgreement(), 1e-12);
    assertEquals(1.0, both.get(1).meanF1(), 1e-12);
    java.util.List<Evaluation> unlabelled = Evaluation.ofClustering("P", "kmeans", table, Map.of());
    assertEquals(1, unlabelled.size());
    assertEquals(0.0, unlabelled.get(0).labelAgreement());
  }
}
