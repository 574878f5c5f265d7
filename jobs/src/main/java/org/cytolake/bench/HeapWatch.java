package org.cytolake.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * This JVM's heap as its garbage collector sees it, from the moment it is opened until it is
 * closed: every collection's duration and the heap in use right after it (the live data plus
 * whatever the collection left, which for a full collection is the live data). The peak of the
 * heap after collections is what a night needs of its driver heap; the heap in use at any other
 * moment includes garbage not yet collected.
 *
 * <p>From the JDK's own GC notifications ({@link GarbageCollectionNotificationInfo}); heap pools
 * only (metaspace and code cache are not heap). Thread-safe: notifications arrive on a JDK thread.
 */
public final class HeapWatch implements AutoCloseable {
  /**
   * One collection: when its notification came (nanoTime), how long it took, the heap in use after
   * it.
   */
  public record Collection(long endNanos, String collector, long millis, long heapAfterBytes) {}

  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final List<Collection> collections = new ArrayList<>();
  private final Set<String> heapPools;
  private final NotificationListener listener = this::onNotification;

  private HeapWatch() {
    heapPools =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());
  }

  /** Starts watching this JVM's collections. */
  public static HeapWatch open() {
    HeapWatch w = new HeapWatch();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(w.listener, null, null);
        w.emitters.add(e);
      }
    }
    return w;
  }

  private void onNotification(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long after = 0;
    for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(e.getKey())) {
        after += e.getValue().getUsed();
      }
    }
    // When the notification came (the JDK sends it right after the collection): the watch's
    // clock, so that collections can be placed among the steps a caller timed with nanoTime.
    long endNanos = System.nanoTime();
    synchronized (collections) {
      collections.add(
          new Collection(endNanos, info.getGcName(), info.getGcInfo().getDuration(), after));
    }
  }

  /** The collections seen so far, in the order their notifications came. */
  public List<Collection> collections() {
    synchronized (collections) {
      return List.copyOf(collections);
    }
  }

  /** What the collections between two nanoTime instants add up to. */
  public record Summary(int collections, long gcMillis, long peakHeapAfterGcBytes) {
    public double peakHeapAfterGcMib() {
      return peakHeapAfterGcBytes / 1048576.0;
    }
  }

  /** The collections that ended in [{@code fromNanos}, {@code toNanos}). */
  public Summary between(long fromNanos, long toNanos) {
    int n = 0;
    long ms = 0;
    long peak = 0;
    for (Collection c : collections()) {
      if (c.endNanos() >= fromNanos && c.endNanos() < toNanos) {
        n++;
        ms += c.millis();
        peak = Math.max(peak, c.heapAfterBytes());
      }
    }
    return new Summary(n, ms, peak);
  }

  /** Every collection seen. */
  public Summary all() {
    return between(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  @Override
  public void close() {
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ignored) {
        // already gone
      }
    }
    emitters.clear();
  }
}
