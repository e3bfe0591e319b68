package org.abtest.analytics.ingest;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.function.Function;
import org.abtest.analytics.units.StateLimits;
import org.abtest.analytics.units.UnitStateSettings;

/** Reads {@code abtest.aggregation}; the node and the replay command read it the same way. */
public final class AggregationConfig {

  private AggregationConfig() {}

  public static UnitStateSettings unitState(Config aggregation) {
    return new UnitStateSettings(
        aggregation.getDuration("dedup-window"),
        aggregation.getInt("dedup-buckets"),
        aggregation.getDuration("hold"),
        aggregation.getInt("hold-per-unit"),
        aggregation.getInt("hold-total"),
        aggregation.hasPath("covariate-lookback")
            ? aggregation.getDuration("covariate-lookback")
            : UnitStateSettings.COVARIATE_LOOKBACK,
        aggregation.hasPath("covariate-slack")
            ? aggregation.getDuration("covariate-slack")
            : UnitStateSettings.COVARIATE_SLACK,
        aggregation.hasPath("covariate-events-per-unit")
            ? aggregation.getInt("covariate-events-per-unit")
            : UnitStateSettings.COVARIATE_EVENTS_PER_UNIT,
        limits(aggregation));
  }

  /** {@code abtest.aggregation.state-limits}; a missing key keeps its default. */
  static StateLimits limits(Config aggregation) {
    StateLimits d = StateLimits.DEFAULTS;
    Config c =
        aggregation.hasPath("state-limits")
            ? aggregation.getConfig("state-limits")
            : ConfigFactory.empty();
    return new StateLimits(
        or(c, "future-skew", c::getDuration, d.futureSkew()),
        or(c, "max-unit-entries", c::getLong, d.maxUnitEntries()),
        or(c, "max-covariate-entries", c::getInt, d.maxCovariateEntries()),
        or(c, "unit-budget", c::getBytes, d.unitBudgetBytes()),
        or(c, "held-budget", c::getBytes, d.heldBudgetBytes()),
        or(c, "dedup-budget", c::getBytes, d.dedupBudgetBytes()),
        or(c, "covariate-budget", c::getBytes, d.covariateBudgetBytes()));
  }

  private static <T> T or(Config c, String key, Function<String, T> read, T otherwise) {
    return c.hasPath(key) ? read.apply(key) : otherwise;
  }
}
