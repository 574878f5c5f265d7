package org.cytolake.som;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Scores a clustering against reference labels as Weber and Robinson 2016 (Cytometry A 89:1084): events whose
 * reference label is missing or marks them as unassigned are left out; the F1 score of every reference population
 * against every cluster is computed (F1 = 2 · precision · recall / (precision + recall) = 2 |P ∩ C| / (|P| + |C|));
 * populations are matched one-to-one to clusters by the Hungarian algorithm maximising the total F1; a population
 * left without a cluster (more populations than clusters) scores 0; the mean F1 is the unweighted mean over
 * populations. Cluster sizes count only the events that are scored.
 */
public final class ClusterScoring {
  private ClusterScoring() {}

  /** Reference labels that mark an event as unassigned (compared ignoring case). */
  public static final Set<String> UNASSIGNED_LABELS = Set.of("unlabeled", "unlabelled", "unassigned", "");

  /**
   * The score.
   *
   * @param meanF1 mean of {@code perPopulation}
   * @param perPopulation F1 of every population with its matched cluster, by population name (sorted)
   * @param matchedCluster the cluster matched to every population, −1 when none
   * @param scoredEvents events that took part (labelled, not unassigned)
   */
  public record Score(double meanF1, Map<String, Double> perPopulation, Map<String, Integer> matchedCluster,
      long scoredEvents) {
    public Score {
      perPopulation = Collections.unmodifiableMap(new LinkedHashMap<>(perPopulation));
      matchedCluster = Collections.unmodifiableMap(new LinkedHashMap<>(matchedCluster));
    }
  }

  /**
   * Scores {@code clusters} (a non-negative cluster id per event) against {@code reference} (a label per event,
   * {@code null} or one of {@link #UNASSIGNED_LABELS} for events to leave out).
   *
   * @throws IllegalArgumentException if the lists differ in length, a cluster id is negative, or no event is
   *     labelled
   */
  public static Score score(List<String> reference, int[] clusters) {
    if (reference.size() != clusters.length) {
      throw new IllegalArgumentException("Cannot score clustering: " + reference.size() + " reference labels but "
          + clusters.length + " cluster ids");
    }
    TreeMap<String, Integer> populations = new TreeMap<>();
    int maxCluster = -1;
    for (int e = 0; e < clusters.length; e++) {
      if (clusters[e] < 0) {
        throw new IllegalArgumentException("Cannot score clustering: event " + e + " has cluster id " + clusters[e]);
      }
      String label = reference.get(e);
      if (isAssigned(label)) {
        populations.putIfAbsent(label, 0);
        maxCluster = Math.max(maxCluster, clusters[e]);
      }
    }
    if (populations.isEmpty()) {
      throw new IllegalArgumentException("Cannot score clustering: none of " + clusters.length
          + " events has a reference label");
    }
    int p = 0;
    for (Map.Entry<String, Integer> entry : populations.entrySet()) {
      entry.setValue(p++);
    }
    int nPop = populations.size();
    int nClu = maxCluster + 1;
    long[][] both = new long[nPop][nClu];
    long[] popSize = new long[nPop];
    long[] cluSize = new long[nClu];
    long scored = 0;
    for (int e = 0; e < clusters.length; e++) {
      String label = reference.get(e);
      if (isAssigned(label)) {
        int i = populations.get(label);
        both[i][clusters[e]]++;
        popSize[i]++;
        cluSize[clusters[e]]++;
        scored++;
      }
    }
    double[][] f1 = new double[nPop][nClu];
    for (int i = 0; i < nPop; i++) {
      for (int j = 0; j < nClu; j++) {
        f1[i][j] = f1(both[i][j], popSize[i], cluSize[j]);
      }
    }
    int[] match = Hungarian.maximize(f1);
    Map<String, Double> perPopulation = new LinkedHashMap<>();
    Map<String, Integer> matched = new LinkedHashMap<>();
    double sum = 0;
    for (Map.Entry<String, Integer> entry : populations.entrySet()) {
      int i = entry.getValue();
      double value = match[i] < 0 ? 0 : f1[i][match[i]];
      perPopulation.put(entry.getKey(), value);
      matched.put(entry.getKey(), match[i]);
      sum += value;
    }
    return new Score(sum / nPop, perPopulation, matched, scored);
  }

  /** F1 of a population of {@code popSize} events against a cluster of {@code clusterSize}, sharing {@code both}. */
  public static double f1(long both, long popSize, long clusterSize) {
    return both == 0 ? 0 : 2.0 * both / (popSize + clusterSize);
  }

  private static boolean isAssigned(String label) {
    return label != null && !UNASSIGNED_LABELS.contains(label.strip().toLowerCase(java.util.Locale.ROOT));
  }
}
