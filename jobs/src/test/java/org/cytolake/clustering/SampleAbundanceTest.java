package org.cytolake.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link SampleAbundance}: the rows of cluster_abundance, without Spark (moved out of ClusterJob). */
class SampleAbundanceTest {
  @Test
  void everySampleHasEveryMetaclusterZerosIncluded() {
    Map<String, Map<Integer, Long>> counts = new LinkedHashMap<>();
    counts.put("s1", Map.of(0, 3L, 2, 1L));
    counts.put("s2", Map.of(1, 5L));
    assertEquals(
        List.of(
            new SampleAbundance("s1", 0, 3, 75.0),
            new SampleAbundance("s1", 1, 0, 0.0),
            new SampleAbundance("s1", 2, 1, 25.0),
            new SampleAbundance("s2", 0, 0, 0.0),
            new SampleAbundance("s2", 1, 5, 100.0),
            new SampleAbundance("s2", 2, 0, 0.0)),
        SampleAbundance.of(counts, List.of(0, 1, 2)));
  }

  @Test
  void eachSamplesPercentagesSumTo100() {
    Map<String, Map<Integer, Long>> counts = Map.of("s", Map.of(0, 1L, 1, 1L, 2, 1L));
    double sum =
        SampleAbundance.of(counts, List.of(0, 1, 2)).stream()
            .mapToDouble(SampleAbundance::pctOfSample)
            .sum();
    assertEquals(100.0, sum, 1e-9);
    assertEquals(100.0 / 3, SampleAbundance.of(counts, List.of(0, 1, 2)).get(0).pctOfSample());
  }
}
