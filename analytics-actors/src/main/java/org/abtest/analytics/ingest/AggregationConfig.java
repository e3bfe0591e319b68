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
        aggregation.getInt("hold-total"));
  }
}
