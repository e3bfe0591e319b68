package org.abtest.analytics.pressure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsumerThrottleTest {

  private static final ConsumerThrottle THROTTLE =
      new ConsumerThrottle(0.95, Duration.ofSeconds(5), Duration.ofMillis(200));

  @Test
  void belowThePauseThresholdABatchIsAppliedAtOnce() {
    assertThat(THROTTLE.nextWait(0.94, Duration.ZERO)).isZero();
  }

  @Test
  void atOrAboveTheThresholdABatchWaitsOneStepAtATime() {
    assertThat(THROTTLE.nextWait(0.95, Duration.ZERO)).isEqualTo(Duration.ofMillis(200));
    assertThat(THROTTLE.nextWait(1.3, Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void aBatchNeverWaitsLongerThanTheMaxPauseInAll() {
    assertThat(THROTTLE.nextWait(0.99, Duration.ofMillis(4900))).isEqualTo(Duration.ofMillis(100));
    assertThat(THROTTLE.nextWait(0.99, Duration.ofSeconds(5))).isZero();
  }

  @Test
  void offNeverWaits() {
    assertThat(ConsumerThrottle.OFF.nextWait(10, Duration.ZERO)).isZero();
  }

  @Test
  void aThresholdThatIsNotPositiveIsRefusedByName() {
    assertThatThrownBy(() -> new ConsumerThrottle(0, Duration.ofSeconds(1), Duration.ofMillis(1)))
        .hasMessageContaining("consumer-pause-at");
  }
}
