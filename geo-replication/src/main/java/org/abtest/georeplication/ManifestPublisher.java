package org.abtest.georeplication;

import java.time.Duration;
import org.abtest.protocol.CborSerializable;
import org.abtest.protocol.manifest.Manifest;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.RestartSource;

/**
 * Follows every experiment event through the journal's tag stream and publishes the resulting
 * manifest on the {@code manifest} topic, which every node's evaluator subscribes to. It runs once
 * per cluster (a singleton); after a move it rebuilds from the start of the journal, reproducing
 * the same versions, and evaluators ignore versions older than the one they hold.
 */
public final class ManifestPublisher {

  public static final String TOPIC = "manifest";

  public sealed interface Command extends CborSerializable {}

  /** Asks for the current manifest to be published again (an evaluator that just started). */
  public enum Resend implements Command {
    INSTANCE
  }

  /** From the tag stream to this actor; never leaves the JVM, so it is exempt from the check. */
  private record Applied(String key, ExperimentEntity.Event event)
      implements Command, NoSerializationVerificationNeeded {}

  private enum PublishTick implements Command {
    INSTANCE
  }

  /** Starts the singleton (on every node; it runs on one) and returns a proxy to it. */
  public static ActorRef<Command> init(ActorSystem<?> system, Duration publishDelay) {
    return ClusterSingleton.get(system)
        .init(SingletonActor.of(create(publishDelay), "manifest-publisher"));
  }

  /** The topic the manifests are published on; spawn one per node and subscribe to it. */
  public static Behavior<Topic.Command<Manifest>> topic() {
    return Topic.create(Manifest.class, TOPIC);
  }

  static Behavior<Command> create(Duration publishDelay) {
    return Behaviors.setup(
        ctx -> {
          ActorRef<Topic.Command<Manifest>> topic = ctx.spawn(topic(), "manifest-topic");
          CassandraReadJournal journal =
              PersistenceQuery.get(ctx.getSystem())
                  .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
          ActorRef<Command> self = ctx.getSelf();
          RestartSource.withBackoff(
                  RestartSettings.create(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.2),
                  () -> journal.eventsByTag(ExperimentEntity.TAG, Offset.noOffset()))
              .map(
                  envelope ->
                      new Applied(
                          PersistenceId.extractEntityId(envelope.persistenceId()),
                          (ExperimentEntity.Event) envelope.event()))
              .runForeach(self::tell, ctx.getSystem());
          ManifestState state = new ManifestState();
          return Behaviors.withTimers(
              timers ->
                  Behaviors.receive(Command.class)
                      .onMessage(
                          Applied.class,
                          applied -> {
                            state.apply(applied.key(), applied.event());
                            // Coalesce bursts (a rebuild replays every event) into one publication.
                            if (!timers.isTimerActive(PublishTick.INSTANCE)) {
                              timers.startSingleTimer(
                                  PublishTick.INSTANCE, PublishTick.INSTANCE, publishDelay);
                            }
                            return Behaviors.same();
                          })
                      .onMessageEquals(
                          PublishTick.INSTANCE,
                          () -> {
                            topic.tell(Topic.publish(state.toManifest()));
                            return Behaviors.same();
                          })
                      .onMessageEquals(
                          Resend.INSTANCE,
                          () -> {
                            topic.tell(Topic.publish(state.toManifest()));
                            return Behaviors.same();
                          })
                      .build());
        });
  }

  private ManifestPublisher() {}
}
