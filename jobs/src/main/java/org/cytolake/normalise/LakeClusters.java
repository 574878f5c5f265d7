package org.cytolake.normalise;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.cytolake.som.Metaclustering;
import org.cytolake.som.SomModel;
import org.cytolake.som.SomTrainer;

/**
 * The clustering of a clustered lake normalisation model (CytoNorm's per-cluster models, {@code
 * clusters: N} in {@code conf/normalisation.yaml}): a self-organising map trained once per model
 * version on the training controls' stored values of the normalised columns, and the cluster of
 * each of its nodes (consensus metaclustering, as {@link ClusteredQuantileNormaliser}). Every
 * event, control or sample, goes to the cluster of its nearest node on its unnormalised values, so
 * a batch whose controls arrive later is clustered by the same map. Immutable; serializable so
 * that Spark tasks can assign events.
 *
 * @param params the clustering parameters
 * @param som the map, on the model's columns in order
 * @param nodeToCluster the cluster (0-based) of each node
 */
public record LakeClusters(ClusterNormParams params, SomModel som, int[] nodeToCluster)
    implements Serializable {

  public LakeClusters {
    nodeToCluster = nodeToCluster.clone();
    if (nodeToCluster.length != som.nodes()) {
      throw new IllegalArgumentException(
          "Cannot use a normalisation SOM of "
              + som.nodes()
              + " nodes with clusters for "
              + nodeToCluster.length
              + " nodes");
    }
    for (int c : nodeToCluster) {
      if (c < 0 || c >= params.clusters()) {
        throw new IllegalArgumentException(
            "Cannot use a normalisation SOM: node cluster "
                + c
                + " is not in 0.."
                + (params.clusters() - 1));
      }
    }
  }

  /** The number of clusters. */
  public int clusters() {
    return params.clusters();
  }

  @Override
  public int[] nodeToCluster() {
    return nodeToCluster.clone();
  }

  /** The cluster (0-based) of the event at {@code offset} of a row-major matrix of the columns. */
  public int clusterOf(double[] rows, int offset) {
    return nodeToCluster[som.bmu(rows, offset)];
  }

  /**
   * Trains the map on the training controls' events ({@code n} rows of {@code dims} values,
   * row-major) and metaclusters its nodes, seeded by the map's seed.
   *
   * @throws IllegalArgumentException when the map cannot be trained (e.g. fewer distinct events
   *     than nodes), naming the count
   */
  public static LakeClusters train(ClusterNormParams params, int dims, double[] events) {
    int n = events.length / dims;
    SomModel som;
    try {
      som = SomTrainer.fit(params.som(), dims, List.of(events));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Cannot train the normalisation SOM on " + n + " control events: " + e.getMessage(), e);
    }
    int[] nodeToCluster =
        Metaclustering.defaults()
            .withK(params.clusters())
            .withSeed(params.som().seed())
            .fit(som)
            .nodeToMetacluster();
    return new LakeClusters(params, som, nodeToCluster);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LakeClusters l
        && params.equals(l.params)
        && som.equals(l.som)
        && Arrays.equals(nodeToCluster, l.nodeToCluster);
  }

  @Override
  public int hashCode() {
    return 31 * som.hashCode() + Arrays.hashCode(nodeToCluster);
  }
}
