package org.cytolake.fcs;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A spillover matrix as stored in {@code $SPILLOVER} (FCS 3.1), or the pre-3.1 {@code SPILL} /
 * {@code $SPILL} keywords, or {@code SPILLOVER} (no {@code $}; one of the names flowCore looks
 * up): {@code n,name1,...,namen,m11,m12,...,mnn}, row i column j = the fraction
 * of the signal of the dye measured in detector i that is seen in detector j. The matrix may name a
 * subset of the file's channels.
 *
 * @param keyword the keyword it came from
 * @param channels detector names ({@code $PnN}) in matrix order
 * @param matrix n×n values, row-major; defensively copied
 */
public record Spillover(String keyword, List<String> channels, double[][] matrix) {

  /** Keywords that may hold a spillover matrix, in order of preference. */
  public static final List<String> KEYWORDS = List.of("$SPILLOVER", "SPILL", "$SPILL", "SPILLOVER");

  public Spillover {
    Objects.requireNonNull(keyword, "keyword");
    channels = List.copyOf(channels);
    int n = channels.size();
    if (matrix.length != n) {
      throw new IllegalArgumentException(
          "Cannot create spillover: " + n + " channels but " + matrix.length + " matrix rows");
    }
    double[][] copy = new double[n][];
    for (int i = 0; i < n; i++) {
      if (matrix[i].length != n) {
        throw new IllegalArgumentException(
            "Cannot create spillover: row "
                + i
                + " has "
                + matrix[i].length
                + " values, expected "
                + n);
      }
      copy[i] = matrix[i].clone();
    }
    matrix = copy;
  }

  /** A copy of the matrix. */
  @Override
  public double[][] matrix() {
    double[][] copy = new double[matrix.length][];
    for (int i = 0; i < matrix.length; i++) {
      copy[i] = matrix[i].clone();
    }
    return copy;
  }

  /** One value without copying. */
  public double value(int row, int col) {
    return matrix[row][col];
  }

  /**
   * Parses the value of a spillover keyword.
   *
   * @throws IllegalArgumentException with a message naming the keyword and the bad token
   */
  public static Spillover parse(String keyword, String value) {
    String[] t = value.split(",", -1);
    int n;
    try {
      n = Integer.parseInt(t[0].trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          keyword
              + " must start with the channel count, not '"
              + FcsHeader.printable(t[0].trim())
              + "'");
    }
    if (n < 1 || n > 10_000) {
      throw new IllegalArgumentException(keyword + " channel count " + n + " is out of range");
    }
    long expected = 1L + n + (long) n * n;
    if (t.length != expected) {
      throw new IllegalArgumentException(
          keyword
              + " declares "
              + n
              + " channels so needs "
              + expected
              + " comma-separated fields, but has "
              + t.length);
    }
    List<String> names = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      names.add(t[1 + i].trim());
    }
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        String s = t[1 + n + i * n + j].trim();
        try {
          m[i][j] = Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              cell(keyword, i, j) + " is not a number: '" + FcsHeader.printable(s) + "'");
        }
        if (!Double.isFinite(m[i][j])) {
          throw new IllegalArgumentException(cell(keyword, i, j) + " is not finite: " + s);
        }
      }
    }
    return new Spillover(keyword, names, m);
  }

  /** The keyword value that {@link #parse} reads back. */
  public String format() {
    StringBuilder sb = new StringBuilder().append(channels.size());
    for (String c : channels) {
      sb.append(',').append(c);
    }
    for (double[] row : matrix) {
      for (double v : row) {
        sb.append(',').append(formatNumber(v));
      }
    }
    return sb.toString();
  }

  private static String formatNumber(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Spillover s
        && keyword.equals(s.keyword)
        && channels.equals(s.channels)
        && java.util.Arrays.deepEquals(matrix, s.matrix);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyword, channels, java.util.Arrays.deepHashCode(matrix));
  }

  @Override
  public String toString() {
    return "Spillover[" + keyword + ", " + channels + "]";
  }

  /** "KEYWORD value at row i+1, column j+1": a matrix cell as messages name it (1-based). */
  private static String cell(String keyword, int i, int j) {
    return keyword + " value at row " + (i + 1) + ", column " + (j + 1);
  }
}
