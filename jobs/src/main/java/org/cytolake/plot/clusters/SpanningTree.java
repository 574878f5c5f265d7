package org.cytolake.plot.clusters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The minimal spanning tree of a SOM's nodes on the Euclidean distances of their code vectors, as
 * FlowSOM draws it ({@code BuildMST}): {@code n - 1} edges joining all {@code n} nodes with the least
 * total length. Prim's algorithm on the complete graph, O(n²) time and O(n) memory (a SOM has at
 * most a few hundred nodes); ties go to the lower node index, so the tree of a codebook is one tree.
 *
 * @param nodes how many nodes the tree spans
 * @param edges {@code nodes - 1} edges, in the order Prim's algorithm added them
 */
public record SpanningTree(int nodes, List<Edge> edges) {

  /** An edge between nodes {@code a < b} of Euclidean length {@code length}. */
  public record Edge(int a, int b, double length) {}

  public SpanningTree {
    edges = List.copyOf(edges);
    if (nodes < 1 || edges.size() != nodes - 1) {
      throw new IllegalArgumentException(
          "Cannot build a spanning tree of "
              + nodes
              + " nodes with "
              + edges.size()
              + " edges: a tree of n >= 1 nodes has n - 1");
    }
  }

  /**
   * The minimal spanning tree of {@code codes} (one row per node, every row of the same length).
   *
   * @throws IllegalArgumentException when there is no node, rows differ in length or a value is
   *     not finite (naming the node, the column and the value)
   */
  public static SpanningTree minimal(double[][] codes) {
    Objects.requireNonNull(codes, "codes");
    int n = codes.length;
    if (n == 0) {
      throw new IllegalArgumentException("Cannot build a spanning tree: the codebook has no node");
    }
    int d = codes[0].length;
    for (int i = 0; i < n; i++) {
      if (codes[i].length != d) {
        throw new IllegalArgumentException(
            "Cannot build a spanning tree: node "
                + i
                + " has "
                + codes[i].length
                + " values, node 0 has "
                + d);
      }
      for (int c = 0; c < d; c++) {
        if (!Double.isFinite(codes[i][c])) {
          throw new IllegalArgumentException(
              "Cannot build a spanning tree: node "
                  + i
                  + " has value "
                  + codes[i][c]
                  + " in column "
                  + c);
        }
      }
    }
    boolean[] in = new boolean[n];
    double[] best = new double[n];
    int[] from = new int[n];
    Arrays.fill(best, Double.POSITIVE_INFINITY);
    List<Edge> edges = new ArrayList<>(n - 1);
    int current = 0;
    in[0] = true;
    for (int added = 1; added < n; added++) {
      int next = -1;
      for (int j = 0; j < n; j++) {
        if (in[j]) {
          continue;
        }
        double dist = distance(codes[current], codes[j]);
        if (dist < best[j]) {
          best[j] = dist;
          from[j] = current;
        }
        if (next < 0 || best[j] < best[next]) {
          next = j;
        }
      }
      in[next] = true;
      edges.add(new Edge(Math.min(next, from[next]), Math.max(next, from[next]), best[next]));
      current = next;
    }
    return new SpanningTree(n, edges);
  }

  /** The sum of the edges' lengths. */
  public double totalLength() {
    return edges.stream().mapToDouble(Edge::length).sum();
  }

  /** The number of edges on the path between every two nodes (a symmetric matrix). */
  public int[][] hops() {
    List<List<Integer>> adjacent = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      adjacent.add(new ArrayList<>());
    }
    for (Edge e : edges) {
      adjacent.get(e.a()).add(e.b());
      adjacent.get(e.b()).add(e.a());
    }
    int[][] hops = new int[nodes][];
    int[] queue = new int[nodes];
    for (int s = 0; s < nodes; s++) {
      int[] h = new int[nodes];
      Arrays.fill(h, -1);
      h[s] = 0;
      int head = 0;
      int tail = 0;
      queue[tail++] = s;
      while (head < tail) {
        int u = queue[head++];
        for (int v : adjacent.get(u)) {
          if (h[v] < 0) {
            h[v] = h[u] + 1;
            queue[tail++] = v;
          }
        }
      }
      hops[s] = h;
    }
    return hops;
  }

  static double distance(double[] x, double[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double t = x[i] - y[i];
      s += t * t;
    }
    return Math.sqrt(s);
  }
}
