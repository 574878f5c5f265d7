package org.cytolake.som;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A fitted (or partly fitted) self-organising map: the parameters it was trained with and its codebook, one row of
 * {@code dims} values per node, nodes in grid order ({@link SomGrid}). Immutable and thread-safe.
 */
public final class SomModel implements Serializable {
  private static final long serialVersionUID = 1L;

  private final SomParams params;
  private final int dims;
  private final double[] codebook;

  /**
   * @param codebook nodes × dims values, row-major; copied
   * @throws IllegalArgumentException if the codebook's length is not nodes × dims or a value is not finite
   */
  public SomModel(SomParams params, int dims, double[] codebook) {
    if (dims < 1) {
      throw new IllegalArgumentException("Cannot create SOM model: dims must be >= 1 but is " + dims);
    }
    if (codebook.length != params.nodes() * dims) {
      throw new IllegalArgumentException("Cannot create SOM model: codebook has " + codebook.length
          + " values but " + params.nodes() + " nodes × " + dims + " dims need " + params.nodes() * dims);
    }
    for (int i = 0; i < codebook.length; i++) {
      if (!Double.isFinite(codebook[i])) {
        throw new IllegalArgumentException("Cannot create SOM model: codebook value of node " + i / dims
            + ", dimension " + i % dims + " is " + codebook[i]);
      }
    }
    this.params = params;
    this.dims = dims;
    this.codebook = codebook.clone();
  }

  public SomParams params() {
    return params;
  }

  public int dims() {
    return dims;
  }

  public int nodes() {
    return params.nodes();
  }

  /** A copy of the codebook, nodes × dims row-major. */
  public double[] codebook() {
    return codebook.clone();
  }

  /** A copy of node {@code node}'s code vector. */
  public double[] code(int node) {
    return Arrays.copyOfRange(codebook, node * dims, (node + 1) * dims);
  }

  /** The codebook as one array per node (copies). */
  public double[][] codes() {
    double[][] out = new double[nodes()][];
    for (int j = 0; j < out.length; j++) {
      out[j] = code(j);
    }
    return out;
  }

  /** Best-matching unit of {@code event} (length dims): the nearest node, Euclidean; the lowest index on ties. */
  public int bmu(double[] event) {
    if (event.length != dims) {
      throw new IllegalArgumentException("Cannot map event: it has " + event.length + " values but the SOM has "
          + dims + " dimensions");
    }
    return bmu(event, 0);
  }

  /** Best-matching unit of the event {@code row[offset .. offset + dims)}; the lowest index on ties. */
  public int bmu(double[] row, int offset) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    int nodes = nodes();
    for (int j = 0, base = 0; j < nodes; j++, base += dims) {
      double s = 0;
      for (int d = 0; d < dims; d++) {
        double diff = row[offset + d] - codebook[base + d];
        s += diff * diff;
        if (s >= bestDistance) {
          break;
        }
      }
      if (s < bestDistance) {
        bestDistance = s;
        best = j;
      }
    }
    return best;
  }

  /**
   * Maps {@code nEvents} events stored row-major in {@code events} to their best-matching nodes.
   *
   * @return node id per event
   */
  public int[] map(double[] events, int nEvents) {
    checkBlock(events, nEvents, dims);
    int[] out = new int[nEvents];
    for (int e = 0; e < nEvents; e++) {
      out[e] = bmu(events, e * dims);
    }
    return out;
  }

  /** The model with another codebook (same parameters and dims). */
  SomModel withCodebook(double[] newCodebook) {
    return new SomModel(params, dims, newCodebook);
  }

  static void checkBlock(double[] events, int nEvents, int dims) {
    if (nEvents < 0 || (long) nEvents * dims > events.length) {
      throw new IllegalArgumentException("Cannot read event block: " + nEvents + " events of " + dims
          + " dims need " + (long) nEvents * dims + " values but the array has " + events.length);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SomModel m && m.params.equals(params) && m.dims == dims
        && Arrays.equals(m.codebook, codebook);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(codebook);
  }

  @Override
  public String toString() {
    return "SomModel[" + params.xdim() + "×" + params.ydim() + " nodes, " + dims + " dims, seed " + params.seed()
        + "]";
  }
}
