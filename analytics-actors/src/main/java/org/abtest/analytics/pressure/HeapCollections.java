package org.abtest.analytics.pressure;

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
 * Feeds {@link MemoryPressure} with the heap's occupancy after every collection, from the JVM's own
 * collection notifications, any collector. A collection counts as reclaiming the old generation
 * when the collector calls it major (full collections, and every cycle of a single-generation
 * collector) or when an old pool is smaller after it than before (G1's mixed collections); the
 * others are young collections, whose figure still holds old garbage. Nothing is polled and nothing
 * runs on the request path.
 */
public final class HeapCollections implements AutoCloseable {

  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener;

  private HeapCollections(MemoryPressure pressure) {
    Set<String> heapPools =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());
    long max = Runtime.getRuntime().maxMemory();
    this.listener =
        (Notification notification, Object handback) -> {
          if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
              notification.getType())) {
            return;
          }
          var info =
              GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
          var gc = info.getGcInfo();
          long used = heapUsed(gc.getMemoryUsageAfterGc(), heapPools);
          if (reclaimsOld(
              info.getGcAction(),
              gc.getMemoryUsageBeforeGc(),
              gc.getMemoryUsageAfterGc(),
              heapPools)) {
            pressure.heapAfterCollection(used, max);
          } else {
            pressure.heapAfterYoungCollection(used, max);
          }
        };
  }

  /** Starts listening; close to stop. */
  public static HeapCollections watch(MemoryPressure pressure) {
    HeapCollections watcher = new HeapCollections(pressure);
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(watcher.listener, null, null);
        watcher.emitters.add(emitter);
      }
    }
    return watcher;
  }

  static long heapUsed(Map<String, MemoryUsage> afterCollection, Set<String> heapPools) {
    long used = 0;
    for (var entry : afterCollection.entrySet()) {
      if (heapPools.contains(entry.getKey())) {
        used += entry.getValue().getUsed();
      }
    }
    return used;
  }

  /**
   * Whether a collection reclaimed the old generation: the collector says {@code "end of major
   * GC"}, or a heap pool other than eden and survivor space shrank (G1 reports mixed collections as
   * minor).
   */
  static boolean reclaimsOld(
      String action,
      Map<String, MemoryUsage> before,
      Map<String, MemoryUsage> after,
      Set<String> heapPools) {
    if (!"end of minor GC".equals(action)) {
      return true;
    }
    for (var entry : after.entrySet()) {
      String pool = entry.getKey();
      MemoryUsage was = before.get(pool);
      if (heapPools.contains(pool)
          && !pool.contains("Eden")
          && !pool.contains("Survivor")
          && was != null
          && entry.getValue().getUsed() < was.getUsed()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException e) {
        // already gone: nothing left to remove
      }
    }
    emitters.clear();
  }
}
