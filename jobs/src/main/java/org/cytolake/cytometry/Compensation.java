package org.cytolake.cytometry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.LUDecomposition;

/**
 * A fluorescence compensation: removes the spillover of each dye into the other detectors.
 *
 * <p>The spillover matrix S has one row and one column per channel, in the order of {@link #channels()}, laid out
 * as the {@code $SPILLOVER} keyword of FCS 3.1 (Spidlen et al. 2010, Cytometry A 77:97): S[i][j] is the fraction
 * of dye i's signal (measured in detector i) that detector j also receives, so the diagonal is normally 1.
 * Treating an event as a row vector of its values on these channels, observed = true × S, hence
 * compensated = observed × S⁻¹ (the convention of flowCore and FlowKit). Other channels are left unchanged.
 *
 * <p>S⁻¹ is computed once, by LU decomposition, when the compensation is created. Immutable and thread-safe;
 * {@link #bind(List)} resolves the channels against a file's channel list for fast in-place application.
 */
public final class Compensation {

  private final List<String> channels;
  private final double[][] spillover;
  private final double[][] spilloverInverse;

  private Compensation(List<String> channels, double[][] spillover, double[][] spilloverInverse) {
    this.channels = channels;
    this.spillover = spillover;
    this.spilloverInverse = spilloverInverse;
  }

  /**
   * Creates a compensation from channel (detector) names and their square spillover matrix, copying both.
   *
   * @throws IllegalArgumentException listing every problem: no channels, a blank or repeated name, a matrix that
   *     is not n × n for n channels, a value that is not finite, or a singular matrix
   */
  public static Compensation of(List<String> channels, double[][] spillover) {
    Objects.requireNonNull(channels, "channels");
    Objects.requireNonNull(spillover, "spillover");
    List<String> names = List.copyOf(channels);
    List<String> problems = new ArrayList<>();
    int n = names.size();
    if (n == 0) {
      problems.add("no channels given");
    }
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (name.isBlank()) {
        problems.add("a channel name is blank");
      } else if (!seen.add(name)) {
        problems.add("channel '" + name + "' is given more than once");
      }
    }
    if (spillover.length != n) {
      problems.add(
          "spillover matrix has " + spillover.length + " rows but there are " + n + " channels");
    }
    double[][] matrix = new double[spillover.length][];
    for (int i = 0; i < spillover.length; i++) {
      double[] row = Objects.requireNonNull(spillover[i], "spillover row");
      matrix[i] = row.clone();
      if (row.length != n) {
        problems.add(
            "spillover row "
                + (i + 1)
                + " has "
                + row.length
                + " values but there are "
                + n
                + " channels");
      }
      for (int j = 0; j < row.length; j++) {
        if (!Double.isFinite(row[j])) {
          problems.add(
              "spillover value at row " + (i + 1) + ", column " + (j + 1) + " is " + row[j]);
        }
      }
    }
    if (problems.isEmpty()) {
      DecompositionSolver solver =
          new LUDecomposition(new Array2DRowRealMatrix(matrix, false)).getSolver();
      if (solver.isNonSingular()) {
        return new Compensation(names, matrix, solver.getInverse().getData());
      }
      problems.add(
          "the spillover matrix is singular, so it cannot be inverted: "
              + Arrays.deepToString(matrix));
    }
    throw new IllegalArgumentException(
        "Cannot create compensation for channels " + names + ": " + String.join("; ", problems));
  }

  /** The channel names, in the order of the matrix rows and columns. */
  public List<String> channels() {
    return channels;
  }

  /** A copy of the spillover matrix. */
  public double[][] spillover() {
    return deepCopy(spillover);
  }

  /**
   * The compensation that undoes this one (decompensation): its spillover matrix is this one's inverse, so applying
   * it multiplies by this one's spillover matrix. No matrix is inverted again, so a round trip loses only the
   * rounding of the two products.
   */
  public Compensation inverse() {
    return new Compensation(channels, spilloverInverse, spillover);
  }

  /**
   * Resolves this compensation's channels to their positions in a file's channel list (FCS {@code $PnN} names,
   * matched exactly), for {@link BoundCompensation#compensate(float[], int, int)}.
   *
   * @param fileChannels every channel of the file, in event order
   * @throws IllegalArgumentException naming every spillover channel the file lacks or has more than once
   */
  public BoundCompensation bind(List<String> fileChannels) {
    List<String> file = List.copyOf(fileChannels);
    int n = channels.size();
    int[] indices = new int[n];
    List<String> missing = new ArrayList<>();
    List<String> repeated = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      String name = channels.get(k);
      indices[k] = file.indexOf(name);
      if (indices[k] < 0) {
        missing.add("'" + name + "'");
      } else if (file.lastIndexOf(name) != indices[k]) {
        repeated.add("'" + name + "'");
      }
    }
    List<String> problems = new ArrayList<>();
    if (!missing.isEmpty()) {
      problems.add(
          "spillover names "
              + (missing.size() == 1 ? "channel " : "channels ")
              + String.join(", ", missing)
              + " which the file does not have");
    }
    if (!repeated.isEmpty()) {
      problems.add(
          "the file has "
              + (repeated.size() == 1 ? "channel " : "channels ")
              + String.join(", ", repeated)
              + " more than once");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot compensate: "
              + String.join("; ", problems)
              + " (channels: "
              + String.join(", ", file)
              + ")");
    }
    double[] flat = new double[n * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(spilloverInverse[i], 0, flat, i * n, n);
    }
    return new BoundCompensation(file.size(), indices, flat);
  }

  @Override
  public String toString() {
    return "Compensation" + channels;
  }

  private static double[][] deepCopy(double[][] matrix) {
    double[][] copy = new double[matrix.length][];
    for (int i = 0; i < matrix.length; i++) {
      copy[i] = matrix[i].clone();
    }
    return copy;
  }
}
