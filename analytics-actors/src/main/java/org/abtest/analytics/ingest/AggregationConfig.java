package org.abtest.analytics.ingest;

import com.typesafe.config.Config;
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
            : UnitStateSettings.COVARIATE_EVENTS_PER_UNIT);
  }
}
