package org.cytolake.som;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Consensus hierarchical metaclustering of SOM nodes, as FlowSOM's {@code metaClustering_consensus} (which calls
 * ConsensusClusterPlus, Wilkerson and Hayes 2010, with {@code clusterAlg = "hc"}, {@code distance = "euclidean"},
 * {@code innerLinkage = finalLinkage = "average"}, {@code pItem = 0.9}, {@code reps = 100}; Monti et al. 2003):
 *
 * <ol>
 *   <li>{@code reps} times: draw ⌊pItem · n⌋ of the n node codes without replacement (seeded
 *       {@link java.util.Random}), cluster them by average-linkage hierarchical clustering on Euclidean distances
 *       and cut the tree into k clusters;
 *   <li>consensus M(i, j) = (draws in which i and j fell in the same cluster) / (draws that held both);
 *   <li>final clusters: average-linkage hierarchical clustering on 1 − M, cut into k.
 * </ol>
 *
 * <p>When k is not given ({@code k = 0}), steps 1-3 are run for every k in 2 … maxK (each draw's tree is cut at
 * every k, so this costs little more than one k) and k is chosen by the elbow of the within-metacluster sum of
 * squares of the node codes, W(k) for k = 1 … maxK (W(1) is the total sum of squares): the k whose point
 * (k, W(k)), both axes scaled to [0, 1], lies farthest below the straight line from (1, W(1)) to (maxK, W(maxK)).
 * This is our choice of elbow rule, in the spirit of FlowSOM's {@code DetermineNumberOfClusters} (an elbow on
 * within-cluster variation); it is not ConsensusClusterPlus's delta-area plot, which needs a human to read it.
 *
 * <p>Deterministic for a seed. Immutable and thread-safe.
 *
 * @param k number of metaclusters, or 0 to choose it in 2 … maxK
 * @param maxK largest k considered when k = 0
 * @param reps number of resampling draws
 * @param pItem fraction of nodes drawn each time, in (0, 1]
 * @param seed seed of the draws
 */
public record Metaclustering(int k, int maxK, int reps, double pItem, long seed) {

  public static final int K_DEFAULT = 0;
  public static final int MAX_K_DEFAULT = 20;
  public static final int REPS_DEFAULT = 100;
  public static final double P_ITEM_DEFAULT = 0.9;
  public static final long SEED_DEFAULT = 1;

  public Metaclustering {
    List<String> problems = new ArrayList<>();
    if (k < 0) {
      problems.add("k must be >= 0 (0 = choose) but is " + k);
    }
    if (k == 0 && maxK < 2) {
      problems.add("maxK must be >= 2 when k is chosen but is " + maxK);
    }
    if (reps < 1) {
      problems.add("reps must be >= 1 but is " + reps);
    }
    if (!(pItem > 0 && pItem <= 1)) {
      problems.add("pItem must be in (0, 1] but is " + pItem);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot create metaclustering: " + String.join("; ", problems));
    }
  }

  /** k chosen by the elbow rule up to {@link #MAX_K_DEFAULT}, FlowSOM's reps and pItem, seed 1. */
  public static Metaclustering defaults() {
    return new Metaclustering(K_DEFAULT, MAX_K_DEFAULT, REPS_DEFAULT, P_ITEM_DEFAULT, SEED_DEFAULT);
  }

  public Metaclustering withK(int newK) {
    return new Metaclustering(newK, maxK, reps, pItem, seed);
  }

  public Metaclustering withMaxK(int newMaxK) {
    return new Metaclustering(k, newMaxK, reps, pItem, seed);
  }

  public Metaclustering withSeed(long newSeed) {
    return new Metaclustering(k, maxK, reps, pItem, newSeed);
  }

  /**
   * The metaclustering result.
   *
   * @param k the number of metaclusters used
   * @param nodeToMetacluster metacluster id (0 … k − 1, numbered by lowest node) of every node
   * @param withinSs W(k) for k = 1 … maxK at index k − 1 when k was chosen; only W(1) and W(k) otherwise
   *     (NaN elsewhere)
   */
  public record Result(int k, int[] nodeToMetacluster, double[] withinSs) {
    public Result {
      nodeToMetacluster = nodeToMetacluster.clone();
      withinSs = withinSs.clone();
    }

    @Override
    public int[] nodeToMetacluster() {
      return nodeToMetacluster.clone();
    }

    @Override
    public double[] withinSs() {
      return withinSs.clone();
    }
  }

  /** Metaclusters the nodes of {@code model}. */
  public Result fit(SomModel model) {
    return fit(model.codes());
  }

  /**
   * Metaclusters the given node codes (one row per node).
   *
   * @throws IllegalArgumentException if k (or maxK when choosing) exceeds the number of nodes, or the draws are
   *     too small to hold k nodes
   */
  public Result fit(double[][] codes) {
    int n = codes.length;
    int top = k > 0 ? k : Math.min(maxK, n);
    int drawn = (int) Math.floor(pItem * n);
    if (top > n || top > drawn) {
      throw new IllegalArgumentException(
          "Cannot metacluster "
              + n
              + " nodes into "
              + top
              + " clusters with draws of "
              + drawn
              + " nodes (pItem "
              + pItem
              + ")");
    }
    int kMin = k > 0 ? k : 2;
    double[][] distance = AverageLinkage.euclidean(codes);
    int[][][] together = new int[top + 1][][];
    for (int kk = kMin; kk <= top; kk++) {
      together[kk] = new int[n][n];
    }
    int[][] both = new int[n][n];
    Random random = new Random(seed);
    int[] items = new int[n];
    for (int rep = 0; rep < reps; rep++) {
      for (int i = 0; i < n; i++) {
        items[i] = i;
      }
      for (int i = 0; i < drawn; i++) {
        int j = i + random.nextInt(n - i);
        int t = items[i];
        items[i] = items[j];
        items[j] = t;
      }
      int[] sample = Arrays.copyOf(items, drawn);
      Arrays.sort(sample);
      double[][] sub = new double[drawn][drawn];
      for (int a = 0; a < drawn; a++) {
        for (int b = 0; b < drawn; b++) {
          sub[a][b] = distance[sample[a]][sample[b]];
        }
      }
      int[][] merges = AverageLinkage.merges(sub);
      for (int a = 0; a < drawn; a++) {
        for (int b = a + 1; b < drawn; b++) {
          both[sample[a]][sample[b]]++;
        }
      }
      for (int kk = kMin; kk <= top; kk++) {
        int[] labels = AverageLinkage.cut(drawn, merges, kk);
        int[][] t = together[kk];
        for (int a = 0; a < drawn; a++) {
          for (int b = a + 1; b < drawn; b++) {
            if (labels[a] == labels[b]) {
              t[sample[a]][sample[b]]++;
            }
          }
        }
      }
    }
    double[] withinSs = new double[top];
    Arrays.fill(withinSs, Double.NaN);
    withinSs[0] = withinSs(codes, new int[n], 1);
    int[][] labelsByK = new int[top + 1][];
    for (int kk = kMin; kk <= top; kk++) {
      double[][] dissimilarity = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          double m = both[i][j] == 0 ? 0 : (double) together[kk][i][j] / both[i][j];
          dissimilarity[i][j] = 1 - m;
          dissimilarity[j][i] = 1 - m;
        }
      }
      labelsByK[kk] = AverageLinkage.cut(n, AverageLinkage.merges(dissimilarity), kk);
      withinSs[kk - 1] = withinSs(codes, labelsByK[kk], kk);
    }
    int chosen = k > 0 ? k : elbow(withinSs);
    return new Result(chosen, labelsByK[chosen], withinSs);
  }

  /** The elbow of W(1 … K) (class comment); K must be >= 2, and the answer is in 2 … K. */
  static int elbow(double[] w) {
    int kMax = w.length;
    if (kMax == 2) {
      return 2;
    }
    double range = w[0] - w[kMax - 1];
    int best = 2;
    double bestGap = Double.NEGATIVE_INFINITY;
    for (int kk = 2; kk <= kMax; kk++) {
      double x = (kk - 1) / (double) (kMax - 1);
      double y = range > 0 ? (w[kk - 1] - w[kMax - 1]) / range : 0;
      double gap = (1 - x) - y;
      if (gap > bestGap) {
        bestGap = gap;
        best = kk;
      }
    }
    return best;
  }

  /** Sum over clusters of the squared Euclidean distances of the codes to their cluster mean. */
  static double withinSs(double[][] codes, int[] labels, int clusters) {
    int dims = codes.length == 0 ? 0 : codes[0].length;
    double[][] mean = new double[clusters][dims];
    int[] count = new int[clusters];
    for (int i = 0; i < codes.length; i++) {
      count[labels[i]]++;
      for (int d = 0; d < dims; d++) {
        mean[labels[i]][d] += codes[i][d];
      }
    }
    for (int c = 0; c < clusters; c++) {
      for (int d = 0; d < dims; d++) {
        mean[c][d] /= Math.max(1, count[c]);
      }
    }
    double s = 0;
    for (int i = 0; i < codes.length; i++) {
      for (int d = 0; d < dims; d++) {
        double diff = codes[i][d] - mean[labels[i]][d];
        s += diff * diff;
      }
    }
    return s;
  }
}
