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
      throw new IllegalArgumentException(
          "Cannot create SOM model: dims must be >= 1 but is " + dims);
    }
    if (codebook.length != params.nodes() * dims) {
      throw new IllegalArgumentException(
          "Cannot create SOM model: codebook has "
              + codebook.length
              + " values but "
              + params.nodes()
              + " nodes × "
              + dims
              + " dims need "
              + params.nodes() * dims);
    }
    for (int i = 0; i < codebook.length; i++) {
      if (!Double.isFinite(codebook[i])) {
        throw new IllegalArgumentException(
            "Cannot create SOM model: codebook value of node "
                + i / dims
                + ", dimension "
                + i % dims
                + " is "
                + codebook[i]);
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
      throw new IllegalArgumentException(
          "Cannot map event: it has "
              + event.length
              + " values but the SOM has "
              + dims
              + " dimensions");
    }
    return bmu(event, 0);
  }

  /** Best-matching unit of the event {@code row[offset .. offset + dims)}; the lowest index on ties. */
  public int bmu(double[] row, int offset) {
    return bmu(codebook, dims, row, offset);
  }

  /**
   * The one best-matching-unit rule of every assignment (training, mapping): the node of {@code codebook}
   * (nodes × dims, row-major) nearest to the event {@code row[offset .. offset + dims)} by squared Euclidean
   * distance, summed over dimensions in order; the lowest index on ties.
   */
  public static int bmu(double[] codebook, int dims, double[] row, int offset) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    int nodes = codebook.length / dims;
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
   * The squared Euclidean distance of the event {@code row[offset .. offset + dims)} to node {@code node} of
   * {@code codebook}, summed over dimensions in order as {@link #bmu(double[], int, double[], int)} sums it.
   */
  public static double squaredDistance(
      double[] codebook, int dims, int node, double[] row, int offset) {
    double s = 0;
    for (int d = 0, base = node * dims; d < dims; d++) {
      double diff = row[offset + d] - codebook[base + d];
      s += diff * diff;
    }
    return s;
  }

  /** Events per chunk of the blocked best-matching-unit search of {@link #mapInto}. */
  public static final int CHUNK = 256;

  /**
   * Maps {@code nEvents} events stored row-major in {@code events} to their best-matching nodes.
   *
   * @return node id per event
   */
  public int[] map(double[] events, int nEvents) {
    checkBlock(events, nEvents, dims);
    int[] out = new int[nEvents];
    mapInto(events, nEvents, out);
    return out;
  }

  /**
   * Writes the best-matching node of each of {@code nEvents} row-major events into {@code out[0 .. nEvents)}: for
   * every event exactly what {@link #bmu(double[], int)} returns (same sums in the same order, lowest index on
   * ties), computed {@value #CHUNK} events at a time: the chunk is transposed to one array per dimension, then
   * {@link SomKernel} searches groups of events in vector registers when the Vector API runs here
   * ({@link org.cytolake.simd.VectorApi}; 3-4× the scalar search, BENCHMARKS.md), else per node the squared
   * distances of all the chunk's events are summed in plain loops over arrays, which the JIT compiles to SIMD
   * instructions (about 1.5× faster than event-at-a-time search with early stopping).
   */
  public void mapInto(double[] events, int nEvents, int[] out) {
    mapInto(codebook, dims, events, nEvents, out);
  }

  /**
   * {@link #mapInto(double[], int, int[])} on a flat codebook (nodes × dims, row-major): what a map
   * function that ships only the codebook calls.
   */
  public static void mapInto(double[] codebook, int dims, double[] events, int nEvents, int[] out) {
    mapInto(codebook, dims, events, nEvents, out, org.cytolake.simd.VectorApi.ENABLED);
  }

  /** {@link #mapInto(double[], int, double[], int, int[])} with the kernel chosen (tests compare both). */
  static void mapInto(
      double[] codebook, int dims, double[] events, int nEvents, int[] out, boolean vector) {
    checkBlock(events, nEvents, dims);
    if (out.length < nEvents) {
      throw new IllegalArgumentException(
          "Cannot map event block: " + nEvents + " events but room for " + out.length + " nodes");
    }
    int nodes = codebook.length / dims;
    int stride = Math.min(CHUNK, nEvents);
    double[] cols = new double[dims * stride];
    double[] dist = new double[stride];
    double[] best = new double[stride];
    double[] scratch = vector ? new double[SomKernel.LANES] : null;
    for (int start = 0; start < nEvents; start += CHUNK) {
      int n = Math.min(CHUNK, nEvents - start);
      for (int e = 0; e < n; e++) {
        int o = (start + e) * dims;
        for (int d = 0; d < dims; d++) {
          cols[d * stride + e] = events[o + d];
        }
      }
      int from = 0;
      if (vector) {
        int group = SomKernel.GROUP;
        for (; from + group <= n; from += group) {
          SomKernel.bestOfGroup(
              codebook, dims, nodes, cols, stride, from, out, start + from, scratch);
        }
      }
      if (from < n) {
        scalarChunk(codebook, dims, nodes, cols, stride, from, n, dist, best, out, start);
      }
    }
  }

  /** The scalar search of events {@code from .. n} of a transposed chunk whose first event is {@code start}. */
  private static void scalarChunk(
      double[] codebook,
      int dims,
      int nodes,
      double[] cols,
      int stride,
      int from,
      int n,
      double[] dist,
      double[] best,
      int[] out,
      int start) {
    Arrays.fill(best, from, n, Double.POSITIVE_INFINITY);
    Arrays.fill(out, start + from, start + n, 0);
    for (int j = 0, base = 0; j < nodes; j++, base += dims) {
      double c0 = codebook[base];
      for (int e = from; e < n; e++) {
        double diff = cols[e] - c0;
        dist[e] = diff * diff;
      }
      for (int d = 1; d < dims; d++) {
        double c = codebook[base + d];
        int o = d * stride;
        for (int e = from; e < n; e++) {
          double diff = cols[o + e] - c;
          dist[e] += diff * diff;
        }
      }
      for (int e = from; e < n; e++) {
        if (dist[e] < best[e]) {
          best[e] = dist[e];
          out[start + e] = j;
        }
      }
    }
  }

  /** The model with another codebook (same parameters and dims). */
  SomModel withCodebook(double[] newCodebook) {
    return new SomModel(params, dims, newCodebook);
  }

  static void checkBlock(double[] events, int nEvents, int dims) {
    if (nEvents < 0 || (long) nEvents * dims > events.length) {
      throw new IllegalArgumentException(
          "Cannot read event block: "
              + nEvents
              + " events of "
              + dims
              + " dims need "
              + (long) nEvents * dims
              + " values but the array has "
              + events.length);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SomModel m
        && m.params.equals(params)
        && m.dims == dims
        && Arrays.equals(m.codebook, codebook);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(codebook);
  }

  @Override
  public String toString() {
    return "SomModel["
        + params.xdim()
        + "×"
        + params.ydim()
        + " nodes, "
        + dims
        + " dims, seed "
        + params.seed()
        + "]";
  }
}
