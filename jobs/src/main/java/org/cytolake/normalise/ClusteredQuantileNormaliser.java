package org.cytolake.normalise;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.som.Metaclustering;
import org.cytolake.som.SomModel;
import org.cytolake.som.SomTrainer;
import org.cytolake.stats.Quantiles;

/**
 * Batch normalisation by quantiles with one model per cluster, CytoNorm's clustering variant (Van
 * Gassen et al., 2020, Cytometry A 97:268), in the Spark ML shape: this estimator holds the
 * configuration, {@link #fit} learns from the training controls of every batch and returns an
 * immutable {@link ClusteredQuantileNormModel}. Written from the method's description; no R output
 * exists for it in the parity data, so parity with R is not claimed.
 *
 * <p>Fitting:
 *
 * <ol>
 *   <li>the listed channels of every event of every training control, transformed, pooled over
 *       batches (batches and files in the order given), train a self-organising map ({@link
 *       SomTrainer#fit}, {@link ClusterNormParams#som()}); as CytoNorm trains FlowSOM on an
 *       aggregate of the controls, unscaled;
 *   <li>its nodes are metaclustered into {@link ClusterNormParams#clusters()} clusters by consensus
 *       hierarchical clustering ({@link Metaclustering}, seeded by the SOM's seed);
 *   <li>every control event goes to its nearest node's cluster; per cluster, the events of each
 *       batch's controls in it give the batch's quantiles per channel exactly as {@link
 *       QuantileNormaliser} takes them (R type 7 at k / (n + 1)), the goal is their mean over the
 *       batches (or the named batch's), and each batch and channel gets the monotone spline onto
 *       the goal: one {@link QuantileNormModel} per cluster.
 * </ol>
 *
 * <p>The rule for what cannot be fitted (ours, not CytoNorm's): a batch whose controls hold
 * fewer than {@link ClusterNormParams#minEvents()} events in a cluster, and a batch whose quantiles
 * of a channel in a cluster are all equal (no signal there, e.g. every event at 0), are not fitted
 * for that cluster (and channel): their spline is the identity, they are left out of the mean goal,
 * and the model lists each as a {@link ClusteredQuantileNormModel.Fallback}. When the goal is a
 * named batch that is not fitted for a cluster and channel, every batch keeps the identity there;
 * likewise when no batch is fitted.
 *
 * <p>Refused, with every problem named at once: the problems {@link QuantileNormaliser} refuses
 * (a batch without a control, a control without events or a channel, an unknown goal batch),
 * and fewer distinct control events than SOM nodes.
 */
public final class ClusteredQuantileNormaliser {
  private final QuantileNormParams params;
  private final ClusterNormParams clustering;

  public ClusteredQuantileNormaliser(QuantileNormParams params, ClusterNormParams clustering) {
    this.params = Objects.requireNonNull(params, "params");
    this.clustering = Objects.requireNonNull(clustering, "clustering");
    QuantileNormaliser.throwIfAny(params.goalProblems(clustering.clusters()));
  }

  public QuantileNormParams params() {
    return params;
  }

  public ClusterNormParams clustering() {
    return clustering;
  }

  /**
   * Trains the SOM, metaclusters it and learns the splines of every cluster.
   *
   * @param controlsByBatch the training controls of each batch, by batch name
   * @throws IllegalArgumentException naming every batch, file and channel that cannot be used
   */
  public ClusteredQuantileNormModel fit(Map<String, List<Events>> controlsByBatch) {
    QuantileNormaliser.throwIfAny(QuantileNormaliser.controlProblems(params, controlsByBatch));
    List<String> channels = params.channels();
    int dims = channels.size();
    Transform t = params.transform();

    // 1. the transformed listed channels of each batch's pooled controls, row-major
    Map<String, double[]> matrices = new LinkedHashMap<>();
    int total = 0;
    for (Map.Entry<String, List<Events>> b : controlsByBatch.entrySet()) {
      double[] m = transformedMatrix(b.getValue(), channels, t);
      matrices.put(b.getKey(), m);
      total += m.length / dims;
    }
    double[] all = new double[total * dims];
    int at = 0;
    for (double[] m : matrices.values()) {
      System.arraycopy(m, 0, all, at, m.length);
      at += m.length;
    }

    // 2. the SOM and its metaclusters
    SomModel som;
    try {
      som = SomTrainer.fit(clustering.som(), dims, List.of(all));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Cannot fit clustered quantile normalisation: the SOM cannot be trained on the "
              + total
              + " control events: "
              + e.getMessage(),
          e);
    }
    Metaclustering metaclustering =
        Metaclustering.defaults().withK(clustering.clusters()).withSeed(clustering.som().seed());
    int[] nodeToCluster = metaclustering.fit(som).nodeToMetacluster();

    // 3. per cluster, the quantiles of each batch's control events in it
    int k = clustering.clusters();
    double[] probs = params.probabilities();
    List<String> batches = List.copyOf(matrices.keySet());
    int[][] counts = new int[batches.size()][k];
    // columns[batch][cluster][channel]
    double[][][][] columns = new double[batches.size()][][][];
    for (int b = 0; b < batches.size(); b++) {
      double[] m = matrices.get(batches.get(b));
      int n = m.length / dims;
      int[] cluster = clustersOf(som, nodeToCluster, m, n);
      for (int cl : cluster) {
        counts[b][cl]++;
      }
      columns[b] = new double[k][dims][];
      int[] filled = new int[k];
      for (int cl = 0; cl < k; cl++) {
        for (int c = 0; c < dims; c++) {
          columns[b][cl][c] = new double[counts[b][cl]];
        }
      }
      for (int i = 0; i < n; i++) {
        int cl = cluster[i];
        for (int c = 0; c < dims; c++) {
          columns[b][cl][c][filled[cl]] = m[i * dims + c];
        }
        filled[cl]++;
      }
    }

    List<ClusteredQuantileNormModel.Fallback> fallbacks = new ArrayList<>();
    List<QuantileNormModel> models = new ArrayList<>();
    for (int cl = 0; cl < k; cl++) {
      Map<String, double[][]> quantiles = new LinkedHashMap<>();
      boolean[][] fitted = new boolean[batches.size()][dims];
      for (int b = 0; b < batches.size(); b++) {
        double[][] q = new double[dims][];
        int n = counts[b][cl];
        boolean enough = n >= clustering.minEvents();
        if (!enough) {
          fallbacks.add(
              new ClusteredQuantileNormModel.Fallback(
                  batches.get(b), cl, null, n, "fewer than " + clustering.minEvents() + " events"));
        }
        for (int c = 0; c < dims; c++) {
          if (n == 0) {
            q[c] = new double[probs.length];
            Arrays.fill(q[c], Double.NaN);
            continue;
          }
          q[c] = Quantiles.type7(columns[b][cl][c], probs);
          boolean signal = q[c][0] < q[c][probs.length - 1];
          if (enough && !signal) {
            fallbacks.add(
                new ClusteredQuantileNormModel.Fallback(
                    batches.get(b),
                    cl,
                    channels.get(c),
                    n,
                    "no signal: all " + probs.length + " quantiles are " + q[c][0]));
          }
          fitted[b][c] = enough && signal;
        }
        quantiles.put(batches.get(b), q);
      }

      // the goal: the mean over the fitted batches, or the named batch's (if fitted)
      double[][] goal = new double[dims][probs.length];
      boolean[] hasGoal = new boolean[dims];
      for (int c = 0; c < dims; c++) {
        if (params.goal() instanceof Goal.Given g) {
          goal[c] = g.quantiles().of(channels.get(c), g.quantiles().clusters() == 1 ? 0 : cl);
          hasGoal[c] = true;
          continue;
        }
        if (params.goal() instanceof Goal.Batch g) {
          int gb = batches.indexOf(g.name());
          hasGoal[c] = fitted[gb][c];
          goal[c] = quantiles.get(g.name())[c].clone();
          if (!hasGoal[c]) {
            fallbacks.add(
                new ClusteredQuantileNormModel.Fallback(
                    null,
                    cl,
                    channels.get(c),
                    counts[gb][cl],
                    "goal batch '" + g.name() + "' is not fitted here"));
          }
          continue;
        }
        List<double[]> used = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
          if (fitted[b][c]) {
            used.add(quantiles.get(batches.get(b))[c]);
          }
        }
        hasGoal[c] = !used.isEmpty();
        for (int j = 0; j < probs.length; j++) {
          if (!hasGoal[c]) {
            goal[c][j] = Double.NaN;
            continue;
          }
          double[] v = new double[used.size()];
          for (int u = 0; u < v.length; u++) {
            v[u] = used.get(u)[j];
          }
          goal[c][j] = QuantileNormaliser.mean(v);
        }
      }

      Map<String, MonotoneSpline[]> splines = new LinkedHashMap<>();
      for (int b = 0; b < batches.size(); b++) {
        MonotoneSpline[] s = new MonotoneSpline[dims];
        for (int c = 0; c < dims; c++) {
          s[c] =
              fitted[b][c] && hasGoal[c]
                  ? MonotoneSpline.fit(quantiles.get(batches.get(b))[c], goal[c])
                  : MonotoneSpline.identity();
        }
        splines.put(batches.get(b), s);
      }
      models.add(new QuantileNormModel(params, quantiles, goal, splines));
    }
    return new ClusteredQuantileNormModel(
        params, clustering, som, nodeToCluster, models, batches, counts, fallbacks);
  }

  /** The cluster of each of the {@code n} row-major transformed events {@code m}. */
  static int[] clustersOf(SomModel som, int[] nodeToCluster, double[] m, int n) {
    int[] node = som.map(m, n);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = nodeToCluster[node[i]];
    }
    return out;
  }

  /** The listed channels of the pooled events of {@code files}, transformed, row-major. */
  static double[] transformedMatrix(List<Events> files, List<String> channels, Transform t) {
    int dims = channels.size();
    int n = files.stream().mapToInt(Events::events).sum();
    double[] out = new double[n * dims];
    int row = 0;
    for (Events e : files) {
      int p = e.channels().size();
      int[] col = new int[dims];
      for (int c = 0; c < dims; c++) {
        col[c] = e.indexOf(channels.get(c));
      }
      for (int i = 0; i < e.events(); i++, row++) {
        for (int c = 0; c < dims; c++) {
          out[row * dims + c] = t.apply(e.values()[i * p + col[c]]);
        }
      }
    }
    return out;
  }
}
