package org.cytolake.stats;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Counts per {@code long} key in primitive arrays (open addressing, linear probing, keys spread by
 * MurmurHash3's 64-bit finaliser), for the per-partition tallies of Spark map functions, where a
 * {@code HashMap<Long, long[]>} boxed every key and, on keys packed from small fields (group in the
 * high bits, column and bin in the low), put thousands of keys on one hash: {@code Long.hashCode}
 * XORs the two halves, so (group, bin) pairs whose XOR agrees collide exactly. Profiled in the cluster
 * step's exact medians ({@code BinnedMedians}), {@code HashMap$TreeNode.find} took most of the time
 * (BENCHMARKS.md, session 13). Serializable, so a map function can carry one as a set of keys
 * ({@link #contains}). Not thread-safe.
 */
public final class LongCounts implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Receives one key and its count. */
  @FunctionalInterface
  public interface Visitor {
    void accept(long key, long count);
  }

  private long[] keys;
  private long[] counts;
  private boolean[] used;
  private int size;
  private int mask;

  /** Empty, sized for about {@code expected} keys before it grows. */
  public LongCounts(int expected) {
    int capacity = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
    allocate(capacity);
  }

  /** Adds {@code n} to the count of {@code key}. */
  public void add(long key, long n) {
    int i = slot(key);
    if (used[i]) {
      counts[i] += n;
      return;
    }
    used[i] = true;
    keys[i] = key;
    counts[i] = n;
    if (++size * 2 > keys.length) {
      grow();
    }
  }

  /** The count of {@code key}, 0 when it was never added. */
  public long get(long key) {
    int i = slot(key);
    return used[i] ? counts[i] : 0;
  }

  /** Whether {@code key} was added (with any count, 0 included). */
  public boolean contains(long key) {
    return used[slot(key)];
  }

  /** Keys added. */
  public int size() {
    return size;
  }

  /** Every key and its count, in no particular order. */
  public void forEach(Visitor visitor) {
    for (int i = 0; i < keys.length; i++) {
      if (used[i]) {
        visitor.accept(keys[i], counts[i]);
      }
    }
  }

  /** The slot holding {@code key}, or the empty slot where it would go. */
  private int slot(long key) {
    int i = (int) mix(key) & mask;
    while (used[i] && keys[i] != key) {
      i = (i + 1) & mask;
    }
    return i;
  }

  /**
   * MurmurHash3's fmix64: every bit of the key moves every bit of the hash (also the seeded order
   * of the report's range samples, {@code org.cytolake.plot.RangeSamples}).
   */
  public static long mix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    counts = new long[capacity];
    used = new boolean[capacity];
    mask = capacity - 1;
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldCounts = counts;
    boolean[] oldUsed = used;
    allocate(oldKeys.length * 2);
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldUsed[i]) {
        int j = slot(oldKeys[i]);
        used[j] = true;
        keys[j] = oldKeys[i];
        counts[j] = oldCounts[i];
      }
    }
  }

  @Override
  public String toString() {
    return "LongCounts[" + size + " keys, capacity " + keys.length + "]";
  }

  /** For tests: the capacity (a power of two, at least twice the keys). */
  int capacity() {
    return keys.length;
  }

  /** For tests: a copy of the keys, sorted. */
  long[] sortedKeys() {
    long[] out = new long[size];
    int n = 0;
    for (int i = 0; i < keys.length; i++) {
      if (used[i]) {
        out[n++] = keys[i];
      }
    }
    Arrays.sort(out);
    return out;
  }
}
