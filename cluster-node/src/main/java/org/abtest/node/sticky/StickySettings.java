package org.abtest.node.sticky;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Locale;

/** {@code abtest.sticky} (sticky.conf), parsed once. */
public record StickySettings(
    long cacheBytes,
    Duration cacheTtl,
    Duration readTimeout,
    int maxReadsInFlight,
    int maxWritesInFlight,
    int maxWritesPerSecond,
    Duration rowTtl,
    DefaultConsistencyLevel consistency,
    boolean createTables) {

  public StickySettings {
    if (cacheBytes < 0 || maxReadsInFlight < 0 || maxWritesInFlight < 0) {
      throw new IllegalArgumentException("abtest.sticky: budgets must not be negative");
    }
    if (maxWritesPerSecond < 1) {
      throw new IllegalArgumentException("abtest.sticky.max-writes-per-second must be positive");
    }
    if (rowTtl.toSeconds() < 1 || rowTtl.toSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("abtest.sticky.row-ttl must be 1 s to 68 years");
    }
  }

  public static StickySettings from(Config config) {
    Config c = config.getConfig("abtest.sticky");
    String level = c.getString("consistency");
    DefaultConsistencyLevel consistency;
    try {
      consistency = DefaultConsistencyLevel.valueOf(level.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "abtest.sticky.consistency: '" + level + "' is no consistency level", e);
    }
    return new StickySettings(
        c.getBytes("cache-bytes"),
        c.getDuration("cache-ttl"),
        c.getDuration("read-timeout"),
        c.getInt("max-reads-in-flight"),
        c.getInt("max-writes-in-flight"),
        c.getInt("max-writes-per-second"),
        c.getDuration("row-ttl"),
        consistency,
        c.getBoolean("tables-autocreate"));
  }
}
