package org.abtest.analytics.ingest;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.abtest.analytics.aggregate.ExperimentAggregator;
import org.abtest.analytics.units.PartitionState;
import org.abtest.analytics.units.PartitionStateCodec;
import org.abtest.analytics.units.StateUsage;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.events.TrackedEventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.pekko.Done;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the unit state of one Kafka partition on this node (DESIGN.md §2). Applies record batches in
 * log order, publishes changed partials to the experiments' aggregators, and snapshots the state
 * together with the offset of the next record it has not applied. Records before that offset (a
 * redelivery after the consumer sought back) are skipped, so each record is applied once.
 */
public final class UnitStateActor {

  private static final Logger CLEANUP_LOG = LoggerFactory.getLogger(UnitStateActor.class);

  /** Local only: batches of Kafka records never cross the network. */
  public sealed interface Command extends NoSerializationVerificationNeeded {}

  /** A batch of the partition's records, in order; replies when they are applied. */
  public record Apply(List<ConsumerRecord<String, byte[]>> records, ActorRef<Done> replyTo)
      implements Command {}

  /** Stops (partition revoked): the next owner reloads the last snapshot and reads on from it. */
  public enum Stop implements Command {
    INSTANCE
  }

  private enum Publish implements Command {
    INSTANCE
  }

  private enum Snapshot implements Command {
    INSTANCE
  }

  private record SnapshotDone(long generation, long nextOffset, Throwable error)
      implements Command {}

  /**
   * @param snapshotInterval how often a snapshot is considered; {@code snapshotPolicy} says whether
   *     one is due
   */
  public record Settings(
      Duration publishInterval,
      Duration republishInterval,
      Duration snapshotInterval,
      SnapshotPolicy snapshotPolicy) {}

  private final ActorContext<Command> ctx;
  private final String topic;
  private final int partition;
  private final PartitionState state;
  private final SnapshotWriter snapshots;
  private final PartialsSink partials;
  private final Settings settings;
  private final UnitStateBoard board;
  private StateUsage reported;
  private long nextOffset;
  private long generation;
  private long snapshotOffset;
  private boolean snapshotting;
  private long lastSnapshotBytes;
  private long lastSnapshotAt = System.nanoTime();
  private long lastRepublish = System.nanoTime();

  private UnitStateActor(
      ActorContext<Command> ctx,
      String topic,
      int partition,
      PartitionState state,
      long nextOffset,
      long generation,
      SnapshotWriter snapshots,
      PartialsSink partials,
      Settings settings,
      UnitStateBoard board) {
    this.ctx = ctx;
    this.board = board;
    this.topic = topic;
    this.partition = partition;
    this.state = state;
    this.nextOffset = nextOffset;
    this.snapshotOffset = nextOffset;
    this.generation = generation;
    this.snapshots = snapshots;
    this.partials = partials;
    this.settings = settings;
  }

  /**
   * The actor of one partition: {@code stopped} completes however it ends, and it reports its
   * state's usage to {@code board} on every publish tick.
   */
  public static Behavior<Command> create(
      String topic,
      int partition,
      PartitionState state,
      long nextOffset,
      long generation,
      SnapshotWriter snapshots,
      PartialsSink partials,
      Settings settings,
      CompletableFuture<Done> stopped,
      UnitStateBoard board) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(Publish.INSTANCE, settings.publishInterval());
                  timers.startTimerWithFixedDelay(Snapshot.INSTANCE, settings.snapshotInterval());
                  UnitStateActor actor =
                      new UnitStateActor(
                          ctx,
                          topic,
                          partition,
                          state,
                          nextOffset,
                          generation,
                          snapshots,
                          partials,
                          settings,
                          board);
                  // A restarted partition says what it has, so aggregators never wait for news.
                  actor.publish(state.experiments());
                  return actor.behavior(timers, stopped);
                }));
  }

  /**
   * {@code stopped} completes however the actor ends, a failure included (the default supervision
   * of a typed actor stops it): the stream feeding it then stops asking and restarts the partition
   * from its snapshot instead of waiting for an answer that cannot come.
   */
  private Behavior<Command> behavior(
      TimerScheduler<Command> timers, CompletableFuture<Done> stopped) {
    return Behaviors.receive(Command.class)
        .onMessage(Apply.class, this::onApply)
        .onMessageEquals(Publish.INSTANCE, this::onPublish)
        .onMessageEquals(Snapshot.INSTANCE, this::onSnapshot)
        .onMessage(SnapshotDone.class, this::onSnapshotDone)
        .onMessageEquals(Stop.INSTANCE, () -> onStop(timers))
        .onSignal(
            PostStop.class,
            signal -> {
              stopped.complete(Done.getInstance());
              return Behaviors.same();
            })
        .build();
  }

  private Behavior<Command> onApply(Apply apply) {
    for (ConsumerRecord<String, byte[]> record : apply.records()) {
      if (record.offset() < nextOffset) {
        continue;
      }
      try {
        TrackedEvent event = TrackedEventCodec.read(record.value());
        state.apply(event, record.timestamp());
      } catch (IOException | RuntimeException e) {
        // Only the API writes this topic and it validates first; a record we cannot read is
        // skipped (and the skip is as deterministic as the log) rather than blocking the partition.
        ctx.getLog()
            .warn("skipping unreadable record {}/{}@{}", topic, partition, record.offset(), e);
      }
      nextOffset = record.offset() + 1;
    }
    apply.replyTo().tell(Done.getInstance());
    return Behaviors.same();
  }

  private Behavior<Command> onPublish() {
    reported = state.usage();
    board.report(partition, reported);
    if (System.nanoTime() - lastRepublish > settings.republishInterval().toNanos()) {
      lastRepublish = System.nanoTime();
      state.takeDirty();
      publish(state.experiments());
    } else {
      publish(state.takeDirty());
    }
    return Behaviors.same();
  }

  private void publish(Iterable<String> experiments) {
    for (String experiment : experiments) {
      partials.replace(
          experiment,
          new ExperimentAggregator.ReplacePartial(
              partition, nextOffset, state.partials(experiment)));
    }
  }

  private Behavior<Command> onSnapshot() {
    Duration sinceLast = Duration.ofNanos(System.nanoTime() - lastSnapshotAt);
    if (snapshotting
        || !settings
            .snapshotPolicy()
            .due(nextOffset - snapshotOffset, lastSnapshotBytes, sinceLast)) {
      return Behaviors.same();
    }
    snapshotting = true;
    // Encoded here, in the actor, so the bytes are exactly the state at nextOffset.
    List<byte[]> bytes = PartitionStateCodec.encodeChunks(state, PartitionSnapshots.CHUNK);
    lastSnapshotBytes = bytes.stream().mapToLong(b -> b.length).sum();
    lastSnapshotAt = System.nanoTime();
    // Unique per save (see PartitionSnapshots#save): never shared with another owner's writes.
    long next = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    long offset = nextOffset;
    ctx.pipeToSelf(
        snapshots.save(topic, partition, next, generation, bytes, offset),
        (done, error) -> new SnapshotDone(next, offset, error));
    return Behaviors.same();
  }

  private Behavior<Command> onSnapshotDone(SnapshotDone done) {
    snapshotting = false;
    if (done.error() != null) {
      ctx.getLog().warn("snapshot of {}/{} failed; will retry", topic, partition, done.error());
      discard(done.generation());
    } else {
      generation = done.generation();
      snapshotOffset = done.nextOffset();
    }
    return Behaviors.same();
  }

  /** Deletes a failed snapshot's chunks (never the head's set); a failure leaves it to a sweep. */
  private void discard(long failed) {
    snapshots
        .discardFailed(topic, partition, failed)
        .whenComplete(
            (outcome, error) -> {
              if (error != null) {
                CLEANUP_LOG.warn(
                    "chunks of failed snapshot {} of {}/{} not deleted; the sweep at the"
                        + " partition's next start will",
                    failed,
                    topic,
                    partition,
                    error);
              } else {
                CLEANUP_LOG.info(
                    "chunks of failed snapshot {} of {}/{}: {}", failed, topic, partition, outcome);
              }
            });
  }

  private Behavior<Command> onStop(TimerScheduler<Command> timers) {
    timers.cancelAll();
    board.forget(partition, reported);
    publish(state.experiments());
    return Behaviors.stopped();
  }
}
