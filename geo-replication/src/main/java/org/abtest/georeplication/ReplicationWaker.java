package org.abtest.georeplication;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.EventsByTagQuery;
import org.apache.pekko.persistence.typed.ReplicationId;

/**
 * Keeps this region's experiment replicas replicating. A replica reads the other regions' events
 * only while it runs, and sharding passivates idle entities; so, once per region (a singleton),
 * this follows every other region's tag stream and wakes the local replica of each experiment that
 * another region wrote to. The woken replica then catches up from the last event it had of that
 * region, so nothing is skipped, even after this region was down.
 *
 * <p>The streams start from the beginning of the tag on every start (as the manifest projection
 * does): each experiment is woken once, then at most once per {@code minInterval} while events
 * flow.
 */
public final class ReplicationWaker {

  private ReplicationWaker() {}

  /** From a tag stream to the actor, never across nodes. */
  private record Seen(String key) implements NoSerializationVerificationNeeded {}

  public static Behavior<Object> create(
      Set<String> otherRegions,
      ClusterSharding sharding,
      String readJournalId,
      Duration minInterval,
      Clock clock) {
    return Behaviors.setup(
        ctx -> {
          EventsByTagQuery journal =
              PersistenceQuery.get(ctx.getSystem())
                  .getReadJournalFor(EventsByTagQuery.class, readJournalId);
          ActorRef<Object> self = ctx.getSelf();
          for (String other : otherRegions) {
            ManifestTags.follow(journal, other)
                .filter(env -> env.event() instanceof ExperimentEntity.Event)
                .map(env -> new Seen(ReplicationId.fromString(env.persistenceId()).entityId()))
                .runForeach(self::tell, ctx.getSystem());
          }
          Map<String, Long> lastWake = new HashMap<>();
          long gapMillis = minInterval.toMillis();
          return Behaviors.receive(Object.class)
              .onMessage(
                  Seen.class,
                  seen -> {
                    long now = clock.millis();
                    Long last = lastWake.get(seen.key());
                    if (last == null || now - last >= gapMillis) {
                      lastWake.put(seen.key(), now);
                      sharding
                          .entityRefFor(ExperimentEntity.ENTITY_TYPE_KEY, seen.key())
                          .tell(ExperimentEntity.Wake.INSTANCE);
                    }
                    return Behaviors.same();
                  })
              .build();
        });
  }
}
