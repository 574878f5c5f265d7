package org.cytolake.scoring;

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
  public static final Set<String> UNASSIGNED_LABELS =
      Set.of("unlabeled", "unlabelled", "unassigned", "");

  /**
   * The score.
   *
   * @param meanF1 mean of {@code perPopulation}
   * @param perPopulation F1 of every population with its matched cluster, by population name (sorted)
   * @param matchedCluster the cluster matched to every population, −1 when none
   * @param scoredEvents events that took part (labelled, not unassigned)
   */
  public record Score(
      double meanF1,
      Map<String, Double> perPopulation,
      Map<String, Integer> matchedCluster,
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
      throw new IllegalArgumentException(
          "Cannot score clustering: "
              + reference.size()
              + " reference labels but "
              + clusters.length
              + " cluster ids");
    }
    TreeMap<String, Boolean> populations = new TreeMap<>();
    int maxCluster = -1;
    for (int e = 0; e < clusters.length; e++) {
      if (clusters[e] < 0) {
        throw new IllegalArgumentException(
            "Cannot score clustering: event " + e + " has cluster id " + clusters[e]);
      }
      String label = reference.get(e);
      if (isAssigned(label)) {
        populations.putIfAbsent(label, true);
        maxCluster = Math.max(maxCluster, clusters[e]);
      }
    }
    if (populations.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot score clustering: none of " + clusters.length + " events has a reference label");
    }
    Map<String, long[]> table = new TreeMap<>();
    for (String name : populations.keySet()) {
      table.put(name, new long[maxCluster + 1]);
    }
    for (int e = 0; e < clusters.length; e++) {
      String label = reference.get(e);
      if (isAssigned(label)) {
        table.get(label)[clusters[e]]++;
      }
    }
    return scoreTable(table);
  }

  /**
   * Scores a contingency table: for every reference population (already without the unassigned events), the
   * number of its events in each cluster ({@code counts.get(population)[cluster]}). Arrays may differ in length
   * (missing entries are 0). This is what {@link #score(List, int[])} computes from per-event lists; a distributed
   * job counts the table with a group-by and calls this on the driver.
   *
   * @throws IllegalArgumentException if the table is empty or holds no event, or a count is negative
   */
  public static Score scoreTable(Map<String, long[]> counts) {
    TreeMap<String, long[]> sorted = new TreeMap<>(counts);
    int nClu = 0;
    long total = 0;
    for (Map.Entry<String, long[]> e : sorted.entrySet()) {
      nClu = Math.max(nClu, e.getValue().length);
      for (long c : e.getValue()) {
        if (c < 0) {
          throw new IllegalArgumentException(
              "Cannot score clustering: population '" + e.getKey() + "' has a negative count " + c);
        }
        total += c;
      }
    }
    if (sorted.isEmpty() || total == 0) {
      throw new IllegalArgumentException("Cannot score clustering: no event has a reference label");
    }
    int nPop = sorted.size();
    long[][] both = new long[nPop][nClu];
    long[] popSize = new long[nPop];
    long[] cluSize = new long[nClu];
    int i0 = 0;
    for (long[] row : sorted.values()) {
      for (int j = 0; j < row.length; j++) {
        both[i0][j] = row[j];
        popSize[i0] += row[j];
        cluSize[j] += row[j];
      }
      i0++;
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
    int i = 0;
    for (String name : sorted.keySet()) {
      double value = match[i] < 0 ? 0 : f1[i][match[i]];
      perPopulation.put(name, value);
      matched.put(name, match[i]);
      sum += value;
      i++;
    }
    return new Score(sum / nPop, perPopulation, matched, total);
  }

  /** F1 of a population of {@code popSize} events against a cluster of {@code clusterSize}, sharing {@code both}. */
  public static double f1(long both, long popSize, long clusterSize) {
    return both == 0 ? 0 : 2.0 * both / (popSize + clusterSize);
  }

  /** Whether {@code label} names a population (not null, not one of {@link #UNASSIGNED_LABELS}). */
  public static boolean isAssigned(String label) {
    return label != null
        && !UNASSIGNED_LABELS.contains(label.strip().toLowerCase(java.util.Locale.ROOT));
  }
}
