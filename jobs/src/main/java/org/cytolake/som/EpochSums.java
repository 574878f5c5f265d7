package org.cytolake.som;

import java.io.Serializable;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * What one SOM epoch needs from the events: per node, the number of events whose best-matching unit (BMU) it is,
 * and the sum of those events. The neighbourhood is applied afterwards to these per-BMU sums (see
 * {@link SomTrainer#update}), so this is the only state that has to be reduced across machines: nodes × (dims + 1)
 * numbers whatever the number of events.
 *
 * <p>Sums are kept exactly, so the result does not depend on how events are split into blocks or in which order
 * blocks are merged: each value is rounded once to a fixed-point number with {@link #FRACTION_BITS} fraction bits
 * (a step of 2⁻³² ≈ 2.3·10⁻¹⁰) and added into a 128-bit two's-complement integer (two longs), so addition is
 * associative and commutative and merged sums are bitwise equal for every split. Values must be finite with
 * magnitude below 2³⁰; 2⁶⁴ events of that size could not overflow.
 *
 * <p>A mutable accumulator, as Spark's {@code treeAggregate} expects: {@link #add} and {@link #merge} change this
 * object and return it. Not thread-safe.
 */
public final class EpochSums implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Fraction bits of the fixed-point sums. */
  public static final int FRACTION_BITS = 32;

  /** Largest magnitude accepted for a value (exclusive). */
  public static final double MAX_ABS_VALUE = 0x1p30;

  private static final double SCALE = 0x1p32;

  private final int nodes;
  private final int dims;
  private final long[] counts;
  private final long[] hi;
  private final long[] lo;

  /** Empty sums for a codebook of {@code nodes} nodes in {@code dims} dimensions. */
  public EpochSums(int nodes, int dims) {
    if (nodes < 1 || dims < 1) {
      throw new IllegalArgumentException(
          "Cannot create epoch sums: nodes (" + nodes + ") and dims (" + dims + ") must be >= 1");
    }
    this.nodes = nodes;
    this.dims = dims;
    this.counts = new long[nodes];
    this.hi = new long[nodes * dims];
    this.lo = new long[nodes * dims];
  }

  public int nodes() {
    return nodes;
  }

  public int dims() {
    return dims;
  }

  /**
   * Adds one event (values {@code row[offset .. offset + dims)}) to node {@code node}'s sums.
   *
   * @throws IllegalArgumentException if a value is not finite or too large for the fixed-point sums
   */
  public EpochSums add(int node, double[] row, int offset) {
    counts[node]++;
    int base = node * dims;
    for (int d = 0; d < dims; d++) {
      double v = row[offset + d];
      if (!(Math.abs(v) < MAX_ABS_VALUE)) {
        throw new IllegalArgumentException(
            "Cannot add event to SOM sums: value "
                + v
                + " in dimension "
                + d
                + " is not finite or its magnitude is not below 2^30");
      }
      addFixed(base + d, Math.round(v * SCALE));
    }
    return this;
  }

  /** Adds {@code other}'s sums into this one; the result is the same for any merge order. */
  public EpochSums merge(EpochSums other) {
    if (other.nodes != nodes || other.dims != dims) {
      throw new IllegalArgumentException(
          "Cannot merge epoch sums of "
              + other.nodes
              + " nodes × "
              + other.dims
              + " dims into sums of "
              + nodes
              + " × "
              + dims);
    }
    for (int j = 0; j < nodes; j++) {
      counts[j] += other.counts[j];
    }
    for (int i = 0; i < lo.length; i++) {
      long a = lo[i];
      long s = a + other.lo[i];
      hi[i] += other.hi[i] + (Long.compareUnsigned(s, a) < 0 ? 1 : 0);
      lo[i] = s;
    }
    return this;
  }

  /** Events assigned to {@code node}. */
  public long count(int node) {
    return counts[node];
  }

  /** Total number of events added. */
  public long total() {
    long t = 0;
    for (long c : counts) {
      t += c;
    }
    return t;
  }

  /** The sum of dimension {@code dim} over the events of {@code node}: the exact fixed-point sum rounded once. */
  public double sum(int node, int dim) {
    int i = node * dims + dim;
    long l = lo[i];
    if (hi[i] == (l >> 63)) {
      return l / SCALE;
    }
    return new BigInteger(hi[i] + "")
            .shiftLeft(64)
            .add(new BigInteger(Long.toUnsignedString(l)))
            .doubleValue()
        / SCALE;
  }

  private void addFixed(int i, long v) {
    long a = lo[i];
    long s = a + v;
    hi[i] += (v >> 63) + (Long.compareUnsigned(s, a) < 0 ? 1 : 0);
    lo[i] = s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EpochSums e
        && e.nodes == nodes
        && e.dims == dims
        && Arrays.equals(e.counts, counts)
        && Arrays.equals(e.hi, hi)
        && Arrays.equals(e.lo, lo);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts) * 31 + Arrays.hashCode(lo);
  }
}
