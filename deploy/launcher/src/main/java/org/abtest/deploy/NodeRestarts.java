package org.abtest.deploy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Whether the launcher starts the node again after it died, and after how long. A node that dies
 * (an OutOfMemoryError exits it at once, see {@link JvmFlags#NODE}) comes back alone: Kafka and
 * Cassandra keep running, and the events it acknowledged are in Kafka. A node that keeps dying is a
 * crash loop that restarts would only hide, so after {@code maxRestarts} within {@code window} the
 * launcher gives up and stops everything, as before. The delay doubles with each restart in the
 * window, from {@code firstDelay}.
 */
final class NodeRestarts {

  private final int maxRestarts;
  private final Duration window;
  private final Duration firstDelay;
  private final Deque<Long> recent = new ArrayDeque<>();

  NodeRestarts(int maxRestarts, Duration window, Duration firstDelay) {
    if (maxRestarts < 0 || window.isNegative() || firstDelay.isNegative()) {
      throw new IllegalArgumentException("restart limits must not be negative");
    }
    this.maxRestarts = maxRestarts;
    this.window = window;
    this.firstDelay = firstDelay;
  }

  /** The defaults of run-local: 3 restarts in 10 minutes, the first after 2 s. */
  static NodeRestarts local() {
    return new NodeRestarts(3, Duration.ofMinutes(10), Duration.ofSeconds(2));
  }

  /**
   * The node died at {@code nowNanos}: how long to wait before starting it again, or empty when it
   * has died too often lately.
   */
  synchronized Optional<Duration> onDeath(long nowNanos) {
    while (!recent.isEmpty() && nowNanos - recent.peekFirst() > window.toNanos()) {
      recent.removeFirst();
    }
    if (recent.size() >= maxRestarts) {
      return Optional.empty();
    }
    Duration delay = firstDelay.multipliedBy(1L << Math.min(recent.size(), 10));
    recent.addLast(nowNanos);
    return Optional.of(delay);
  }
}
