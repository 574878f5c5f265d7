package org.cytolake.normalise;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.som.SomModel;

/**
 * The fitted state of a {@link ClusteredQuantileNormaliser}: the SOM trained on the controls, the
 * cluster of each of its nodes, one {@link QuantileNormModel} per cluster, the control events per
 * batch and cluster, and the batches, clusters and channels left unfitted ({@link #fallbacks()}).
 * Immutable. {@link #apply} normalises a file of a trained batch: each event goes to the cluster of
 * its nearest node (on its transformed listed channels), and each listed channel is transformed,
 * mapped through that cluster's spline for the batch and transformed back; an event whose batch and
 * cluster (and channel) were not fitted keeps its value exactly; other channels are copied.
 *
 * <p>Clusters are numbered 0 … clusters − 1 here and 1 … clusters in messages, as CytoNorm names
 * them.
 */
public final class ClusteredQuantileNormModel {

  /**
   * A batch, cluster and channel the model leaves as they are (identity), and why.
   *
   * @param batch the batch, or null for every batch (the goal batch is not fitted)
   * @param cluster the cluster, 0-based
   * @param channel the channel, or null for every channel (too few events)
   * @param events the batch's control events in the cluster (the goal batch's when batch is null)
   * @param reason why, e.g. "fewer than 50 events"
   */
  public record Fallback(String batch, int cluster, String channel, int events, String reason) {

    /** One line for stderr, naming batch, cluster (1-based), channel and count. */
    public String message(int clusters) {
      return "batch "
          + (batch == null ? "(every batch)" : "'" + batch + "'")
          + ", cluster "
          + (cluster + 1)
          + " of "
          + clusters
          + ", "
          + (channel == null ? "every channel" : "channel '" + channel + "'")
          + ": "
          + events
          + " control event(s), "
          + reason
          + "; left unnormalised (identity)";
    }
  }

  private final QuantileNormParams params;
  private final ClusterNormParams clustering;
  private final SomModel som;
  private final int[] nodeToCluster;
  private final List<QuantileNormModel> byCluster;
  private final List<String> batches;
  private final int[][] controlEvents;
  private final List<Fallback> fallbacks;

  ClusteredQuantileNormModel(
      QuantileNormParams params,
      ClusterNormParams clustering,
      SomModel som,
      int[] nodeToCluster,
      List<QuantileNormModel> byCluster,
      List<String> batches,
      int[][] controlEvents,
      List<Fallback> fallbacks) {
    this.params = params;
    this.clustering = clustering;
    this.som = som;
    this.nodeToCluster = nodeToCluster.clone();
    this.byCluster = List.copyOf(byCluster);
    this.batches = List.copyOf(batches);
    this.controlEvents = new int[controlEvents.length][];
    for (int b = 0; b < controlEvents.length; b++) {
      this.controlEvents[b] = controlEvents[b].clone();
    }
    this.fallbacks = List.copyOf(fallbacks);
  }

  public QuantileNormParams params() {
    return params;
  }

  public ClusterNormParams clustering() {
    return clustering;
  }

  /** The SOM trained on the pooled controls (immutable). */
  public SomModel som() {
    return som;
  }

  /** The cluster (0-based) of every SOM node (a copy). */
  public int[] nodeToCluster() {
    return nodeToCluster.clone();
  }

  /** The number of clusters. */
  public int clusters() {
    return byCluster.size();
  }

  /** The trained batches, in the order they were given. */
  public List<String> batches() {
    return batches;
  }

  /** The quantile model of a cluster (0-based): its batches' quantiles, goal and splines. */
  public QuantileNormModel cluster(int cluster) {
    if (cluster < 0 || cluster >= byCluster.size()) {
      throw new IllegalArgumentException(
          "Cannot look up cluster " + cluster + ": clusters are 0.." + (byCluster.size() - 1));
    }
    return byCluster.get(cluster);
  }

  /** The control events of a batch in a cluster (0-based). */
  public int controlEvents(String batch, int cluster) {
    cluster(cluster);
    return controlEvents[requireBatch(batch, "batch")][cluster];
  }

  /** What was left unfitted, in order of cluster then batch. */
  public List<Fallback> fallbacks() {
    return fallbacks;
  }

  /** One line per fallback, for stderr ({@link Fallback#message}). */
  public List<String> warnings() {
    List<String> out = new ArrayList<>();
    for (Fallback f : fallbacks) {
      out.add(f.message(clusters()));
    }
    return out;
  }

  /** One line for provenance: the quantile and the clustering parameters. */
  public String describe() {
    return params.describe() + " " + clustering.describe();
  }

  /**
   * The cluster (0-based) of every event of {@code events}: the cluster of its nearest SOM node on
   * the transformed listed channels.
   *
   * @throws IllegalArgumentException when the file lacks a listed channel
   */
  public int[] assign(Events events) {
    QuantileNormModel.requireChannels(params.channels(), events, null);
    double[] m =
        ClusteredQuantileNormaliser.transformedMatrix(
            List.of(events), params.channels(), params.transform());
    return ClusteredQuantileNormaliser.clustersOf(som, nodeToCluster, m, events.events());
  }

  /**
   * The events of a file of {@code batch}, normalised: a new {@link Events} with the same
   * channels; the input is not changed.
   *
   * @throws IllegalArgumentException when the batch was not trained or the file lacks a channel
   */
  public Events apply(String batch, Events events) {
    requireBatch(batch, "file '" + events.name() + "' of batch");
    QuantileNormModel.requireChannels(params.channels(), events, batch);
    int[] cluster = assign(events);
    List<String> channels = params.channels();
    MonotoneSpline[][] s = new MonotoneSpline[clusters()][channels.size()];
    for (int cl = 0; cl < s.length; cl++) {
      for (int c = 0; c < channels.size(); c++) {
        s[cl][c] = byCluster.get(cl).spline(batch, channels.get(c));
      }
    }
    Transform t = params.transform();
    double[] v = Arrays.copyOf(events.values(), events.values().length);
    int p = events.channels().size();
    for (int c = 0; c < channels.size(); c++) {
      int col = events.indexOf(channels.get(c));
      for (int i = 0; i < cluster.length; i++) {
        MonotoneSpline spline = s[cluster[i]][c];
        if (!spline.isIdentity()) {
          int at = i * p + col;
          v[at] = t.inverse(spline.value(t.apply(v[at])));
        }
      }
    }
    return new Events(events.name(), events.channels(), v);
  }

  private int requireBatch(String batch, String what) {
    int b = batches.indexOf(batch);
    if (b < 0) {
      throw QuantileNormModel.untrained(what, batch, batches);
    }
    return b;
  }
}
