package org.cytolake.som;

import java.util.Arrays;

/**
 * Agglomerative hierarchical clustering with average linkage (UPGMA, R's {@code hclust(method = "average")}) on a
 * symmetric dissimilarity matrix. Merges always join the closest pair of clusters; ties go to the pair whose
 * lower-numbered representatives come first, so the result is deterministic. O(n³) time, O(n²) memory: meant for
 * codebooks (hundreds of nodes), not events.
 */
final class AverageLinkage {
  private AverageLinkage() {}

  /**
   * The merge sequence of {@code n} items: merge {@code s} joins the clusters represented by items
   * {@code merges[s][0] < merges[s][1]}; the merged cluster is represented by {@code merges[s][0]}.
   *
   * @param dissimilarity n × n, symmetric; only the upper triangle is read
   */
  static int[][] merges(double[][] dissimilarity) {
    int n = dissimilarity.length;
    double[][] d = new double[n][];
    for (int i = 0; i < n; i++) {
      d[i] = dissimilarity[i].clone();
    }
    int[] size = new int[n];
    Arrays.fill(size, 1);
    boolean[] active = new boolean[n];
    Arrays.fill(active, true);
    int[][] merges = new int[Math.max(0, n - 1)][];
    for (int s = 0; s < n - 1; s++) {
      int bi = -1;
      int bj = -1;
      double best = Double.POSITIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        if (!active[i]) {
          continue;
        }
        double[] row = d[i];
        for (int j = i + 1; j < n; j++) {
          if (active[j] && (row[j] < best || bi < 0)) {
            best = row[j];
            bi = i;
            bj = j;
          }
        }
      }
      merges[s] = new int[] {bi, bj};
      int si = size[bi];
      int sj = size[bj];
      for (int k = 0; k < n; k++) {
        if (active[k] && k != bi && k != bj) {
          double v = (si * dik(d, bi, k) + sj * dik(d, bj, k)) / (si + sj);
          set(d, bi, k, v);
        }
      }
      size[bi] = si + sj;
      active[bj] = false;
    }
    return merges;
  }

  /**
   * Cuts the tree into {@code k} clusters by applying the first n − k merges. Cluster ids are 0 … k − 1, numbered
   * in order of each cluster's lowest item.
   */
  static int[] cut(int n, int[][] merges, int k) {
    if (k < 1 || k > n) {
      throw new IllegalArgumentException(
          "Cannot cut a tree of " + n + " items into " + k + " clusters");
    }
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    for (int s = 0; s < n - k; s++) {
      parent[find(parent, merges[s][1])] = find(parent, merges[s][0]);
    }
    int[] labelOfRoot = new int[n];
    Arrays.fill(labelOfRoot, -1);
    int[] out = new int[n];
    int next = 0;
    for (int i = 0; i < n; i++) {
      int r = find(parent, i);
      if (labelOfRoot[r] < 0) {
        labelOfRoot[r] = next++;
      }
      out[i] = labelOfRoot[r];
    }
    return out;
  }

  /** Euclidean distances between the rows of {@code points}. */
  static double[][] euclidean(double[][] points) {
    int n = points.length;
    double[][] d = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double s = 0;
        for (int k = 0; k < points[i].length; k++) {
          double diff = points[i][k] - points[j][k];
          s += diff * diff;
        }
        d[i][j] = Math.sqrt(s);
        d[j][i] = d[i][j];
      }
    }
    return d;
  }

  private static double dik(double[][] d, int i, int k) {
    return i < k ? d[i][k] : d[k][i];
  }

  private static void set(double[][] d, int i, int k, double v) {
    if (i < k) {
      d[i][k] = v;
    } else {
      d[k][i] = v;
    }
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }
}
