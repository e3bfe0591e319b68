package org.abtest.analytics.pressure;

import java.time.Duration;

/**
 * How the events consumer slows down under memory pressure. Shedding at the edge stops new events,
 * but the log may still hold a backlog that the consumer would apply into unit state as fast as it
 * can; above {@code pauseAt} each batch waits (re-checking every {@code step}) until the pressure
 * falls below it again, for at most {@code maxPause}. The wait is bounded because unit state
 * expires by stream time (dedup buckets, held events): a consumer that stopped for good could never
 * free what fills the heap, so a full node slows to one batch per partition per {@code maxPause}
 * instead of stopping. Nothing is lost: the records wait in Kafka.
 *
 * @param pauseAt the pressure (of {@link MemoryPressure}) from which batches wait; above 1 never
 */
public record ConsumerThrottle(double pauseAt, Duration maxPause, Duration step) {

  public static final ConsumerThrottle OFF =
      new ConsumerThrottle(Double.POSITIVE_INFINITY, Duration.ZERO, Duration.ofMillis(100));

  public ConsumerThrottle {
    if (!(pauseAt > 0)) {
      throw new IllegalArgumentException("consumer-pause-at must be positive, was " + pauseAt);
    }
    if (maxPause.isNegative() || step.isNegative() || step.isZero()) {
      throw new IllegalArgumentException(
          "consumer-max-pause must not be negative and the step must be positive");
    }
  }

  /**
   * How long a batch that has already waited {@code waited} waits next at {@code pressure}: zero to
   * apply it now.
   */
  public Duration nextWait(double pressure, Duration waited) {
    if (pressure < pauseAt || waited.compareTo(maxPause) >= 0) {
      return Duration.ZERO;
    }
    Duration left = maxPause.minus(waited);
    return left.compareTo(step) < 0 ? left : step;
  }
}
