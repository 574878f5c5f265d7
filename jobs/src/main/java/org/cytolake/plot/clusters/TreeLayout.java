package org.cytolake.plot.clusters;

import java.util.Random;

/**
 * A 2D layout of a {@link SpanningTree} in the spirit of Kamada-Kawai, the layout FlowSOM draws its
 * tree with: the distance between two nodes on the page approaches the number of edges between
 * them in the tree, which lays branches out straight and apart. It minimises the stress {@code
 * Σ_{i<j} (|x_i - x_j| - d_ij)² / d_ij²} ({@code d_ij} the hop count) by stress majorization
 * (Gansner, Koren and North 2004, the node-by-node update) from positions drawn with {@code seed}:
 * the same tree and seed give the same layout, bit for bit.
 *
 * @param x the layout's x of each node (edge length about 1)
 * @param y the layout's y of each node
 */
public record TreeLayout(double[] x, double[] y) {

  /** Sweeps over all nodes at most. */
  public static final int ITERATIONS_DEFAULT = 500;

  /** Stop when no node moved more than this in a sweep (in edge lengths). */
  public static final double TOLERANCE_DEFAULT = 1e-5;

  public TreeLayout {
    x = x.clone();
    y = y.clone();
  }

  /** The layout of {@code tree} from starting positions drawn with {@code seed}. */
  public static TreeLayout of(SpanningTree tree, long seed) {
    int n = tree.nodes();
    int[][] d = tree.hops();
    double[] x = new double[n];
    double[] y = new double[n];
    Random random = new Random(seed);
    double side = Math.sqrt(n);
    for (int i = 0; i < n; i++) {
      x[i] = random.nextDouble() * side;
      y[i] = random.nextDouble() * side;
    }
    for (int it = 0; it < ITERATIONS_DEFAULT && n > 1; it++) {
      double moved = 0;
      for (int i = 0; i < n; i++) {
        double sx = 0;
        double sy = 0;
        double sw = 0;
        for (int j = 0; j < n; j++) {
          if (j == i) {
            continue;
          }
          double dij = d[i][j];
          double w = 1 / (dij * dij);
          double dx = x[i] - x[j];
          double dy = y[i] - y[j];
          double len = Math.sqrt(dx * dx + dy * dy);
          if (len < 1e-12) {
            // coincident nodes: push apart along a direction fixed by the indexes
            dx = Math.cos(i - j);
            dy = Math.sin(i - j);
            len = 1;
          }
          sx += w * (x[j] + dij * dx / len);
          sy += w * (y[j] + dij * dy / len);
          sw += w;
        }
        double nx = sx / sw;
        double ny = sy / sw;
        moved = Math.max(moved, Math.hypot(nx - x[i], ny - y[i]));
        x[i] = nx;
        y[i] = ny;
      }
      if (moved < TOLERANCE_DEFAULT) {
        break;
      }
    }
    return new TreeLayout(x, y);
  }

  /** The layout's stress: {@code Σ_{i<j} (|x_i - x_j| - d_ij)² / d_ij²}, 0 for a perfect one. */
  public double stress(SpanningTree tree) {
    int[][] d = tree.hops();
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = i + 1; j < x.length; j++) {
        double e = Math.hypot(x[i] - x[j], y[i] - y[j]) - d[i][j];
        s += e * e / ((double) d[i][j] * d[i][j]);
      }
    }
    return s;
  }
}
