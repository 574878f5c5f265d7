package org.cytolake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import org.junit.jupiter.api.Test;

class HeapWatchTest {
  /** Waits (notifications come on a JDK thread) for a collection after {@code since}. */
  private static HeapWatch.Summary awaitCollection(HeapWatch w, long since)
      throws InterruptedException {
    for (int i = 0; i < 800 && w.between(since, Long.MAX_VALUE).collections() == 0; i++) {
      Thread.sleep(25);
    }
    return w.between(since, Long.MAX_VALUE);
  }

  @Test
  void seesAnExplicitCollectionAndTheLiveDataAfterIt() throws InterruptedException {
    try (HeapWatch w = HeapWatch.open()) {
      long t0 = System.nanoTime();
      // 64 MiB kept alive across the collection: the heap after it holds at least that.
      byte[][] live = new byte[64][];
      for (int i = 0; i < live.length; i++) {
        live[i] = new byte[1 << 20];
      }
      System.gc();
      HeapWatch.Summary s = awaitCollection(w, t0);
      assertTrue(s.collections() >= 1, "collections " + s + "; all seen: " + w.collections());
      assertTrue(s.peakHeapAfterGcBytes() >= 64L << 20, "peak after GC " + s);
      assertTrue(
          s.peakHeapAfterGcBytes() <= Runtime.getRuntime().maxMemory(), "peak after GC " + s);
      assertTrue(s.gcMillis() >= 0);
      // Nothing ended before the watch opened.
      assertEquals(0, w.between(Long.MIN_VALUE, t0 - 1_000_000_000L).collections());
      assertEquals(w.all().collections(), w.collections().size());
      Reference.reachabilityFence(live);
    }
  }

  @Test
  void stopsListeningWhenClosed() throws InterruptedException {
    HeapWatch w = HeapWatch.open();
    w.close();
    int before = w.collections().size();
    System.gc();
    Thread.sleep(200);
    assertEquals(before, w.collections().size());
    assertTrue(ManagementFactory.getGarbageCollectorMXBeans().size() > 0);
  }
}
