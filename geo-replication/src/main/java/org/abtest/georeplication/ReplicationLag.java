package org.abtest.georeplication;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far behind this region is of each other region: for the newest event of each origin region
 * applied here, the time from its write there to its arrival here (by the two regions' clocks).
 * Thread-safe; written by the experiment replicas, read by {@code GET /v1/cluster}.
 */
public final class ReplicationLag {

  /** The newest replicated event of one origin region. */
  public record Observation(Instant writtenAt, Instant seenAt) {
    public long lagMillis() {
      return Math.max(0, Duration.between(writtenAt, seenAt).toMillis());
    }
  }

  private final Map<String, Observation> byRegion = new ConcurrentHashMap<>();

  public void record(String originRegion, Instant writtenAt, Instant seenAt) {
    byRegion.merge(
        originRegion,
        new Observation(writtenAt, seenAt),
        (old, now) -> now.seenAt().isBefore(old.seenAt()) ? old : now);
  }

  public Optional<Observation> of(String region) {
    return Optional.ofNullable(byRegion.get(region));
  }

  /** Per origin region, in name order. */
  public Map<String, Observation> snapshot() {
    return new TreeMap<>(byRegion);
  }
}
