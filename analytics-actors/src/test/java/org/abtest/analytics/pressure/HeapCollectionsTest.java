package org.abtest.analytics.pressure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeapCollectionsTest {

  @Test
  void aCollectionReportsTheHeapItLeftBehind() {
    MemoryPressure pressure =
        new MemoryPressure(
            new ShedThresholds(true, 0.85, 0.75, Duration.ofSeconds(5), Duration.ofSeconds(10)),
            System::nanoTime);
    try (HeapCollections ignored = HeapCollections.watch(pressure)) {
      System.gc();
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> pressure.reading().heapUsedAfterGcBytes() != 0);
    }
    MemoryPressure.Reading reading = pressure.reading();
    assertThat(reading.heapUsedAfterGcBytes()).isPositive();
    assertThat(reading.heapMaxBytes()).isEqualTo(Runtime.getRuntime().maxMemory());
    assertThat(reading.heapAfterGc()).isBetween(0.0, 1.0);
  }

  @Test
  void onlyHeapPoolsCount() {
    Map<String, MemoryUsage> after =
        Map.of(
            "G1 Old Gen", new MemoryUsage(0, 300, 400, 1000),
            "G1 Survivor Space", new MemoryUsage(0, 20, 40, 1000),
            "Metaspace", new MemoryUsage(0, 900, 900, 1000));
    assertThat(HeapCollections.heapUsed(after, Set.of("G1 Old Gen", "G1 Survivor Space")))
        .isEqualTo(320);
  }

  private static final Set<String> G1_HEAP =
      Set.of("G1 Eden Space", "G1 Survivor Space", "G1 Old Gen");

  private static Map<String, MemoryUsage> g1(long eden, long survivor, long old, long metaspace) {
    return Map.of(
        "G1 Eden Space", new MemoryUsage(0, eden, 1000, 1000),
        "G1 Survivor Space", new MemoryUsage(0, survivor, 1000, 1000),
        "G1 Old Gen", new MemoryUsage(0, old, 1000, 1000),
        "Metaspace", new MemoryUsage(0, metaspace, 1000, 1000));
  }

  @Test
  void aYoungCollectionThatOnlyPromotesDoesNotReclaimTheOldGeneration() {
    assertThat(
            HeapCollections.reclaimsOld(
                "end of minor GC", g1(500, 20, 300, 50), g1(0, 30, 340, 40), G1_HEAP))
        .as("old grew by promotion; a smaller metaspace is not the heap")
        .isFalse();
  }

  @Test
  void aMixedCollectionReclaimsTheOldGenerationThoughG1CallsItMinor() {
    assertThat(
            HeapCollections.reclaimsOld(
                "end of minor GC", g1(500, 20, 600, 50), g1(0, 30, 420, 50), G1_HEAP))
        .isTrue();
  }

  @Test
  void aMajorCollectionReclaimsTheOldGeneration() {
    assertThat(
            HeapCollections.reclaimsOld(
                "end of major GC", g1(500, 20, 300, 50), g1(0, 0, 310, 50), G1_HEAP))
        .isTrue();
  }
}
