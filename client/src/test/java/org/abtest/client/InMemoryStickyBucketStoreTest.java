package org.abtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InMemoryStickyBucketStoreTest {

  @Test
  void aPutReplacesTheStoredVariantOfThatExperimentSaltAndUnitOnly() {
    InMemoryStickyBucketStore store = new InMemoryStickyBucketStore(10);
    store.put("e", "s", "u", "control");
    store.put("e", "s", "u", "treatment");
    assertThat(store.get("e", "s", "u")).contains("treatment");
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.get("e", "other-salt", "u")).isEmpty();
  }

  @Test
  void storeStaysWithinItsEntryBoundByDroppingTheLeastRecentlyUsed() {
    InMemoryStickyBucketStore store = new InMemoryStickyBucketStore(100);
    for (int i = 0; i < 1000; i++) {
      store.put("e", "s", "u" + i, "control");
    }
    assertThat(store.size()).isEqualTo(100);
    assertThat(store.get("e", "s", "u999")).contains("control");
    assertThat(store.get("e", "s", "u0")).isEmpty();
  }
}
