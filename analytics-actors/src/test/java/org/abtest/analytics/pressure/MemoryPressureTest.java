package org.abtest.analytics.pressure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryPressureTest {

  private static final long MB = 1 << 20;
  private final AtomicLong now = new AtomicLong();
  private final ShedThresholds thresholds =
      new ShedThresholds(true, 0.85, 0.75, Duration.ofSeconds(5), Duration.ofSeconds(10));
  private final MemoryPressure pressure = new MemoryPressure(thresholds, now::get);

  @Test
  void aFreshNodeDoesNotShed() {
    assertThat(pressure.shedding()).isFalse();
    assertThat(pressure.reading().pressure()).isZero();
  }

  @Test
  void heapAtTheShedThresholdAfterACollectionSheds() {
    pressure.heapAfterCollection(84 * MB, 100 * MB);
    assertThat(pressure.shedding()).isFalse();
    pressure.heapAfterCollection(85 * MB, 100 * MB);
    assertThat(pressure.shedding()).isTrue();
    assertThat(pressure.reading().heapAfterGc()).isEqualTo(0.85);
    assertThat(pressure.reading().heapUsedAfterGcBytes()).isEqualTo(85 * MB);
  }

  @Test
  void sheddingGoesOnUntilPressureFallsBelowTheResumeThreshold() {
    pressure.heapAfterCollection(90 * MB, 100 * MB);
    pressure.heapAfterCollection(80 * MB, 100 * MB);
    assertThat(pressure.shedding()).as("between the thresholds: still shedding").isTrue();
    pressure.heapAfterCollection(75 * MB, 100 * MB);
    assertThat(pressure.shedding()).as("exactly at resume-below: still shedding").isTrue();
    pressure.heapAfterCollection(74 * MB, 100 * MB);
    assertThat(pressure.shedding()).isFalse();
    pressure.heapAfterCollection(80 * MB, 100 * MB);
    assertThat(pressure.shedding()).as("between the thresholds from below: accepting").isFalse();
  }

  @Test
  void aYoungCollectionsFigureNeverRaisesTheEstimateSinceItStillHoldsOldGarbage() {
    pressure.heapAfterCollection(50 * MB, 100 * MB);
    pressure.heapAfterYoungCollection(91 * MB, 100 * MB);
    assertThat(pressure.shedding()).isFalse();
    assertThat(pressure.reading().heapUsedAfterGcBytes()).isEqualTo(50 * MB);
    pressure.heapAfterYoungCollection(40 * MB, 100 * MB);
    assertThat(pressure.reading().heapUsedAfterGcBytes())
        .as("a lower upper bound is a better one")
        .isEqualTo(40 * MB);
    pressure.heapAfterCollection(88 * MB, 100 * MB);
    assertThat(pressure.shedding()).as("the next old-reclaiming collection sees growth").isTrue();
  }

  @Test
  void aYoungCollectionBelowTheResumeThresholdEndsShedding() {
    pressure.heapAfterCollection(90 * MB, 100 * MB);
    pressure.heapAfterYoungCollection(70 * MB, 100 * MB);
    assertThat(pressure.shedding()).isFalse();
  }

  @Test
  void beforeAnyOldReclaimingCollectionTheYoungFigureIsTheEstimate() {
    pressure.heapAfterYoungCollection(30 * MB, 100 * MB);
    assertThat(pressure.reading().heapUsedAfterGcBytes()).isEqualTo(30 * MB);
  }

  @Test
  void aFullBudgetShedsWhileTheHeapIsFine() {
    AtomicLong used = new AtomicLong(10 * MB);
    pressure.register(budget("unit-state", used, 20 * MB));
    pressure.heapAfterCollection(30 * MB, 100 * MB);
    assertThat(pressure.shedding()).isFalse();
    used.set(18 * MB);
    pressure.refresh();
    assertThat(pressure.shedding()).isTrue();
    assertThat(pressure.reading().pressure()).isEqualTo(0.9);
    assertThat(pressure.reading().budgets()).containsEntry("unit-state", 0.9);
    used.set(5 * MB);
    pressure.refresh();
    assertThat(pressure.shedding()).isFalse();
  }

  @Test
  void aBudgetWithoutALimitIsReportedButNeverSheds() {
    pressure.register(budget("reported-only", new AtomicLong(Long.MAX_VALUE / 2), 0));
    assertThat(pressure.shedding()).isFalse();
    assertThat(pressure.reading().budgets()).containsEntry("reported-only", 0.0);
  }

  @Test
  void disabledSheddingNeverSheds() {
    MemoryPressure off =
        new MemoryPressure(
            new ShedThresholds(false, 0.85, 0.75, Duration.ofSeconds(5), Duration.ofSeconds(10)),
            now::get);
    off.heapAfterCollection(99 * MB, 100 * MB);
    assertThat(off.shedding()).isFalse();
    assertThat(off.reading().pressure()).isEqualTo(0.99);
  }

  @Test
  void aSheddingNodeWithoutCollectionsAsksForOneOncePerRecheckInterval() {
    pressure.heapAfterCollection(90 * MB, 100 * MB);
    assertThat(pressure.wantsCollection()).isFalse();
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(pressure.wantsCollection()).isTrue();
    assertThat(pressure.wantsCollection()).as("once per interval").isFalse();
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(pressure.wantsCollection()).isTrue();
  }

  @Test
  void aNodeThatIsNotSheddingNeverAsksForACollection() {
    pressure.heapAfterCollection(50 * MB, 100 * MB);
    now.addAndGet(Duration.ofMinutes(5).toNanos());
    assertThat(pressure.wantsCollection()).isFalse();
  }

  @Test
  void recentCollectionsMakeARequestedOneUnnecessary() {
    pressure.heapAfterCollection(90 * MB, 100 * MB);
    now.addAndGet(Duration.ofSeconds(9).toNanos());
    pressure.heapAfterCollection(90 * MB, 100 * MB);
    now.addAndGet(Duration.ofSeconds(9).toNanos());
    assertThat(pressure.wantsCollection()).isFalse();
  }

  @Test
  void thresholdsOutsideTheirRangeAreRefused() {
    assertThatThrownBy(
            () -> new ShedThresholds(true, 1.2, 0.75, Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .hasMessageContaining("shed-at");
    assertThatThrownBy(
            () -> new ShedThresholds(true, 0.8, 0.9, Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .hasMessageContaining("resume-below");
    assertThatThrownBy(
            () -> new ShedThresholds(true, 0.8, 0.7, Duration.ofSeconds(5), Duration.ZERO))
        .hasMessageContaining("recheck-interval");
  }

  private static MemoryBudget budget(String name, AtomicLong used, long limit) {
    return new MemoryBudget() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public long usedBytes() {
        return used.get();
      }

      @Override
      public long limitBytes() {
        return limit;
      }
    };
  }
}
