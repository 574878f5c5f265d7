package org.cytolake.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.cytolake.scoring.ContingencyCounts.ClusterCount;
import org.cytolake.scoring.ContingencyCounts.Clustering;
import org.cytolake.scoring.ContingencyCounts.GateCount;
import org.junit.jupiter.api.Test;

/** The evaluate job's counts into contingency tables, scored, and as JSON; the label header. */
class ContingencyCountsTest {
  @Test
  void countsBecomeOneTablePerClusteringInPanelAndAlgorithmOrder() {
    List<ClusterCount> counts =
        List.of(
            new ClusterCount("P2", "flowsom", "T", 0, 5),
            new ClusterCount("P1", "kmeans", "T", 1, 7),
            new ClusterCount("P1", "flowsom", "T", 0, 90),
            new ClusterCount("P1", "flowsom", "T", 1, 10),
            new ClusterCount("P1", "flowsom", "B", 1, 50));
    List<Evaluation> e =
        ContingencyCounts.clusterings(
            counts, Map.of(new Clustering("P1", "flowsom"), Map.of(0, "T", 1, "T")));
    assertEquals(
        List.of("P1 flowsom", "P1 flowsom-by-label", "P1 kmeans", "P2 flowsom"),
        e.stream().map(x -> x.panel() + " " + x.algorithm()).toList());
    // The same numbers as EvaluationTest's table: F1(T) = 180/190, agreement 100/150.
    assertEquals(180.0 / 190, e.get(0).perPopulation().get("T"), 1e-12);
    assertEquals(100.0 / 150, e.get(0).labelAgreement(), 1e-12);
    assertEquals(
        Evaluation.score(
            "P1",
            "flowsom",
            Map.of("T", Map.of("0", 90L, "1", 10L), "B", Map.of("1", 50L)),
            Map.of("0", "T", "1", "T")),
        e.get(0));
    // A clustering without labels: nothing agrees.
    assertEquals(0.0, e.get(2).labelAgreement());
  }

  @Test
  void gatedPopulationsAreScoredAsTheirReferencePopulation() {
    ReferencePopulations ref = new ReferencePopulations(Map.of("Lymphocytes/T", "T"));
    List<GateCount> counts =
        List.of(
            new GateCount("T", "Lymphocytes/T/CD4", 40),
            new GateCount("T", "Lymphocytes/T/CD8", 50),
            new GateCount("T", DeepestPopulation.UNGATED, 10),
            new GateCount("B", "Lymphocytes/B", 30));
    Evaluation e = ContingencyCounts.gating("P1", "gating", counts, ref).orElseThrow();
    assertEquals(
        Evaluation.score(
            "P1",
            "gating",
            Map.of(
                "T",
                Map.of("T", 90L, DeepestPopulation.UNGATED, 10L),
                "B",
                Map.of("Lymphocytes/B", 30L)),
            null),
        e);
    assertEquals("T", e.matched().get("T"));
    assertFalse(ContingencyCounts.gating("P1", "gating", List.of(), ref).isPresent());
  }

  @Test
  void evaluationsAsJsonPerPanelAndAlgorithm() {
    Evaluation a = Evaluation.score("P1", "gating", Map.of("T", Map.of("a/T", 5L)), null);
    Evaluation b =
        Evaluation.score("P1", "flowsom", Map.of("T", Map.of("0", 5L)), Map.of("0", "T"));
    JsonNode json = ContingencyCounts.toJson(List.of(a, b));
    assertEquals(List.of("P1"), List.copyOf(iterable(json.fieldNames())));
    assertEquals(1.0, json.at("/P1/gating/mean_f1").asDouble());
    assertEquals(5, json.at("/P1/gating/scored_events").asLong());
    assertTrue(json.at("/P1/gating/label_agreement").isMissingNode());
    assertEquals(1.0, json.at("/P1/flowsom/label_agreement").asDouble());
    assertEquals("0", json.at("/P1/flowsom/matched/T").asText());
    assertEquals(1.0, json.at("/P1/flowsom/per_population/T").asDouble());
    assertEquals("T -> T (100.0% of 5)", json.at("/P1/flowsom/majority/0").asText());
  }

  @Test
  void aLabelFileNeedsTheHeaderFileEventIndexLabel() {
    LabelLinks.checkHeader("l.csv", List.of("file", "event_index", "label"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LabelLinks.checkHeader("l.csv", List.of("file", "label")));
    assertEquals(
        "Cannot read labels 'l.csv': expected the header file,event_index,label but got "
            + "file,label",
        e.getMessage());
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
