package org.cytolake.scoring;

import java.util.Arrays;

/**
 * The Hungarian (Kuhn-Munkres) algorithm for the rectangular assignment problem (Kuhn 1955; Munkres 1957), in the
 * O(n² m) shortest-augmenting-path form with row and column potentials. Every row is matched to a distinct column
 * when there are at least as many columns as rows, and vice versa.
 */
public final class Hungarian {
  private Hungarian() {}

  /**
   * An assignment of rows to distinct columns maximising the total weight.
   *
   * @param weights rows × columns, rectangular, finite
   * @return the column of every row, or −1 for rows left unmatched (only when there are more rows than columns)
   */
  public static int[] maximize(double[][] weights) {
    int rows = weights.length;
    int cols = rows == 0 ? 0 : weights[0].length;
    double[][] cost = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      if (weights[i].length != cols) {
        throw new IllegalArgumentException(
            "Cannot match: row "
                + i
                + " has "
                + weights[i].length
                + " weights but row 0 has "
                + cols);
      }
      for (int j = 0; j < cols; j++) {
        if (!Double.isFinite(weights[i][j])) {
          throw new IllegalArgumentException(
              "Cannot match: weight at row " + i + ", column " + j + " is " + weights[i][j]);
        }
        cost[i][j] = -weights[i][j];
      }
    }
    return minimize(cost);
  }

  /**
   * An assignment of rows to distinct columns minimising the total cost.
   *
   * @param cost rows × columns, rectangular, finite
   * @return the column of every row, or −1 for rows left unmatched (only when there are more rows than columns)
   */
  public static int[] minimize(double[][] cost) {
    int rows = cost.length;
    int cols = rows == 0 ? 0 : cost[0].length;
    if (rows == 0 || cols == 0) {
      int[] none = new int[rows];
      Arrays.fill(none, -1);
      return none;
    }
    if (rows <= cols) {
      return solve(cost, rows, cols);
    }
    double[][] t = new double[cols][rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j][i] = cost[i][j];
      }
    }
    int[] colToRow = solve(t, cols, rows);
    int[] out = new int[rows];
    Arrays.fill(out, -1);
    for (int j = 0; j < cols; j++) {
      out[colToRow[j]] = j;
    }
    return out;
  }

  /** Rows ≤ cols. Potentials u (rows), v (cols); 1-based internally with column 0 as the virtual start. */
  private static int[] solve(double[][] a, int n, int m) {
    double[] u = new double[n + 1];
    double[] v = new double[m + 1];
    int[] p = new int[m + 1];
    int[] way = new int[m + 1];
    for (int i = 1; i <= n; i++) {
      p[0] = i;
      int j0 = 0;
      double[] minv = new double[m + 1];
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      boolean[] used = new boolean[m + 1];
      do {
        used[j0] = true;
        int i0 = p[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = 0;
        for (int j = 1; j <= m; j++) {
          if (!used[j]) {
            double cur = a[i0 - 1][j - 1] - u[i0] - v[j];
            if (cur < minv[j]) {
              minv[j] = cur;
              way[j] = j0;
            }
            if (minv[j] < delta) {
              delta = minv[j];
              j1 = j;
            }
          }
        }
        for (int j = 0; j <= m; j++) {
          if (used[j]) {
            u[p[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (p[j0] != 0);
      do {
        int j1 = way[j0];
        p[j0] = p[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    int[] out = new int[n];
    Arrays.fill(out, -1);
    for (int j = 1; j <= m; j++) {
      if (p[j] != 0) {
        out[p[j] - 1] = j - 1;
      }
    }
    return out;
  }
}
