package org.abtest.georeplication;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * How far behind this region sees each other region's writes: the cross-region replication path
 * records, per origin region, when an event was written there and when it arrived here; {@code GET
 * /v1/cluster} reads the latest of each. One instance per ActorSystem ({@link #get}); plain and
 * thread-safe, so tests build their own with {@code new ReplicationLag()}.
 */
public final class ReplicationLag implements Extension {

  /** The latest observation of one origin region. */
  public record Observation(long lastLagMs, Instant lastSeenAt) {}

  private final Map<String, Observation> latest = new ConcurrentHashMap<>();

  public ReplicationLag() {}

  public static ReplicationLag get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /**
   * An event written in {@code originRegion} at {@code writtenAt} was seen here at {@code seenAt}.
   * Clocks of two regions may disagree, so a negative difference counts as no lag. Observations may
   * arrive out of order from several streams: the one seen last wins, not the one recorded last.
   */
  public void record(String originRegion, Instant writtenAt, Instant seenAt) {
    Objects.requireNonNull(originRegion, "originRegion");
    long lagMs = Math.max(0, Duration.between(writtenAt, seenAt).toMillis());
    Observation next = new Observation(lagMs, seenAt);
    latest.merge(
        originRegion,
        next,
        (before, candidate) ->
            candidate.lastSeenAt().isBefore(before.lastSeenAt()) ? before : candidate);
  }

  /** Every origin region observed so far, by name; a copy, unaffected by later records. */
  public Map<String, Observation> snapshot() {
    return new TreeMap<>(latest);
  }

  /** The per-system instance; a typed extension so every component of a node finds the same. */
  public static final class Id extends ExtensionId<ReplicationLag> {
    static final Id INSTANCE = new Id();

    private Id() {}

    @Override
    public ReplicationLag createExtension(ActorSystem<?> system) {
      return new ReplicationLag();
    }
  }
}
