package org.cytolake.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Primitive counts per long key against a HashMap, through growth and on colliding keys. */
class LongCountsTest {

  @Test
  void countsAsAHashMapDoesThroughGrowth() {
    LongCounts c = new LongCounts(4);
    Map<Long, Long> expected = new HashMap<>();
    SplittableRandom r = new SplittableRandom(7);
    long[] special = {0, -1, 1, Long.MIN_VALUE, Long.MAX_VALUE};
    for (int i = 0; i < 200_000; i++) {
      long key = i % 50 == 0 ? special[i / 50 % special.length] : r.nextLong(-5_000, 5_000);
      long n = r.nextInt(1, 4);
      c.add(key, n);
      expected.merge(key, n, Long::sum);
    }
    assertEquals(expected.size(), c.size());
    expected.forEach((k, n) -> assertEquals(n, c.get(k), "count of " + k));
    Map<Long, Long> seen = new HashMap<>();
    c.forEach((k, n) -> assertEquals(null, seen.put(k, n), "key " + k + " visited twice"));
    assertEquals(expected, seen);
    assertTrue(c.capacity() >= 2 * c.size(), c.toString());
    assertEquals(0, c.get(12_345_678L));
    assertFalse(c.contains(12_345_678L));
  }

  @Test
  void keysPackedFromSmallFieldsStayApart() {
    // BinnedMedians' keys: group << 32 | column << 20 | bin; Long.hashCode folds them onto few
    // hashes
    LongCounts c = new LongCounts(16);
    int groups = 40;
    int bins = 3_000;
    for (int g = 0; g < groups; g++) {
      for (int col = 0; col < 14; col++) {
        for (int b = 0; b < bins; b++) {
          c.add(((long) g << 32) | ((long) col << 20) | b, g + 1);
        }
      }
    }
    assertEquals(groups * 14 * bins, c.size());
    assertEquals(40, c.get((39L << 32) | (13L << 20) | 2_999));
    long[] keys = c.sortedKeys();
    assertEquals(0L, keys[0]);
    assertEquals((39L << 32) | (13L << 20) | 2_999, keys[keys.length - 1]);
  }

  @Test
  void aZeroCountIsStillAKey() {
    LongCounts c = new LongCounts(1);
    c.add(5, 0);
    assertTrue(c.contains(5));
    assertEquals(0, c.get(5));
    assertEquals(1, c.size());
    assertArrayEquals(new long[] {5}, c.sortedKeys());
  }

  @Test
  void travelsToAnExecutorWhole() throws Exception {
    LongCounts c = new LongCounts(2);
    for (long k = -100; k < 100; k++) {
      c.add(k * 1_000_003L, k + 100);
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(c);
    }
    LongCounts back;
    try (java.io.ObjectInputStream in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      back = (LongCounts) in.readObject();
    }
    assertEquals(200, back.size());
    assertArrayEquals(c.sortedKeys(), back.sortedKeys());
    assertEquals(199, back.get(99 * 1_000_003L));
    assertTrue(back.contains(-100 * 1_000_003L));
    assertFalse(back.contains(1));
  }
}
