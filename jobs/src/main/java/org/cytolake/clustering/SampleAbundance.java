package org.cytolake.clustering;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The events of one sample in one metacluster and their share of the sample's events, as the lake's
 * {@code cluster_abundance} table holds them: every sample × every metacluster of the clustering, zero counts
 * included, so that a metacluster a sample lacks reads 0 rather than missing. Immutable.
 *
 * @param sampleId the sample
 * @param metacluster the metacluster
 * @param count events of the sample in the metacluster
 * @param pctOfSample count as a percentage of the sample's events ({@link MetaclusterSummary#percent})
 */
public record SampleAbundance(String sampleId, int metacluster, long count, double pctOfSample) {

  /**
   * The abundance of every sample in every metacluster.
   *
   * @param counts sample → metacluster → events; a metacluster without events in a sample may be absent; a
   *     sample's events are the sum of its counts
   * @param metaclusters every metacluster of the clustering, in output order
   * @return samples in the order of {@code counts}, each with every metacluster
   */
  public static List<SampleAbundance> of(
      Map<String, Map<Integer, Long>> counts, List<Integer> metaclusters) {
    List<SampleAbundance> out = new ArrayList<>();
    counts.forEach(
        (sample, bySample) -> {
          long total = bySample.values().stream().mapToLong(Long::longValue).sum();
          for (int m : metaclusters) {
            long n = bySample.getOrDefault(m, 0L);
            out.add(new SampleAbundance(sample, m, n, MetaclusterSummary.percent(n, total)));
          }
        });
    return out;
  }
}
