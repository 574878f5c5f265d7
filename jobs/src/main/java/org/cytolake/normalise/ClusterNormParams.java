package org.cytolake.normalise;

import java.util.ArrayList;
import java.util.List;
import org.cytolake.som.Metaclustering;
import org.cytolake.som.SomParams;

/**
 * The clustering of a {@link ClusteredQuantileNormaliser}: CytoNorm's per-cluster models.
 *
 * @param clusters the number of metaclusters of the SOM nodes, each with its own quantile model; at
 *     least 1 (1 gives the unclustered model's output)
 * @param som the self-organising map trained on the pooled training controls ({@link
 *     SomParams#defaults()}: 10 × 10, seed 1, as {@code cluster-fcs}); its seed also seeds the
 *     consensus metaclustering
 * @param minEvents the fewest control events a batch must have in a cluster for that batch and
 *     cluster to be fitted ({@link #MIN_EVENTS_DEFAULT}); below it the batch's events in the
 *     cluster are left as they are (identity), with a warning
 */
public record ClusterNormParams(int clusters, SomParams som, int minEvents)
    implements java.io.Serializable {

  /**
   * Default {@link #minEvents}: 50. Our choice, not CytoNorm's; with 99 quantiles, fewer events than this would put
   * several quantiles between the same two events.
   */
  public static final int MIN_EVENTS_DEFAULT = 50;

  /** Validates every parameter and reports all problems at once. */
  public ClusterNormParams {
    List<String> problems = new ArrayList<>();
    if (clusters < 1) {
      problems.add("clusters must be at least 1, not " + clusters);
    }
    if (som == null) {
      problems.add("no SOM parameters");
    } else {
      // the consensus metaclustering clusters draws of ⌊pItem · nodes⌋ nodes
      int drawn = (int) Math.floor(Metaclustering.P_ITEM_DEFAULT * som.nodes());
      if (clusters > drawn) {
        problems.add(
            "clusters ("
                + clusters
                + ") must be at most "
                + drawn
                + ": the metaclustering draws "
                + Metaclustering.P_ITEM_DEFAULT
                + " of the SOM's "
                + som.xdim()
                + " × "
                + som.ydim()
                + " = "
                + som.nodes()
                + " nodes");
      }
    }
    if (minEvents < 1) {
      problems.add("minEvents must be at least 1, not " + minEvents);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot configure clustered quantile normalisation: " + String.join("; ", problems));
    }
  }

  /** {@code clusters} metaclusters of a default SOM, {@link #MIN_EVENTS_DEFAULT}. */
  public static ClusterNormParams of(int clusters) {
    return new ClusterNormParams(clusters, SomParams.defaults(), MIN_EVENTS_DEFAULT);
  }

  /** One line for provenance, e.g. {@code clusters=5 som=10x10 seed=1 min-events=50}. */
  public String describe() {
    return "clusters="
        + clusters
        + " som="
        + som.xdim()
        + "x"
        + som.ydim()
        + " seed="
        + som.seed()
        + " min-events="
        + minEvents;
  }
}
