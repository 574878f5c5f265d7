package org.cytolake.clustering;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which metacluster of an old model each metacluster of a new model corresponds to, by marker profile: a
 * metacluster's profile is the mean code vector of its nodes (unweighted) over the columns both models share, and
 * each new metacluster is matched to the old metacluster with the nearest profile (Euclidean distance in the
 * columns' transformed units; the lowest old index on ties). Node sets are not compared: the nodes of two SOMs
 * trained under different parameters have nothing in common but their code vectors. Several new metaclusters may
 * match one old one (a split) and an old one may match none (a merge or a loss), which {@link #unmatchedOld} names.
 *
 * @param oldVersion the old model's version
 * @param newVersion the new model's version
 * @param columns the columns compared (both models'), in the new model's order; empty when they share none
 * @param matches one per new metacluster, in its order; empty when no column is shared
 * @param unmatchedOld old metaclusters no new one matched, ascending
 */
public record MetaclusterCorrespondence(
    int oldVersion,
    int newVersion,
    List<String> columns,
    List<Match> matches,
    List<Integer> unmatchedOld) {

  /**
   * One new metacluster and its nearest old one.
   *
   * @param newMetacluster the new metacluster
   * @param newLabel its label
   * @param oldMetacluster the nearest old metacluster
   * @param oldLabel its label
   * @param distance the distance between their profiles
   */
  public record Match(
      int newMetacluster, String newLabel, int oldMetacluster, String oldLabel, double distance) {
    /** One line, e.g. {@code 3 Treg <- 5 Treg (0.112)}. */
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%d %s <- %d %s (%.3f)",
          newMetacluster,
          newLabel,
          oldMetacluster,
          oldLabel,
          distance);
    }
  }

  public MetaclusterCorrespondence {
    columns = List.copyOf(columns);
    matches = List.copyOf(matches);
    unmatchedOld = List.copyOf(unmatchedOld);
  }

  /** The correspondence of {@code newer}'s metaclusters to {@code older}'s. */
  public static MetaclusterCorrespondence of(ClusterModel older, ClusterModel newer) {
    List<String> shared =
        newer.columns().stream().filter(c -> older.columns().contains(c)).toList();
    if (shared.isEmpty()) {
      return new MetaclusterCorrespondence(
          older.version(), newer.version(), shared, List.of(), List.of());
    }
    double[][] oldProfiles = profiles(older, shared);
    double[][] newProfiles = profiles(newer, shared);
    List<Match> matches = new ArrayList<>();
    boolean[] matched = new boolean[oldProfiles.length];
    for (int m = 0; m < newProfiles.length; m++) {
      int best = -1;
      double bestDistance = Double.POSITIVE_INFINITY;
      for (int o = 0; o < oldProfiles.length; o++) {
        if (oldProfiles[o] == null || newProfiles[m] == null) {
          continue;
        }
        double s = 0;
        for (int d = 0; d < shared.size(); d++) {
          double diff = newProfiles[m][d] - oldProfiles[o][d];
          s += diff * diff;
        }
        if (s < bestDistance) {
          bestDistance = s;
          best = o;
        }
      }
      if (best >= 0) {
        matched[best] = true;
        matches.add(
            new Match(
                m, newer.labels().get(m), best, older.labels().get(best), Math.sqrt(bestDistance)));
      }
    }
    List<Integer> unmatched = new ArrayList<>();
    for (int o = 0; o < matched.length; o++) {
      if (!matched[o]) {
        unmatched.add(o);
      }
    }
    return new MetaclusterCorrespondence(
        older.version(), newer.version(), shared, matches, unmatched);
  }

  /** The mean code vector of every metacluster's nodes over {@code shared}; null for one without nodes. */
  private static double[][] profiles(ClusterModel model, List<String> shared) {
    int[] index = shared.stream().mapToInt(model.columns()::indexOf).toArray();
    double[][] codebook = model.codebook();
    int[] nodeToMeta = model.nodeToMetacluster();
    double[][] sums = new double[model.metaclusters()][shared.size()];
    int[] counts = new int[model.metaclusters()];
    for (int j = 0; j < codebook.length; j++) {
      int m = nodeToMeta[j];
      counts[m]++;
      for (int d = 0; d < index.length; d++) {
        sums[m][d] += codebook[j][index[d]];
      }
    }
    double[][] out = new double[sums.length][];
    for (int m = 0; m < sums.length; m++) {
      if (counts[m] > 0) {
        out[m] = new double[index.length];
        for (int d = 0; d < index.length; d++) {
          out[m][d] = sums[m][d] / counts[m];
        }
      }
    }
    return out;
  }

  /** One line for logs and warnings: every match, then the old metaclusters left unmatched. */
  public String describe() {
    if (columns.isEmpty()) {
      return "versions "
          + oldVersion
          + " and "
          + newVersion
          + " share no clustering column: no correspondence";
    }
    StringBuilder s =
        new StringBuilder("metacluster correspondence v")
            .append(newVersion)
            .append(" <- v")
            .append(oldVersion)
            .append(" (nearest marker profile): ");
    s.append(String.join(", ", matches.stream().map(Match::toString).toList()));
    if (!unmatchedOld.isEmpty()) {
      s.append("; v").append(oldVersion).append(" unmatched: ").append(unmatchedOld);
    }
    return s.toString();
  }
}
