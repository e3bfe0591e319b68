package org.abtest.analytics.ingest;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.DoubleSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One assigned partition's records into its unit-state actor: in batches ({@link #batches}), each
 * applied once the memory pressure allows and then reported as applied ({@link #appliedBy}).
 */
final class PartitionStream {

  // the lines it logs were the ingestion's before it was split out, and keep their logger
  private static final Logger log = LoggerFactory.getLogger(PartitionedIngestion.class);

  /**
   * One batch of a partition at a time, never more: the actor skips records below the offset it has
   * reached, so a batch overtaking the one before it (their pressure waits differ) would make it
   * skip the earlier batch's records for good.
   */
  private static final int IN_ORDER = 1;

  private final ActorSystem<?> system;
  private final IngestionSettings settings;
  private final DoubleSupplier pressure;
  private final IngestionCounters counters;
  private final PartitionOwners owners;
  private final AppliedOffsets applied;

  PartitionStream(
      ActorSystem<?> system,
      IngestionSettings settings,
      DoubleSupplier pressure,
      IngestionCounters counters,
      PartitionOwners owners,
      AppliedOffsets applied) {
    this.system = system;
    this.settings = settings;
    this.pressure = pressure;
    this.counters = counters;
    this.owners = owners;
    this.applied = applied;
  }

  /** Runs the partition's records into the actor that owns it now; a refused one is not read. */
  CompletionStage<Done> run(TopicPartition tp, Source<ConsumerRecord<String, byte[]>, NotUsed> in) {
    // Bound once, when the partition's stream starts: after a rebalance the old stream may still
    // deliver a few records, and they must not reach the new actor, which resumes from its
    // snapshot's offset.
    ActorRef<UnitStateActor.Command> actor = owners.actor(tp);
    if (owners.isRefused(tp)) {
      return in.runWith(Sink.never(), system);
    }
    return in.via(batches())
        .via(appliedBy(tp, actor))
        .named("unit-state-partition-" + tp.partition())
        .runWith(Sink.ignore(), system);
  }

  /** Records in batches of {@code batchSize}, or fewer after {@code batchWindow}. */
  Flow<ConsumerRecord<String, byte[]>, List<ConsumerRecord<String, byte[]>>, NotUsed> batches() {
    return Flow.<ConsumerRecord<String, byte[]>>create()
        .groupedWithin(settings.batchSize(), settings.batchWindow())
        .named("unit-state-batches");
  }

  /** Each batch applied by {@code actor}, one after the other, when the pressure allows. */
  Flow<List<ConsumerRecord<String, byte[]>>, Done, NotUsed> appliedBy(
      TopicPartition tp, ActorRef<UnitStateActor.Command> actor) {
    return Flow.<List<ConsumerRecord<String, byte[]>>>create()
        .mapAsync(IN_ORDER, batch -> applyWhenAllowed(tp, actor, batch))
        .named("unit-state-apply");
  }

  private CompletionStage<Done> applyWhenAllowed(
      TopicPartition tp,
      ActorRef<UnitStateActor.Command> actor,
      List<ConsumerRecord<String, byte[]>> batch) {
    return whenPressureAllows(Duration.ZERO)
        .thenCompose(ready -> applyBatch(tp, actor, batch))
        .thenApply(done -> reportApplied(tp, actor, batch, done));
  }

  /** What the actor applied is where the partition's monitoring offset stands, while it owns. */
  private Done reportApplied(
      TopicPartition tp,
      ActorRef<UnitStateActor.Command> actor,
      List<ConsumerRecord<String, byte[]>> batch,
      Done done) {
    if (owners.owns(tp, actor)) {
      applied.applied(tp, batch.get(batch.size() - 1).offset() + 1);
    }
    return done;
  }

  /**
   * Completes when a batch may be applied: at once below the throttle's threshold, otherwise after
   * waiting (bounded) for the pressure to fall. The stream waits with it: Kafka keeps the records.
   */
  private CompletionStage<Done> whenPressureAllows(Duration waited) {
    Duration wait = settings.throttle().nextWait(pressure.getAsDouble(), waited);
    if (wait.isZero()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    counters.paused(wait);
    return Patterns.after(
        wait,
        system.classicSystem().scheduler(),
        system.executionContext(),
        () -> whenPressureAllows(waited.plus(wait)));
  }

  private CompletionStage<Done> applyBatch(
      TopicPartition tp,
      ActorRef<UnitStateActor.Command> actor,
      List<ConsumerRecord<String, byte[]>> batch) {
    if (!owners.owns(tp, actor)) {
      return stale(tp);
    }
    return PatientAsk.untilAnswered(
            () -> ask(actor, batch),
            owners.stopped(actor),
            () -> owners.owns(tp, actor),
            attempt -> slow(tp, attempt))
        .handle((done, error) -> settled(tp, actor, done, error))
        .thenCompose(stage -> stage);
  }

  private CompletionStage<Done> ask(
      ActorRef<UnitStateActor.Command> actor, List<ConsumerRecord<String, byte[]>> batch) {
    return AskPattern.ask(
        actor,
        (ActorRef<Done> replyTo) -> new UnitStateActor.Apply(batch, replyTo),
        settings.askTimeout(),
        system.scheduler());
  }

  private void slow(TopicPartition tp, int attempt) {
    log.warn(
        "partition {}: its unit state has not applied a batch in {}; asking again",
        tp,
        settings.askTimeout().multipliedBy(attempt));
  }

  /** An ask that failed is a stale batch when the partition moved on, else the stream's failure. */
  private CompletionStage<Done> settled(
      TopicPartition tp, ActorRef<UnitStateActor.Command> actor, Done done, Throwable error) {
    if (error == null) {
      return CompletableFuture.completedFuture(done);
    }
    return owners.owns(tp, actor) ? CompletableFuture.failedFuture(error) : stale(tp);
  }

  /**
   * A batch whose partition was revoked or reassigned while it was in flight (a rebalance) is
   * dropped, not failed: the partition's next owner, here or on another node, resumes at its
   * snapshot's offset and reads these records again. Failing it failed the whole consumer stream,
   * whose restart joins the group as a new member, which is one more rebalance with batches in
   * flight: a restart loop under frequent rebalances (RebalanceIT). A batch refused by an actor
   * that is still the partition's owner still fails the stream, which restarts from the snapshots.
   */
  private CompletionStage<Done> stale(TopicPartition tp) {
    counters.staleBatchDropped();
    log.debug("partition {}: a batch in flight at its revoke is left to the next owner", tp);
    return CompletableFuture.completedFuture(Done.getInstance());
  }
}
