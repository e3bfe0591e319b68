package org.abtest.analytics.units;

import java.time.Duration;

/**
 * Bounds of one partition's unit state. Times are stream time (the log's record times).
 *
 * @param dedupWindow how long an event id is remembered (at least; up to one bucket longer)
 * @param dedupBuckets how many time buckets the window is cut into (memory frees one at a time)
 * @param hold how long a metric event waits for an exposure that arrives after it
 * @param holdPerUnit most events held for one unit (the oldest give way)
 * @param holdTotal most events held in the partition (the oldest give way)
 */
public record UnitStateSettings(
    Duration dedupWindow, int dedupBuckets, Duration hold, int holdPerUnit, int holdTotal) {

  public static final UnitStateSettings DEFAULTS =
      new UnitStateSettings(Duration.ofHours(24), 24, Duration.ofSeconds(60), 64, 1_000_000);
}
