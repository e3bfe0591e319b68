package org.abtest.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SnapshotPolicyTest {

  private final SnapshotPolicy policy = new SnapshotPolicy(64, Duration.ofMinutes(2));

  @Test
  void nothingNewIsNeverDueHoweverOld() {
    assertThat(policy.due(0, 0, Duration.ofHours(1))).isFalse();
  }

  @Test
  void theFirstSnapshotOfAnOwnerIsDueWithAnyRecord() {
    assertThat(policy.due(1, 0, Duration.ZERO)).isTrue();
  }

  @Test
  void aLargeStateWaitsUntilTheRecordsSinceHavePaidForIt() {
    long lastBytes = 64L * 100_000;
    assertThat(policy.due(99_999, lastBytes, Duration.ofSeconds(30))).isFalse();
    assertThat(policy.due(100_000, lastBytes, Duration.ofSeconds(30))).isTrue();
    assertThat(policy.due(100_000, lastBytes + 1, Duration.ofSeconds(30))).isFalse();
  }

  @Test
  void anOldSnapshotIsDueWhateverItsSize() {
    assertThat(policy.due(1, Long.MAX_VALUE, Duration.ofMinutes(2))).isTrue();
    assertThat(policy.due(1, Long.MAX_VALUE, Duration.ofSeconds(119))).isFalse();
  }

  @Test
  void aZeroBudgetSnapshotsOnEveryCheckWithNewRecords() {
    SnapshotPolicy always = new SnapshotPolicy(0, Duration.ofDays(1));
    assertThat(always.due(1, Long.MAX_VALUE, Duration.ZERO)).isTrue();
    assertThat(always.due(0, Long.MAX_VALUE, Duration.ZERO)).isFalse();
  }

  @Test
  void aNegativeBudgetIsRefused() {
    assertThatThrownBy(() -> new SnapshotPolicy(-1, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
