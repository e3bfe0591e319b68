package org.abtest.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A bounded, least-recently-used in-memory {@link StickyBucketStore}. */
public final class InMemoryStickyBucketStore implements StickyBucketStore {

  private final Map<String, String> entries;

  public InMemoryStickyBucketStore(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1");
    }
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > maxEntries;
          }
        };
  }

  static String key(String experiment, String salt, String unit) {
    return experiment + '\u0000' + salt + '\u0000' + unit;
  }

  @Override
  public synchronized Optional<String> get(String experiment, String salt, String unit) {
    return Optional.ofNullable(entries.get(key(experiment, salt, unit)));
  }

  @Override
  public synchronized void put(String experiment, String salt, String unit, String variant) {
    entries.put(key(experiment, salt, unit), variant);
  }

  public synchronized int size() {
    return entries.size();
  }
}
