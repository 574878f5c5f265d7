package org.cytolake.scoring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scored clustering of one panel: a contingency table (reference population → cluster name → events) scored
 * as Weber and Robinson 2016 ({@link ClusterScoring#scoreTable}), with how far the clusters' phenotype labels agree
 * with the events' reference populations and each cluster's majority population. Immutable.
 *
 * @param panel the panel
 * @param algorithm the algorithm name the clustering is scored under
 * @param meanF1 mean F1 over the reference populations
 * @param perPopulation F1 of every reference population with its matched cluster
 * @param matched the cluster matched to every reference population (null: none)
 * @param scoredEvents events that took part
 * @param labelAgreement fraction of scored events whose cluster's label equals their reference population (NaN
 *     without labels, e.g. for gating)
 * @param metaclusterMajority per cluster (metacluster or gated population): "label → majority reference
 *     population (share)"
 */
public record Evaluation(
    String panel,
    String algorithm,
    double meanF1,
    Map<String, Double> perPopulation,
    Map<String, String> matched,
    long scoredEvents,
    double labelAgreement,
    Map<String, String> metaclusterMajority) {

  /**
   * Suffix of the algorithm name under which the metaclusters merged by their phenotype label are scored (e.g.
   * {@code flowsom-by-label}): the populations an analyst reads off the {@code clusters} table, where several
   * metaclusters may carry one label.
   */
  public static final String BY_LABEL = "-by-label";

  public Evaluation {
    perPopulation = Collections.unmodifiableMap(new LinkedHashMap<>(perPopulation));
    matched = Collections.unmodifiableMap(new LinkedHashMap<>(matched));
    metaclusterMajority = Collections.unmodifiableMap(new LinkedHashMap<>(metaclusterMajority));
  }

  /**
   * Scores one contingency table: population → cluster name → events. {@code clusterLabels} (cluster name →
   * phenotype label) gives the label agreement; null for none (NaN).
   */
  public static Evaluation score(
      String panel,
      String algorithm,
      Map<String, Map<String, Long>> table,
      Map<String, String> clusterLabels) {
    List<String> clusters =
        table.values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
    Map<String, long[]> counts = new TreeMap<>();
    for (Map.Entry<String, Map<String, Long>> row : table.entrySet()) {
      long[] c = new long[clusters.size()];
      row.getValue().forEach((cluster, n) -> c[clusters.indexOf(cluster)] = n);
      counts.put(row.getKey(), c);
    }
    ClusterScoring.Score score = ClusterScoring.scoreTable(counts);
    Map<String, String> matched = new LinkedHashMap<>();
    score.matchedCluster().forEach((p, j) -> matched.put(p, j < 0 ? null : clusters.get(j)));
    long agree = 0;
    Map<String, String> majority = new LinkedHashMap<>();
    for (int j = 0; j < clusters.size(); j++) {
      String cluster = clusters.get(j);
      String label = clusterLabels == null ? null : clusterLabels.get(cluster);
      String best = null;
      long bestN = -1;
      long size = 0;
      for (Map.Entry<String, long[]> row : counts.entrySet()) {
        long n = row.getValue()[j];
        size += n;
        if (n > bestN) {
          best = row.getKey();
          bestN = n;
        }
        if (label != null && label.equals(row.getKey())) {
          agree += n;
        }
      }
      majority.put(
          cluster,
          (label == null ? "" : label + " -> ")
              + best
              + String.format(Locale.ROOT, " (%.1f%% of %d)", 100.0 * bestN / size, size));
    }
    double agreement = clusterLabels == null ? Double.NaN : (double) agree / score.scoredEvents();
    return new Evaluation(
        panel,
        algorithm,
        score.meanF1(),
        score.perPopulation(),
        matched,
        score.scoredEvents(),
        agreement,
        majority);
  }

  /**
   * The contingency table with every metacluster replaced by its phenotype label, metaclusters of one label merged;
   * a metacluster without a label keeps its own name.
   */
  public static Map<String, Map<String, Long>> byLabel(
      Map<String, Map<String, Long>> table, Map<String, String> labels) {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    table.forEach(
        (population, row) ->
            row.forEach(
                (cluster, n) ->
                    out.computeIfAbsent(population, k -> new TreeMap<>())
                        .merge(labels.getOrDefault(cluster, cluster), n, Long::sum)));
    return out;
  }

  /**
   * The evaluations of one clustering: its metaclusters as they are ({@code algorithm}, with the label agreement)
   * and, when they carry phenotype labels, merged by label ({@code algorithm} + {@link #BY_LABEL}).
   *
   * @param table reference population → metacluster → events
   * @param labels metacluster → phenotype label (the {@code clusters} table); empty when it has none
   */
  public static List<Evaluation> ofClustering(
      String panel,
      String algorithm,
      Map<String, Map<String, Long>> table,
      Map<Integer, String> labels) {
    Map<String, String> byName = new HashMap<>();
    labels.forEach((m, l) -> byName.put(String.valueOf(m), l));
    List<Evaluation> out = new ArrayList<>();
    out.add(score(panel, algorithm, table, byName));
    if (!byName.isEmpty()) {
      out.add(score(panel, algorithm + BY_LABEL, byLabel(table, byName), null));
    }
    return out;
  }
}
