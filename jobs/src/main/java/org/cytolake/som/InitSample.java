package org.cytolake.som;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.TreeSet;

/**
 * A seeded random sample of {@code size} distinct events, used as the initial codebook (FlowSOM initialises its
 * codebook with randomly chosen events). It is a bottom-k sample: every event gets a pseudo-random priority that is
 * a hash of the seed and the event's values, and the sample keeps the {@code size} events of lowest priority (ties
 * broken by comparing values). The sample therefore depends only on the seed and the set of distinct event
 * vectors, never on how the events are split into blocks or merged, which makes it reducible by Spark.
 *
 * <p>A mutable accumulator: {@link #add} and {@link #merge} change this object and return it. Not thread-safe.
 */
public final class InitSample implements Serializable {
  private static final long serialVersionUID = 1L;

  private record Entry(long priority, double[] values) implements Serializable {}

  /** Priority, then values; a class rather than a lambda so that the sample serialises. */
  private static final class Order implements Comparator<Entry>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Entry a, Entry b) {
      int c = Long.compare(a.priority(), b.priority());
      return c != 0 ? c : Arrays.compare(a.values(), b.values());
    }
  }

  private final int size;
  private final int dims;
  private final long seed;
  private final TreeSet<Entry> entries = new TreeSet<>(new Order());

  public InitSample(int size, int dims, long seed) {
    if (size < 1 || dims < 1) {
      throw new IllegalArgumentException(
          "Cannot create initial sample: size (" + size + ") and dims (" + dims + ") must be >= 1");
    }
    this.size = size;
    this.dims = dims;
    this.seed = seed;
  }

  /** Offers the event {@code row[offset .. offset + dims)}. */
  public InitSample add(double[] row, int offset) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    for (int d = 0; d < dims; d++) {
      double v = row[offset + d];
      h = mix(h ^ Double.doubleToLongBits(v == 0 ? 0.0 : v));
    }
    if (entries.size() == size && h > entries.last().priority()) {
      return this;
    }
    offer(new Entry(h, Arrays.copyOfRange(row, offset, offset + dims)));
    return this;
  }

  /** Merges another sample of the same shape and seed into this one. */
  public InitSample merge(InitSample other) {
    if (other.size != size || other.dims != dims || other.seed != seed) {
      throw new IllegalArgumentException(
          "Cannot merge initial samples of different size, dims or seed");
    }
    for (Entry e : other.entries) {
      offer(e);
    }
    return this;
  }

  /** Number of events held (fewer than the size when fewer distinct events were offered). */
  public int held() {
    return entries.size();
  }

  /** The sampled events in priority order, {@code held() × dims} row-major. */
  public double[] values() {
    double[] out = new double[entries.size() * dims];
    int i = 0;
    for (Entry e : entries) {
      System.arraycopy(e.values(), 0, out, i, dims);
      i += dims;
    }
    return out;
  }

  private void offer(Entry e) {
    if (entries.add(e) && entries.size() > size) {
      entries.pollLast();
    }
  }

  /** SplitMix64's finaliser (Steele, Lea and Flood 2014). */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
