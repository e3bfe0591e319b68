package org.abtest.analytics.ingest;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.abtest.analytics.units.PartitionState;
import org.apache.kafka.common.TopicPartition;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

/**
 * Which unit-state actor owns each partition assigned to this node, and which assigned partitions
 * are refused (not consumed: {@link RestoreDecision.Action#REFUSE}). An actor is replaced, never
 * reused, when its partition is restored again; a batch bound to an actor that is no longer the
 * owner is stale ({@link #owns}).
 */
final class PartitionOwners {

  private final ActorSystem<?> system;
  private final PartialsSink partials;
  private final SnapshotWriter snapshots;
  private final SnapshotHealth health;
  private final UnitStateActor.Settings settings;
  private final UnitStateBoard board;
  private final AppliedOffsets applied;
  private final Set<TopicPartition> refused = ConcurrentHashMap.newKeySet();
  private final Map<TopicPartition, ActorRef<UnitStateActor.Command>> actors =
      new ConcurrentHashMap<>();
  private final Map<ActorRef<UnitStateActor.Command>, CompletableFuture<Done>> stopped =
      new ConcurrentHashMap<>();
  private final AtomicLong incarnation = new AtomicLong();

  PartitionOwners(
      ActorSystem<?> system,
      PartialsSink partials,
      SnapshotWriter snapshots,
      SnapshotHealth health,
      UnitStateActor.Settings settings,
      UnitStateBoard board,
      AppliedOffsets applied) {
    this.system = system;
    this.partials = partials;
    this.snapshots = snapshots;
    this.health = health;
    this.settings = settings;
    this.board = board;
    this.applied = applied;
  }

  /** The partition's actor now, or null. */
  ActorRef<UnitStateActor.Command> actor(TopicPartition tp) {
    return actors.get(tp);
  }

  boolean owns(TopicPartition tp, ActorRef<UnitStateActor.Command> actor) {
    return actor != null && actors.get(tp) == actor;
  }

  boolean isRefused(TopicPartition tp) {
    return refused.contains(tp);
  }

  int size() {
    return actors.size();
  }

  Set<TopicPartition> partitions() {
    return Set.copyOf(actors.keySet());
  }

  /** Completes when the actor has stopped (done at once for an unknown one). */
  CompletableFuture<Done> stopped(ActorRef<UnitStateActor.Command> actor) {
    return stopped.getOrDefault(actor, CompletableFuture.completedFuture(Done.getInstance()));
  }

  /** The position of a partition whose actor is alive and still its owner here, else null. */
  Long continuing(TopicPartition tp) {
    ActorRef<UnitStateActor.Command> current = actors.get(tp);
    return current != null && stopped.containsKey(current) ? applied.next(tp) : null;
  }

  void stopCurrent(TopicPartition tp) {
    ActorRef<UnitStateActor.Command> old = actors.remove(tp);
    if (old != null) {
      old.tell(UnitStateActor.Stop.INSTANCE);
    }
  }

  /** Not consumed: its stream is never asked for a record. */
  void refuse(TopicPartition tp) {
    refused.add(tp);
  }

  /** Starts a fresh actor on a restored state, reading on at {@code next}. */
  void start(TopicPartition tp, PartitionState state, long next, long generation) {
    refused.remove(tp);
    CompletableFuture<Done> freshStopped = new CompletableFuture<>();
    ActorRef<UnitStateActor.Command> fresh =
        system.systemActorOf(
            UnitStateActor.create(
                tp.topic(),
                tp.partition(),
                state,
                next,
                generation,
                snapshots,
                partials,
                settings,
                freshStopped,
                board),
            "unit-state-" + tp.partition() + "-" + incarnation.incrementAndGet(),
            DispatcherSelector.fromConfig("abtest.unit-state-dispatcher"));
    stopped.put(fresh, freshStopped);
    freshStopped.thenRun(() -> stopped.remove(fresh));
    applied.applied(tp, next);
    ActorRef<UnitStateActor.Command> old = actors.put(tp, fresh);
    if (old != null) {
      old.tell(UnitStateActor.Stop.INSTANCE);
    }
  }

  void revoke(Set<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      applied.forget(tp);
      if (refused.remove(tp)) {
        health.released(tp.partition());
      }
      stopCurrent(tp);
    }
  }
}
