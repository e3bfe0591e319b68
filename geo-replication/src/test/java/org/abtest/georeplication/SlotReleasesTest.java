package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.abtest.georeplication.ExperimentScheduler.Release;
import org.junit.jupiter.api.Test;

/** When a stranded range is acted on, and when it counts as released. */
class SlotReleasesTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final SlotReleases.Retry RETRY =
      new SlotReleases.Retry(Duration.ofSeconds(2), Duration.ofSeconds(10));
  private static final Release A = new Release("checkout", "a");
  private static final Release B = new Release("checkout", "b");

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void aNewlyStrandedRangeIsActedOnAtOnceAsAFirstAttempt() {
    var step = SlotReleases.NONE.advance(List.of(A), T0, RETRY);
    assertThat(step.due()).containsExactly(new SlotReleases.Attempt(A, 1, T0));
    assertThat(step.due().get(0).retry()).isFalse();
    assertThat(step.next().size()).isEqualTo(1);
    assertThat(step.acknowledged()).isEmpty();
  }

  @Test
  void aRangeStillHeldIsRetriedWithDoublingPausesUpToTheMaximum() {
    SlotReleases releases = SlotReleases.NONE;
    List<Integer> attemptedAt = new java.util.ArrayList<>();
    for (int second = 0; second <= 60; second++) {
      var step = releases.advance(List.of(A), at(second), RETRY);
      releases = step.next();
      if (!step.due().isEmpty()) {
        attemptedAt.add(second);
      }
    }
    // pauses 2, 4, 8, then the 10 s maximum
    assertThat(attemptedAt).containsExactly(0, 2, 6, 14, 24, 34, 44, 54);
    assertThat(releases.pending().get(A).attempts()).isEqualTo(8);
    assertThat(releases.pending().get(A).since()).isEqualTo(T0);
  }

  @Test
  void aRetryKeepsItsFirstTimeAndCountsAsARetry() {
    var first = SlotReleases.NONE.advance(List.of(A), T0, RETRY);
    var second = first.next().advance(List.of(A), at(2), RETRY);
    assertThat(second.due()).containsExactly(new SlotReleases.Attempt(A, 2, T0));
    assertThat(second.due().get(0).retry()).isTrue();
  }

  @Test
  void betweenAttemptsNothingIsDueButTheRangeStaysPending() {
    var first = SlotReleases.NONE.advance(List.of(A), T0, RETRY);
    var between = first.next().advance(List.of(A), at(1), RETRY);
    assertThat(between.due()).isEmpty();
    assertThat(between.next().size()).isEqualTo(1);
  }

  @Test
  void aRangeNoLongerHeldIsAcknowledgedAndLeaves() {
    var first = SlotReleases.NONE.advance(List.of(A, B), T0, RETRY);
    var after = first.next().advance(List.of(B), at(1), RETRY);
    assertThat(after.acknowledged()).containsOnlyKeys(A);
    assertThat(after.acknowledged().get(A).attempts()).isEqualTo(1);
    assertThat(after.next().pending()).containsOnlyKeys(B);
    assertThat(after.next().advance(List.of(), at(2), RETRY).next().size()).isZero();
  }

  @Test
  void theSameRangeListedTwiceIsOneRelease() {
    var step = SlotReleases.NONE.advance(List.of(A, A), T0, RETRY);
    assertThat(step.due()).hasSize(1);
    assertThat(step.next().size()).isEqualTo(1);
  }

  @Test
  void dueReleasesComeInLayerAndOwnerOrder() {
    Release other = new Release("banner", "z");
    var step = SlotReleases.NONE.advance(List.of(B, other, A), T0, RETRY);
    assertThat(step.due()).extracting(SlotReleases.Attempt::release).containsExactly(other, A, B);
  }

  @Test
  void aRetryPolicyNeedsAPositiveMinimumNotAboveTheMaximum() {
    assertThatThrownBy(() -> new SlotReleases.Retry(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SlotReleases.Retry(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new SlotReleases.Retry(Duration.ofSeconds(1), Duration.ofDays(1)).after(1000))
        .isEqualTo(Duration.ofDays(1));
  }
}
