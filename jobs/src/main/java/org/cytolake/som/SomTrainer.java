package org.cytolake.som;

import java.util.Arrays;
import java.util.List;

/**
 * Trains a {@link SomModel} with a deterministic batch formulation of FlowSOM's self-organising map, written as
 * pure steps that a distributed engine can run per partition and reduce.
 *
 * <h2>What is implemented</h2>
 *
 * <ol>
 *   <li><b>Initialisation</b> ({@link #initialSample}, {@link #initialise}): the codebook starts as a seeded random
 *       sample of distinct events ({@link InitSample}), as FlowSOM starts from randomly chosen events.
 *   <li><b>Epoch e = 0 … rlen − 1</b>: every event is assigned its best-matching unit (BMU) b on the codebook of
 *       the previous epoch ({@link #epochSums}), giving per node b the count n_b and the sum S_b of its events
 *       ({@link EpochSums}, exact and associative). Then, on one machine ({@link #update}), with the radius r_e
 *       and learning rate α_e of the epoch (the linear schedules of {@link SomParams} taken at the epoch's middle)
 *       and FlowSOM's "bubble" neighbourhood h(b, j) = 1 if the Chebyshev grid distance d(b, j) ≤ r_e else 0:
 *       <pre>
 *   m_j    = Σ_b h(b, j) n_b                     events that would have updated node j
 *   mean_j = Σ_b h(b, j) S_b / m_j               the batch-SOM target (Kohonen's batch map)
 *   β_j    = 1 − (1 − α_e)^m_j
 *   c_j   ← c_j + β_j (mean_j − c_j)             (nodes with m_j = 0 keep their code)
 * </pre>
 * </ol>
 *
 * <h2>Why</h2>
 *
 * FlowSOM updates the codebook online: for every event x, every node j within the radius moves by
 * c_j ← c_j + α (x − c_j). After m such updates a node holds (1 − α)^m of its old code plus an exponentially
 * weighted mean of the events. Weighting the epoch's m_j events equally instead of exponentially gives exactly the
 * blend above: the old code keeps weight (1 − α)^m_j and the events share the rest. So for a node that sees many
 * events (the usual case, β ≈ 1) an epoch is a step of the batch SOM, and a node that sees few events moves only as
 * far as FlowSOM's online rule would move it. Unlike the online rule, the result does not depend on the order of
 * the events, so it can be computed in parallel; and because the reduced sums are exact ({@link EpochSums}) the
 * codebook is bitwise the same for any split of the events into blocks or partitions. When the radius falls below
 * 1 (the last epochs with the default schedule) only the BMU itself is updated and an epoch is a k-means (Lloyd)
 * step, as FlowSOM's radius falling to 0 ends with a k-means-like refinement.
 *
 * <p>Stateless; all methods are static and thread-safe.
 */
public final class SomTrainer {
  /** Events per block of {@link #split}: enough work per task, small enough for both cores. */
  public static final int BLOCK_EVENTS = 65_536;

  private SomTrainer() {}

  /**
   * Row-major {@code events} ({@code dims} values each) as consecutive blocks of at most {@code
   * blockEvents} events, the form {@link #fit} sums in parallel; a single block is the array itself.
   */
  public static List<double[]> split(double[] events, int dims, int blockEvents) {
    int n = events.length / dims;
    if (n <= blockEvents) {
      return List.of(events);
    }
    List<double[]> out = new java.util.ArrayList<>((n + blockEvents - 1) / blockEvents);
    for (int from = 0; from < n; from += blockEvents) {
      int to = Math.min(n, from + blockEvents);
      out.add(java.util.Arrays.copyOfRange(events, from * dims, to * dims));
    }
    return out;
  }

  /**
   * The best-matching node of every event of {@code blocks}, in order, the blocks mapped in parallel
   * (the common fork-join pool): {@link SomModel#map} of their concatenation.
   */
  public static int[] map(SomModel model, List<double[]> blocks) {
    int dims = model.dims();
    int[] starts = new int[blocks.size() + 1];
    for (int b = 0; b < blocks.size(); b++) {
      starts[b + 1] = starts[b] + blocks.get(b).length / dims;
    }
    int[] out = new int[starts[blocks.size()]];
    java.util.stream.IntStream.range(0, blocks.size())
        .parallel()
        .forEach(
            b -> {
              int[] nodes = model.map(blocks.get(b), starts[b + 1] - starts[b]);
              System.arraycopy(nodes, 0, out, starts[b], nodes.length);
            });
    return out;
  }

  /**
   * Fits a SOM on events held in memory as blocks (each row-major, {@code dims} values per event). The result
   * depends only on the parameters and the events, not on how they are split into blocks; the blocks of an epoch
   * are summed in parallel (the common fork-join pool), which the exact sums make bitwise the same as in order.
   *
   * @throws IllegalArgumentException if a block's length is not a multiple of dims, a value is not finite, or
   *     there are fewer distinct events than nodes
   */
  public static SomModel fit(SomParams params, int dims, List<double[]> blocks) {
    for (double[] block : blocks) {
      if (block.length % dims != 0) {
        throw new IllegalArgumentException(
            "Cannot fit SOM: a block has "
                + block.length
                + " values, which is not a multiple of "
                + dims
                + " dims");
      }
    }
    InitSample sample =
        blocks.parallelStream()
            .map(block -> initialSample(params, dims, block, block.length / dims))
            .reduce(InitSample::merge)
            .orElseGet(() -> new InitSample(params.nodes(), dims, params.seed()));
    SomModel model = initialise(params, dims, sample);
    for (int epoch = 0; epoch < params.rlen(); epoch++) {
      SomModel current = model;
      EpochSums sums =
          blocks.parallelStream()
              .map(block -> epochSums(current, block, block.length / dims))
              .reduce(EpochSums::merge)
              .orElseGet(() -> new EpochSums(params.nodes(), dims));
      model = update(model, sums, epoch);
    }
    return model;
  }

  /** The initial-sample contribution of one block of {@code nEvents} events. */
  public static InitSample initialSample(SomParams params, int dims, double[] events, int nEvents) {
    SomModel.checkBlock(events, nEvents, dims);
    InitSample sample = new InitSample(params.nodes(), dims, params.seed());
    for (int e = 0; e < nEvents; e++) {
      sample.add(events, e * dims);
    }
    return sample;
  }

  /**
   * The initial model from the merged sample of every block.
   *
   * @throws IllegalArgumentException if the sample holds fewer distinct events than the grid has nodes
   */
  public static SomModel initialise(SomParams params, int dims, InitSample sample) {
    if (sample.held() < params.nodes()) {
      throw new IllegalArgumentException(
          "Cannot initialise SOM: a "
              + params.xdim()
              + " × "
              + params.ydim()
              + " grid needs at least "
              + params.nodes()
              + " distinct events but the data have "
              + sample.held());
    }
    return new SomModel(params, dims, sample.values());
  }

  /**
   * The epoch sums of one block: a pure function of the current codebook and the events.
   *
   * @param events {@code nEvents × model.dims()} values, row-major
   */
  public static EpochSums epochSums(SomModel model, double[] events, int nEvents) {
    return addBlock(new EpochSums(model.nodes(), model.dims()), model, events, nEvents);
  }

  /** Adds a block of {@code nEvents} row-major events to {@code sums}, each to its best-matching node; returns sums. */
  public static EpochSums addBlock(EpochSums sums, SomModel model, double[] events, int nEvents) {
    int dims = model.dims();
    int[] nodes = model.map(events, nEvents);
    for (int e = 0, offset = 0; e < nEvents; e++, offset += dims) {
      sums.add(nodes[e], events, offset);
    }
    return sums;
  }

  /** Applies epoch {@code epoch}'s update (class comment) to {@code model} given the sums of all events. */
  public static SomModel update(SomModel model, EpochSums sums, int epoch) {
    SomParams params = model.params();
    int nodes = model.nodes();
    int dims = model.dims();
    if (sums.nodes() != nodes || sums.dims() != dims) {
      throw new IllegalArgumentException(
          "Cannot update SOM: sums are "
              + sums.nodes()
              + " nodes × "
              + sums.dims()
              + " dims but the model is "
              + nodes
              + " × "
              + dims);
    }
    double radius = params.radius(epoch);
    double alpha = params.alpha(epoch);
    SomGrid grid = params.grid();
    double[] old = model.codebook();
    double[] next = old.clone();
    double[] bmuSums = new double[nodes * dims];
    for (int b = 0; b < nodes; b++) {
      for (int d = 0; d < dims; d++) {
        bmuSums[b * dims + d] = sums.sum(b, d);
      }
    }
    double[] target = new double[dims];
    for (int j = 0; j < nodes; j++) {
      long m = 0;
      Arrays.fill(target, 0);
      for (int b = 0; b < nodes; b++) {
        long n = sums.count(b);
        if (n > 0 && grid.distance(b, j) <= radius) {
          m += n;
          for (int d = 0; d < dims; d++) {
            target[d] += bmuSums[b * dims + d];
          }
        }
      }
      if (m == 0) {
        continue;
      }
      double beta = -StrictMath.expm1(m * StrictMath.log1p(-alpha));
      for (int d = 0; d < dims; d++) {
        double c = old[j * dims + d];
        next[j * dims + d] = c + beta * (target[d] / m - c);
      }
    }
    return model.withCodebook(next);
  }
}
