package org.abtest.node.sticky;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StickyCacheTest {

  private final AtomicLong now = new AtomicLong();

  @Test
  void aCachedUnitKeepsItsFirstVariantAndAnUncachedUnitIsUnknown() {
    StickyCache cache = new StickyCache(1 << 20, TimeUnit.MINUTES.toNanos(10), now::get);
    assertThat(cache.get("u")).isNull();
    assertThat(cache.add("u", "s", new StickyCache.Row("e", "green"))).isFalse();
    cache.put("u", Map.of());
    assertThat(cache.get("u")).isEmpty();
    assertThat(cache.add("u", "s", new StickyCache.Row("e", "green"))).isTrue();
    assertThat(cache.add("u", "s", new StickyCache.Row("e", "blue"))).isFalse();
    assertThat(cache.get("u")).containsExactly(Map.entry("s", new StickyCache.Row("e", "green")));
  }

  @Test
  void theCacheStaysWithinItsByteBudgetByDroppingTheLeastRecentlyUsedUnit() {
    long budget = 100_000;
    StickyCache cache = new StickyCache(budget, TimeUnit.MINUTES.toNanos(10), now::get);
    for (int i = 0; i < 10_000; i++) {
      cache.put("unit-" + i, Map.of("salt", new StickyCache.Row("experiment", "treatment")));
      assertThat(cache.bytes()).isLessThanOrEqualTo(budget);
    }
    assertThat(cache.units()).isBetween(100, 1000);
    assertThat(cache.get("unit-9999")).isNotNull();
    assertThat(cache.get("unit-0")).isNull();
  }

  @Test
  void anEntryOlderThanItsTimeToLiveIsReadAgainAndItsBytesAreReleased() {
    StickyCache cache = new StickyCache(1 << 20, 1_000, now::get);
    cache.put("u", Map.of("s", new StickyCache.Row("e", "green")));
    long held = cache.bytes();
    assertThat(held).isPositive();
    now.set(1_001);
    assertThat(cache.get("u")).isNull();
    assertThat(cache.bytes()).isZero();
  }

  @Test
  void aZeroBudgetCachesNothing() {
    StickyCache cache = new StickyCache(0, 1_000, now::get);
    cache.put("u", Map.of());
    assertThat(cache.get("u")).isNull();
    assertThat(cache.bytes()).isZero();
  }
}
