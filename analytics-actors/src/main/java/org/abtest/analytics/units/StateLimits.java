package org.abtest.analytics.units;

import java.time.Duration;

/**
 * Caps of one partition's unit state. Caps count entries, never bytes, so that a replay and a state
 * restored from a snapshot (whose arrays are sized differently) refuse exactly what the live run
 * refused. The bytes are bounded node-wide, over every partition the node owns, by the unit-state
 * budget ({@code abtest.aggregation.state-budget}, a share of the heap), which sheds events at the
 * edge and slows the consumer before the heap runs out.
 *
 * @param futureSkew how far past the stream time a metric event's ts may be and still be kept as
 *     pre-exposure history: a later one could only matter to an exposure dated that far ahead, and
 *     would otherwise stay in the heap until the stream reached its ts (year 9999: for good)
 * @param maxUnitEntries units × experiment phases; past it a new unit's first exposure is refused
 *     (counted) and the units already in keep counting
 * @param maxCovariateEntries units × event types with pre-exposure history; past it a new entry is
 *     refused (counted): its unit gets a smaller covariate, CUPED stays unbiased
 */
public record StateLimits(Duration futureSkew, long maxUnitEntries, int maxCovariateEntries) {

  public static final StateLimits DEFAULTS =
      new StateLimits(Duration.ofHours(1), 4_000_000, 2_000_000);

  public StateLimits {
    if (futureSkew.isNegative()) {
      throw new IllegalArgumentException("future-skew must not be negative");
    }
    if (maxUnitEntries < 0 || maxCovariateEntries < 0) {
      throw new IllegalArgumentException("max-unit-entries and max-covariate-entries must be >= 0");
    }
  }
}
