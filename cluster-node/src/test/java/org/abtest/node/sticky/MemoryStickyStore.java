package org.abtest.node.sticky;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.protocol.assignment.StickyBuckets;

/**
 * A {@link StickyStore} over a map, for unit tests: {@code rows} stands for the table, a unit is in
 * memory once {@link #load}ed, and {@code down} makes every load leave units unknown.
 */
public final class MemoryStickyStore implements StickyStore {

  public final Map<String, String> rows = new HashMap<>();
  public final Set<String> loaded = new HashSet<>();
  public boolean down;
  public int loads;
  public int writes;

  private static String row(String experiment, String salt, String unit) {
    return experiment + "/" + salt + "/" + unit;
  }

  public void store(String experiment, String salt, String unit, String variant) {
    rows.put(row(experiment, salt, unit), variant);
  }

  public String stored(String experiment, String salt, String unit) {
    return rows.get(row(experiment, salt, unit));
  }

  @Override
  public synchronized CompletionStage<Void> load(String unit) {
    loads++;
    if (!down) {
      loaded.add(unit);
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized StickyBuckets bucketsOf(String unit) {
    if (!loaded.contains(unit)) {
      return null;
    }
    return new StickyBuckets() {
      @Override
      public String variant(String experiment, String salt, String u) {
        return stored(experiment, salt, u);
      }

      @Override
      public void assigned(String experiment, String salt, String u, String variant) {
        writes++;
        rows.putIfAbsent(row(experiment, salt, u), variant);
      }
    };
  }
}
