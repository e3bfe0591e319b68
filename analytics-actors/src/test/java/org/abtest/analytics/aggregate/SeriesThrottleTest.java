package org.abtest.analytics.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SeriesThrottleTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final Duration TEN = Duration.ofSeconds(10);

  @Test
  void theFirstChangeIsWrittenAtOnceAndLaterOnesWithinOneInterval() {
    SeriesThrottle throttle = new SeriesThrottle(TEN);
    assertThat(throttle.changed(1, T0)).isEqualTo(Duration.ZERO);
    assertThat(throttle.due(T0)).containsExactly(1);
    assertThat(throttle.changed(1, T0.plusSeconds(2))).isEqualTo(Duration.ofSeconds(8));
    assertThat(throttle.changed(1, T0.plusSeconds(3))).as("already scheduled").isNull();
    assertThat(throttle.due(T0.plusSeconds(10))).containsExactly(1);
    assertThat(throttle.changed(1, T0.plusSeconds(25))).isEqualTo(Duration.ZERO);
  }

  @Test
  void onlyChangedPhasesAreWrittenAndNothingWhenNothingChanged() {
    SeriesThrottle throttle = new SeriesThrottle(TEN);
    throttle.changed(2, T0);
    throttle.changed(3, T0);
    assertThat(throttle.due(T0)).containsExactlyInAnyOrder(2, 3);
    assertThat(throttle.due(T0.plusSeconds(10))).isEmpty();
  }
}
