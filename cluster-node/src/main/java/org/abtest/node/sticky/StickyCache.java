package org.abtest.node.sticky;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Units' stored first variants as this node last read them, least recently used first out, within a
 * budget in bytes; an entry older than its time to live is read again. A unit that is cached has
 * all its rows here (an absent salt means nothing stored); one that is not cached is unknown.
 * Within a unit the rows are keyed by salt alone: salts are 64 random bits per experiment and
 * phase, so the lookup on the assignment path builds no key per experiment; the row still names its
 * experiment, and a row of another experiment under the same salt is not the unit's. Thread-safe;
 * no Pekko, no driver.
 */
final class StickyCache {

  /** One stored first variant. */
  record Row(String experiment, String variant) {}

  /** Estimated bytes of one cached unit beyond its strings: the entry, the map and its nodes. */
  static final int ENTRY_OVERHEAD = 160;

  /** Estimated bytes of one stored variant beyond its strings. */
  static final int VARIANT_OVERHEAD = 64;

  private record Entry(Map<String, Row> variants, long loadedAt, long bytes) {}

  private final long maxBytes;
  private final long ttlNanos;
  private final LongSupplier nanos;
  private final LinkedHashMap<String, Entry> units = new LinkedHashMap<>(1024, 0.75f, true);
  private long bytes;

  StickyCache(long maxBytes, long ttlNanos, LongSupplier nanos) {
    this.maxBytes = maxBytes;
    this.ttlNanos = ttlNanos;
    this.nanos = nanos;
  }

  /** The unit's stored variants by salt, or null when the unit is not (freshly) cached. */
  synchronized Map<String, Row> get(String unit) {
    Entry e = units.get(unit);
    if (e == null) {
      return null;
    }
    if (nanos.getAsLong() - e.loadedAt() > ttlNanos) {
      remove(unit);
      return null;
    }
    return e.variants();
  }

  /** The unit's rows as just read (replacing what was cached). */
  synchronized void put(String unit, Map<String, Row> variants) {
    remove(unit);
    Map<String, Row> copy = Map.copyOf(variants);
    Entry e = new Entry(copy, nanos.getAsLong(), size(unit, copy));
    units.put(unit, e);
    bytes += e.bytes();
    evict();
  }

  /**
   * A first variant this node just gave a cached unit; false when the unit is no longer cached or
   * already has one there (the first stays).
   */
  synchronized boolean add(String unit, String salt, Row row) {
    Entry e = units.get(unit);
    if (e == null || e.variants().containsKey(salt)) {
      return false;
    }
    Map<String, Row> next = new HashMap<>(e.variants());
    next.put(salt, row);
    Entry grown = new Entry(Map.copyOf(next), e.loadedAt(), size(unit, next));
    units.put(unit, grown);
    bytes += grown.bytes() - e.bytes();
    evict();
    return true;
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized int units() {
    return units.size();
  }

  private void remove(String unit) {
    Entry old = units.remove(unit);
    if (old != null) {
      bytes -= old.bytes();
    }
  }

  private void evict() {
    Iterator<Entry> it = units.values().iterator();
    while (bytes > maxBytes && it.hasNext()) {
      bytes -= it.next().bytes();
      it.remove();
    }
  }

  private static long size(String unit, Map<String, Row> variants) {
    long size = ENTRY_OVERHEAD + 2L * unit.length();
    for (Map.Entry<String, Row> v : variants.entrySet()) {
      Row r = v.getValue();
      size +=
          VARIANT_OVERHEAD
              + 2L * (v.getKey().length() + r.experiment().length() + r.variant().length());
    }
    return size;
  }
}
