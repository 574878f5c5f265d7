package org.cytolake.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cytolake.som.PhenotypeRule;
import org.cytolake.som.PhenotypeRules;
import org.junit.jupiter.api.Test;

/** {@link MetaclusterSummary}: the rows of the clusters table, without Spark (moved out of ClusterJob). */
class MetaclusterSummaryTest {
  static final List<String> COLS = List.of("cd3", "cd4");
  static final PhenotypeRules RULES =
      new PhenotypeRules(
          2.0,
          3.5,
          List.of(
              PhenotypeRule.parse("CD4 T", "cd3+ cd4+", COLS),
              PhenotypeRule.parse("T", "cd3+", COLS)));

  static Map<String, Double> medians(Double cd3, Double cd4) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("cd3", cd3);
    m.put("cd4", cd4);
    return m;
  }

  @Test
  void aMetaclusterIsLabelledFromItsMediansAndSizedAgainstThePanel() {
    MetaclusterSummary s = MetaclusterSummary.of(3, 250, medians(3.0, 2.5), 1000, RULES);
    assertEquals(new MetaclusterSummary(3, "CD4 T", 250, 25.0, medians(3.0, 2.5)), s);
    assertEquals(List.of("cd3", "cd4"), List.copyOf(s.medians().keySet()));
  }

  @Test
  void aMissingMedianIsNaNAndHoldsNoToken() {
    MetaclusterSummary s = MetaclusterSummary.of(0, 10, medians(3.0, null), 40, RULES);
    assertEquals("T", s.label());
    assertTrue(Double.isNaN(s.medians().get("cd4")));
    assertEquals(
        PhenotypeRules.UNLABELED,
        MetaclusterSummary.of(1, 1, medians(null, 3.0), 40, RULES).label());
  }

  @Test
  void sizesAreSummedPerLabelInOrderOfFirstAppearance() {
    List<MetaclusterSummary> all =
        List.of(
            MetaclusterSummary.of(0, 10, medians(3.0, 0.0), 100, RULES),
            MetaclusterSummary.of(1, 20, medians(3.0, 3.0), 100, RULES),
            MetaclusterSummary.of(2, 30, medians(0.0, 0.0), 100, RULES),
            MetaclusterSummary.of(3, 40, medians(3.0, 0.0), 100, RULES));
    assertEquals(
        List.of("T", "CD4 T", PhenotypeRules.UNLABELED),
        List.copyOf(MetaclusterSummary.sizeByLabel(all).keySet()));
    assertEquals(
        Map.of("T", 50L, "CD4 T", 20L, PhenotypeRules.UNLABELED, 30L),
        MetaclusterSummary.sizeByLabel(all));
  }

  @Test
  void everyMetaclusterWithEventsIsSummarisedInOrderAndAModelsLabelsReplaceTheRules() {
    java.util.SortedMap<Integer, Long> sizes = new java.util.TreeMap<>(Map.of(2, 30L, 0, 10L));
    Map<Integer, Map<String, Double>> medians =
        Map.of(0, Map.of("cd4", 3.0, "cd3", 3.0), 2, Map.of("cd3", 0.0));
    List<MetaclusterSummary> all = MetaclusterSummary.of(sizes, medians, COLS, 40, RULES);
    assertEquals(
        List.of(
            MetaclusterSummary.of(0, 10, medians(3.0, 3.0), 40, RULES),
            MetaclusterSummary.of(2, 30, medians(0.0, null), 40, RULES)),
        all);
    assertEquals(List.of("cd3", "cd4"), List.copyOf(all.get(0).medians().keySet()));
    List<MetaclusterSummary> relabelled =
        MetaclusterSummary.relabelled(all, List.of("Treg", "NK", "B"));
    assertEquals(List.of("Treg", "B"), relabelled.stream().map(MetaclusterSummary::label).toList());
    assertEquals(all.get(1).medians(), relabelled.get(1).medians());
    assertEquals(all.get(1).pctOfPanel(), relabelled.get(1).pctOfPanel());
  }

  @Test
  void aModelsLabelsNameEveryMetaclusterThoseWithoutEventsUnlabeled() {
    List<MetaclusterSummary> all =
        List.of(
            MetaclusterSummary.of(0, 10, medians(3.0, 3.0), 40, RULES),
            MetaclusterSummary.of(2, 30, medians(3.0, 0.0), 40, RULES));
    assertEquals(
        List.of("CD4 T", PhenotypeRules.UNLABELED, "T", PhenotypeRules.UNLABELED),
        MetaclusterSummary.labels(all, 4));
  }

  @Test
  void percentOfNothingIsZero() {
    assertEquals(100.0 * 7 / 9, MetaclusterSummary.percent(7, 9));
    assertEquals(0.0, MetaclusterSummary.percent(0, 0));
  }
}
