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
        or(c, "max-covariate-entries", c::getInt, d.maxCovariateEntries()));
  }

  /**
   * {@code abtest.aggregation.state-budget}: the bytes all unit state of the node may take, either
   * a share of the heap ({@code "50%"} of {@code maxHeapBytes}, the JVM's {@code -Xmx}) or a size
   * ({@code 512MiB}). A share is what keeps the budget right when an operator changes the heap.
   */
  public static long stateBudgetBytes(Config aggregation, long maxHeapBytes) {
    String key = "state-budget";
    String value = aggregation.getString(key).trim();
    if (!value.endsWith("%")) {
      return aggregation.getBytes(key);
    }
    double percent;
    try {
      percent = Double.parseDouble(value.substring(0, value.length() - 1).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a size or a percentage, was " + value);
    }
    if (!(percent > 0 && percent <= 100)) {
      throw new IllegalArgumentException(key + " must be in (0%, 100%], was " + value);
    }
    return (long) (maxHeapBytes * percent / 100);
  }

  private static <T> T or(Config c, String key, Function<String, T> read, T otherwise) {
    return c.hasPath(key) ? read.apply(key) : otherwise;
  }
}
