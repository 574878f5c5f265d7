package org.cytolake.plot.clusters;

import java.util.Map;
import java.util.TreeMap;

/**
 * FlowSOM's tree: the minimal spanning tree of the SOM's nodes (their code vectors over the lineage
 * markers), laid out in 2D, each node sized by its events and coloured by its metacluster.
 *
 * @param metaclusterOfNode the metacluster of each node
 * @param events the events mapped to each node
 * @param labels metacluster → phenotype label
 */
public record ClusterTree(
    SpanningTree tree,
    TreeLayout layout,
    int[] metaclusterOfNode,
    long[] events,
    Map<Integer, String> labels) {

  public ClusterTree {
    metaclusterOfNode = metaclusterOfNode.clone();
    events = events.clone();
    labels = Map.copyOf(labels);
    if (metaclusterOfNode.length != tree.nodes() || events.length != tree.nodes()) {
      throw new IllegalArgumentException(
          "Cannot draw the tree of "
              + tree.nodes()
              + " nodes with "
              + metaclusterOfNode.length
              + " metaclusters and "
              + events.length
              + " event counts");
    }
  }

  /**
   * The tree of a codebook: its minimal spanning tree, laid out from {@code seed}.
   *
   * @param codes one code vector per node
   */
  public static ClusterTree of(
      double[][] codes,
      int[] metaclusterOfNode,
      long[] events,
      Map<Integer, String> labels,
      long seed) {
    SpanningTree t = SpanningTree.minimal(codes);
    return new ClusterTree(t, TreeLayout.of(t, seed), metaclusterOfNode, events, labels);
  }

  /** Every metacluster of a node, with its label ("" when it has none), by number. */
  public Map<Integer, String> metaclusters() {
    Map<Integer, String> m = new TreeMap<>();
    for (int k : metaclusterOfNode) {
      m.put(k, labels.getOrDefault(k, ""));
    }
    return m;
  }
}
