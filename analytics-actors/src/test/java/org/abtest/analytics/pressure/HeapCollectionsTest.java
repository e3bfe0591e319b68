package org.abtest.analytics.pressure;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeapCollectionsTest {

  @Test
  void aCollectionReportsTheHeapItLeftBehind() throws InterruptedException {
    MemoryPressure pressure =
        new MemoryPressure(
            new ShedThresholds(true, 0.85, 0.75, Duration.ofSeconds(5), Duration.ofSeconds(10)),
            System::nanoTime);
    try (HeapCollections ignored = HeapCollections.watch(pressure)) {
      System.gc();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (pressure.reading().heapUsedAfterGcBytes() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
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
}
