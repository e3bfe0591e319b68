package org.abtest.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NodeRestartsTest {

  private static final long MINUTE = Duration.ofMinutes(1).toNanos();

  @Test
  void aDeadNodeIsRestartedWithADelayThatDoublesEachTime() {
    NodeRestarts restarts = new NodeRestarts(3, Duration.ofMinutes(10), Duration.ofSeconds(2));
    assertThat(restarts.onDeath(0)).hasValue(Duration.ofSeconds(2));
    assertThat(restarts.onDeath(MINUTE)).hasValue(Duration.ofSeconds(4));
    assertThat(restarts.onDeath(2 * MINUTE)).hasValue(Duration.ofSeconds(8));
  }

  @Test
  void aNodeThatDiesMoreOftenThanTheLimitInTheWindowIsNotRestarted() {
    NodeRestarts restarts = new NodeRestarts(3, Duration.ofMinutes(10), Duration.ofSeconds(2));
    restarts.onDeath(0);
    restarts.onDeath(MINUTE);
    restarts.onDeath(2 * MINUTE);
    assertThat(restarts.onDeath(3 * MINUTE)).isEmpty();
  }

  @Test
  void deathsOlderThanTheWindowNoLongerCount() {
    NodeRestarts restarts = new NodeRestarts(2, Duration.ofMinutes(10), Duration.ofSeconds(2));
    restarts.onDeath(0);
    restarts.onDeath(MINUTE);
    assertThat(restarts.onDeath(12 * MINUTE)).hasValue(Duration.ofSeconds(2));
  }

  @Test
  void zeroRestartsNeverRestarts() {
    assertThat(new NodeRestarts(0, Duration.ofMinutes(10), Duration.ZERO).onDeath(0)).isEmpty();
  }

  @Test
  void negativeLimitsAreRefused() {
    assertThatThrownBy(() -> new NodeRestarts(-1, Duration.ofMinutes(1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
