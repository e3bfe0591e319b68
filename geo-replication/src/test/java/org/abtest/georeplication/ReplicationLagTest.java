package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

class ReplicationLagTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void nothingRecordedIsAnEmptySnapshot() {
    assertThat(new ReplicationLag().snapshot()).isEmpty();
  }

  @Test
  void theLagIsTheTimeBetweenWritingThereAndSeeingHere() {
    var lag = new ReplicationLag();
    lag.record("region-b", T0, T0.plusMillis(120));
    assertThat(lag.snapshot())
        .containsEntry("region-b", new ReplicationLag.Observation(120, T0.plusMillis(120)));
  }

  @Test
  void eachRegionKeepsItsLatestObservation() {
    var lag = new ReplicationLag();
    lag.record("region-b", T0, T0.plusMillis(500));
    lag.record("region-b", T0.plusSeconds(1), T0.plusSeconds(1).plusMillis(30));
    lag.record("region-c", T0, T0.plusMillis(80));
    assertThat(lag.snapshot())
        .containsEntry("region-b", new ReplicationLag.Observation(30, T0.plusMillis(1030)))
        .containsEntry("region-c", new ReplicationLag.Observation(80, T0.plusMillis(80)));
  }

  @Test
  void anObservationSeenEarlierThanTheHeldOneDoesNotReplaceIt() {
    var lag = new ReplicationLag();
    lag.record("region-b", T0.plusSeconds(5), T0.plusSeconds(5).plusMillis(10));
    lag.record("region-b", T0, T0.plusSeconds(2));
    assertThat(lag.snapshot().get("region-b"))
        .isEqualTo(new ReplicationLag.Observation(10, T0.plusSeconds(5).plusMillis(10)));
  }

  @Test
  void aRemoteClockAheadOfOursCountsAsNoLag() {
    var lag = new ReplicationLag();
    lag.record("region-b", T0.plusSeconds(3), T0);
    assertThat(lag.snapshot().get("region-b").lastLagMs()).isZero();
  }

  @Test
  void theSnapshotIsACopy() {
    var lag = new ReplicationLag();
    var before = lag.snapshot();
    lag.record("region-b", T0, T0);
    assertThat(before).isEmpty();
    assertThat(lag.snapshot()).hasSize(1);
  }

  @Test
  void concurrentRecordsKeepTheLatestSeen() throws Exception {
    var lag = new ReplicationLag();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int t = 0; t < 4; t++) {
      int thread = t;
      pool.submit(
          () -> {
            for (int i = 0; i < 10_000; i++) {
              Instant seen = T0.plusMillis(i * 4L + thread);
              lag.record("region-b", seen.minusMillis(thread), seen);
            }
          });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(lag.snapshot().get("region-b"))
        .isEqualTo(new ReplicationLag.Observation(3, T0.plusMillis(9_999 * 4L + 3)));
  }

  @Test
  void everyoneOnOneActorSystemSharesOneInstance() {
    ActorTestKit testKit = ActorTestKit.create();
    try {
      ReplicationLag.get(testKit.system()).record("region-b", T0, T0.plusMillis(7));
      assertThat(ReplicationLag.get(testKit.system()).snapshot()).containsKey("region-b");
    } finally {
      testKit.shutdownTestKit();
    }
  }
}
