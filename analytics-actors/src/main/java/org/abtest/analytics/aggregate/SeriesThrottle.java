package org.abtest.analytics.aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * When an aggregator writes its time series: every phase whose totals changed is written at most
 * {@code interval} after the change, and at most once per interval, so the series is never more
 * than one interval behind the live totals (a burst of changes followed by silence is written too,
 * not only the first change). Not thread-safe: one aggregator's.
 */
final class SeriesThrottle {

  private final Duration interval;
  private final Set<Integer> changed = new TreeSet<>();
  private Instant lastWrite = Instant.EPOCH;
  private boolean scheduled;

  SeriesThrottle(Duration interval) {
    this.interval = interval;
  }

  /** Notes a change; the delay after which to write, or null if a write is already scheduled. */
  Duration changed(int phase, Instant now) {
    changed.add(phase);
    if (scheduled) {
      return null;
    }
    scheduled = true;
    Duration wait = Duration.between(now, lastWrite.plus(interval));
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  /** The phases to write now (the write is due); nothing is scheduled afterwards. */
  Set<Integer> due(Instant now) {
    scheduled = false;
    lastWrite = now;
    Set<Integer> out = Set.copyOf(changed);
    changed.clear();
    return out;
  }
}
