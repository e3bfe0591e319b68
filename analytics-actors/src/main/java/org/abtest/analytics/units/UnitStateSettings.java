package org.abtest.analytics.units;

import java.time.Duration;

/**
 * Bounds of one partition's unit state. Times are stream time (the log's record times).
 *
 * @param dedupWindow how long an event id is remembered (at least; up to one bucket longer)
 * @param dedupBuckets how many time buckets the window is cut into (memory frees one at a time)
 * @param hold how long a metric event waits for an exposure that arrives after it (at most {@link
 *     HeldEvents#MAX_HOLD_MILLIS}, about 12 days)
 * @param holdPerUnit most events held for one unit, the oldest giving way (at most 127)
 * @param holdTotal most events held in the partition, the oldest giving way (at most 2^24)
 * @param covariateLookback the CUPED pre-exposure window of a metric without an attribution window,
 *     and the longest of any metric (by event time, before the exposure)
 * @param covariateSlack how far (by event time) an exposure may lag the stream time when it is
 *     processed and still find all of its covariate window's earlier events: pre-exposure events
 *     are kept for {@code covariateLookback + covariateSlack} of stream time
 * @param covariateEventsPerUnit pre-exposure events kept one by one per unit and event type; older
 *     ones are folded into one sum (see {@link CovariateHistory})
 * @param limits caps (entries) and budgets (bytes) of the partition's state
 */
public record UnitStateSettings(
    Duration dedupWindow,
    int dedupBuckets,
    Duration hold,
    int holdPerUnit,
    int holdTotal,
    Duration covariateLookback,
    Duration covariateSlack,
    int covariateEventsPerUnit,
    StateLimits limits) {

  public static final Duration COVARIATE_LOOKBACK = Duration.ofDays(7);
  public static final Duration COVARIATE_SLACK = Duration.ofHours(1);
  public static final int COVARIATE_EVENTS_PER_UNIT = 4;

  public static final UnitStateSettings DEFAULTS =
      new UnitStateSettings(Duration.ofHours(24), 24, Duration.ofSeconds(60), 64, 1_000_000);

  public UnitStateSettings {
    if (hold.toMillis() > HeldEvents.MAX_HOLD_MILLIS) {
      throw new IllegalArgumentException("hold must be at most " + HeldEvents.MAX_HOLD_MILLIS);
    }
    if (holdPerUnit > HeldEvents.MAX_PER_UNIT) {
      throw new IllegalArgumentException(
          "hold-per-unit must be at most " + HeldEvents.MAX_PER_UNIT);
    }
    if (holdTotal > HeldEvents.MAX_SLOTS) {
      throw new IllegalArgumentException("hold-total must be at most " + HeldEvents.MAX_SLOTS);
    }
  }

  /** Settings with the default covariate bounds and limits. */
  public UnitStateSettings(
      Duration dedupWindow, int dedupBuckets, Duration hold, int holdPerUnit, int holdTotal) {
    this(
        dedupWindow,
        dedupBuckets,
        hold,
        holdPerUnit,
        holdTotal,
        COVARIATE_LOOKBACK,
        COVARIATE_SLACK,
        COVARIATE_EVENTS_PER_UNIT,
        StateLimits.DEFAULTS);
  }

  /** The same with other covariate bounds. */
  public UnitStateSettings withCovariate(Duration lookback, Duration slack, int eventsPerUnit) {
    return new UnitStateSettings(
        dedupWindow,
        dedupBuckets,
        hold,
        holdPerUnit,
        holdTotal,
        lookback,
        slack,
        eventsPerUnit,
        limits);
  }

  /** The same with other caps and budgets. */
  public UnitStateSettings withLimits(StateLimits other) {
    return new UnitStateSettings(
        dedupWindow,
        dedupBuckets,
        hold,
        holdPerUnit,
        holdTotal,
        covariateLookback,
        covariateSlack,
        covariateEventsPerUnit,
        other);
  }
}
