package org.abtest.georeplication;

import com.typesafe.config.Config;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which regions there are and which one this is, computed once from {@code abtest.region} (this
 * replica) and {@code abtest.regions} (every replica, in the configured order; this region alone
 * when unset or empty). Layers have one writer, the first listed region (docs/decisions.md §12).
 *
 * @param self this region
 * @param all every region: as configured, or this region alone
 * @param layerHome the region whose journal holds the layers
 */
public record Regions(String self, Set<String> all, String layerHome) {

  public Regions {
    all = all.isEmpty() ? Set.of(self) : Collections.unmodifiableSet(new LinkedHashSet<>(all));
    if (!all.contains(self)) {
      throw new IllegalArgumentException(
          "abtest.regions " + all + " does not contain this region '" + self + "'");
    }
  }

  /** From the {@code abtest} section of the config. */
  public static Regions from(Config abtest) {
    String self = abtest.getString("region");
    List<String> listed = abtest.hasPath("regions") ? abtest.getStringList("regions") : List.of();
    if (listed.isEmpty()) {
      return new Regions(self, Set.of(self), self);
    }
    return new Regions(self, new LinkedHashSet<>(listed), listed.get(0));
  }

  /** One region only: it replicates nothing and merges no other region's totals. */
  public static Regions single(String self) {
    return new Regions(self, Set.of(self), self);
  }

  public boolean multiRegion() {
    return all.size() > 1;
  }

  public boolean isLayerHome() {
    return self.equals(layerHome);
  }

  /** Every region but this one, in the configured order. */
  public Set<String> others() {
    Set<String> others = new LinkedHashSet<>(all);
    others.remove(self);
    return others;
  }
}
