package org.abtest.analytics.ingest;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.analytics.pressure.ConsumerThrottle;
import org.abtest.analytics.units.PartitionState;
import org.abtest.analytics.units.PhaseDefinitions;
import org.abtest.analytics.units.UnitStateSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.kafka.ConsumerSettings;
import org.apache.pekko.kafka.Subscriptions;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events topic into unit-state actors, one stream and one actor per assigned partition. When
 * Kafka assigns a partition, its snapshot is loaded from Cassandra, an actor is started with it,
 * and the consumer seeks to the snapshot's offset: what the state has seen and where reading
 * resumes come from the same row, so a crash at any point neither loses nor repeats an event. The
 * consumer group never commits: a committed offset would become the consumer's position whenever a
 * seek is late in a rebalance, and records between the snapshot and it would be skipped (a 3-node
 * kill test lost events that way). For monitoring, the offsets the actors have applied are written
 * once a second, through the Admin API, to a separate group with no members ({@link
 * #monitoringGroup}), whose lag GET /v1/cluster and the usual Kafka tools read.
 */
public final class PartitionedIngestion {

  private static final Logger log = LoggerFactory.getLogger(PartitionedIngestion.class);

  /** The member-less group that holds the applied offsets of {@code groupId}, for monitoring. */
  public static String monitoringGroup(String groupId) {
    return groupId + "-applied";
  }

  private final Map<TopicPartition, Long> applied = new ConcurrentHashMap<>();

  public record Settings(
      String bootstrap,
      String topic,
      String groupId,
      Duration askTimeout,
      int batchSize,
      Duration batchWindow,
      UnitStateSettings unitState,
      long stateBudgetBytes,
      ConsumerThrottle throttle,
      UnitStateActor.Settings actor) {}

  private final ActorSystem<?> system;
  private final Settings settings;
  private final PartitionSnapshots snapshots;
  private final Admin admin;
  private final PartitionRestore restore;
  // assigned partitions that are not consumed (RestoreDecision.Action.REFUSE)
  private final Set<TopicPartition> refused = ConcurrentHashMap.newKeySet();
  private final Map<TopicPartition, ActorRef<UnitStateActor.Command>> actors =
      new ConcurrentHashMap<>();
  private final Map<ActorRef<UnitStateActor.Command>, CompletableFuture<Done>> stopped =
      new ConcurrentHashMap<>();
  private final AtomicLong incarnation = new AtomicLong();
  private final UnitStateBoard board;
  private final DoubleSupplier pressure;
  private final IngestionCounters counters = new IngestionCounters();

  private PartitionedIngestion(
      ActorSystem<?> system,
      Settings settings,
      UnitHasher hasher,
      PhaseDefinitions definitions,
      Predicate<String> covariateEvents,
      PartitionSnapshots snapshots,
      DoubleSupplier pressure) {
    this.system = system;
    this.settings = settings;
    this.board = new UnitStateBoard(settings.stateBudgetBytes());
    this.pressure = pressure;
    this.snapshots = snapshots;
    this.admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap()));
    this.restore =
        new PartitionRestore(
            snapshots,
            admin,
            settings.askTimeout(),
            hasher,
            definitions,
            covariateEvents,
            settings.unitState());
  }

  /**
   * @param definitions every phase of each experiment known, so that an exposure counts in the
   *     phase of its ts (PhaseRule)
   * @param covariateEvents metric event types kept as pre-exposure history for CUPED covariates
   * @param pressure the node's memory pressure (heap after GC, budgets), which slows the consumer
   *     as {@link Settings#throttle} says
   */
  public static PartitionedIngestion start(
      ActorSystem<?> system,
      Settings settings,
      UnitHasher hasher,
      PhaseDefinitions definitions,
      Predicate<String> covariateEvents,
      PartitionSnapshots snapshots,
      DoubleSupplier pressure) {
    PartitionedIngestion ingestion =
        new PartitionedIngestion(
            system, settings, hasher, definitions, covariateEvents, snapshots, pressure);
    ingestion.run();
    return ingestion;
  }

  /** The unit state's bytes, entries and pressure per owned partition (gauges, load shedding). */
  public UnitStateBoard unitState() {
    return board;
  }

  /** Snapshot housekeeping and restores: metrics, and the partitions refused now. */
  public SnapshotHealth snapshotHealth() {
    return snapshots.health();
  }

  /** Stream restarts and dropped stale batches (metrics). */
  public IngestionCounters counters() {
    return counters;
  }

  /** How many partitions this node's consumer owns now (one unit-state actor each). */
  public int assignedPartitions() {
    return actors.size();
  }

  private void run() {
    ConsumerSettings<String, byte[]> consumerSettings =
        ConsumerSettings.create(system, new StringDeserializer(), new ByteArrayDeserializer())
            .withBootstrapServers(settings.bootstrap())
            .withGroupId(settings.groupId())
            .withProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
            .withProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
            .withStopTimeout(Duration.ZERO);
    AtomicReference<Consumer.Control> control = new AtomicReference<>(Consumer.createNoopControl());
    ClusterSharding sharding = ClusterSharding.get(system);
    RestartSettings restart =
        RestartSettings.create(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.2);
    AtomicLong starts = new AtomicLong();
    RestartSource.onFailuresWithBackoff(
            restart,
            () -> {
              if (starts.getAndIncrement() > 0) {
                log.warn(
                    "events consumer stream restarted ({} so far)", counters.streamRestarted());
                // a restart resumes every partition from its snapshot, never with the old actors
                revoke(Set.copyOf(actors.keySet()));
              }
              return Consumer.plainPartitionedManualOffsetSource(
                      consumerSettings,
                      Subscriptions.topics(settings.topic()),
                      partitions -> assign(partitions, sharding),
                      this::revoke)
                  .mapMaterializedValue(
                      c -> {
                        control.set(c);
                        return c;
                      })
                  .mapAsyncUnordered(
                      1024,
                      pair -> {
                        // Bound once, when the partition's stream starts: after a rebalance the
                        // old stream may still deliver a few records, and they must not reach
                        // the new actor, which resumes from its snapshot's offset.
                        ActorRef<UnitStateActor.Command> actor = actors.get(pair.first());
                        if (refused.contains(pair.first())) {
                          return pair.second().runWith(Sink.never(), system);
                        }
                        return pair.second()
                            .groupedWithin(settings.batchSize(), settings.batchWindow())
                            .mapAsync(
                                1,
                                batch ->
                                    whenPressureAllows(Duration.ZERO)
                                        .thenCompose(
                                            ready -> applyBatch(pair.first(), actor, batch))
                                        .thenApply(
                                            done -> {
                                              if (actors.get(pair.first()) == actor) {
                                                applied.put(
                                                    pair.first(),
                                                    batch.get(batch.size() - 1).offset() + 1);
                                              }
                                              return done;
                                            }))
                            .runWith(Sink.ignore(), system);
                      });
            })
        .runWith(Sink.ignore(), system);

    Cancellable reporting =
        system
            .scheduler()
            .scheduleWithFixedDelay(
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                () -> reportApplied(admin),
                system.executionContext());
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseServiceStop(),
            "stop-partitioned-ingestion",
            () -> {
              reporting.cancel();
              admin.close(Duration.ofSeconds(1));
              return control.get().shutdown();
            });
  }

  /** Monitoring only: a failure (broker down) is retried by the next tick. */
  private void reportApplied(Admin admin) {
    if (applied.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    applied.forEach((tp, next) -> offsets.put(tp, new OffsetAndMetadata(next)));
    admin.alterConsumerGroupOffsets(monitoringGroup(settings.groupId()), offsets);
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
      List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> batch) {
    if (actor == null || actors.get(tp) != actor) {
      return stale(tp);
    }
    return PatientAsk.untilAnswered(
            () ->
                AskPattern.ask(
                    actor,
                    (ActorRef<Done> replyTo) -> new UnitStateActor.Apply(batch, replyTo),
                    settings.askTimeout(),
                    system.scheduler()),
            stopped.getOrDefault(actor, CompletableFuture.completedFuture(Done.getInstance())),
            () -> actors.get(tp) == actor,
            attempt ->
                log.warn(
                    "partition {}: its unit state has not applied a batch in {}; asking again",
                    tp,
                    settings.askTimeout().multipliedBy(attempt)))
        .handle(
            (done, error) ->
                error == null
                    ? CompletableFuture.completedFuture(done)
                    : actors.get(tp) != actor
                        ? stale(tp)
                        : CompletableFuture.<Done>failedFuture(error))
        .thenCompose(stage -> stage);
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

  /**
   * Loads each newly assigned partition's snapshot, starts its actor, and says where to read. A
   * partition revoked and assigned again within the same rebalance keeps its stream (the connector
   * closes a revoked partition's stream only after {@code wait-close-partition}, and not at all
   * when it comes back in time), so it keeps its actor too, and reading resumes at what that actor
   * has applied (records in flight beyond it come again and are skipped). Replacing its actor made
   * every later batch of the kept stream one for a replaced actor, which failed the whole consumer
   * stream: the restart loop under frequent rebalances (RebalanceIT).
   */
  private CompletionStage<Map<TopicPartition, Object>> assign(
      Set<TopicPartition> assigned, ClusterSharding sharding) {
    Map<TopicPartition, Object> offsets = new ConcurrentHashMap<>();
    Set<TopicPartition> partitions = new java.util.HashSet<>();
    for (TopicPartition tp : assigned) {
      Long position = continuing(tp);
      if (position == null) {
        partitions.add(tp);
      } else {
        offsets.put(tp, position);
        log.info("partition {} assigned again, continues at offset {}", tp, position);
      }
    }
    // A partition's old actor goes before its snapshot is decoded, and the snapshots are decoded
    // one after another: recovery then needs the heap of the states plus one snapshot's bytes, not
    // every state twice and every snapshot's bytes at once (a node with a small heap died in this
    // step, again at every restart).
    partitions.forEach(this::stopCurrent);
    CompletableFuture<Void> loads = CompletableFuture.completedFuture(null);
    for (TopicPartition tp : partitions) {
      loads =
          loads.thenCompose(
              ignored ->
                  restore
                      .restore(tp)
                      .thenAccept(
                          r -> {
                            offsets.put(tp, r.decision().from());
                            if (r.state() == null) {
                              // not consumed: its stream is never asked for a record
                              refused.add(tp);
                            } else {
                              refused.remove(tp);
                              replace(tp, r.state(), r.decision().from(), r.generation(), sharding);
                            }
                          })
                      .toCompletableFuture());
    }
    return loads.thenApply(v -> new HashMap<>(offsets));
  }

  /** The position of a partition whose actor is alive and still its owner here, else null. */
  private Long continuing(TopicPartition tp) {
    ActorRef<UnitStateActor.Command> current = actors.get(tp);
    return current != null && stopped.containsKey(current) ? applied.get(tp) : null;
  }

  private void stopCurrent(TopicPartition tp) {
    ActorRef<UnitStateActor.Command> old = actors.remove(tp);
    if (old != null) {
      old.tell(UnitStateActor.Stop.INSTANCE);
    }
  }

  private void replace(
      TopicPartition tp,
      PartitionState state,
      long next,
      long generation,
      ClusterSharding sharding) {
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
                sharding,
                settings.actor(),
                freshStopped,
                board),
            "unit-state-" + tp.partition() + "-" + incarnation.incrementAndGet(),
            DispatcherSelector.fromConfig("abtest.unit-state-dispatcher"));
    stopped.put(fresh, freshStopped);
    freshStopped.thenRun(() -> stopped.remove(fresh));
    applied.put(tp, next);
    ActorRef<UnitStateActor.Command> old = actors.put(tp, fresh);
    if (old != null) {
      old.tell(UnitStateActor.Stop.INSTANCE);
    }
  }

  private void revoke(Set<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      applied.remove(tp);
      if (refused.remove(tp)) {
        snapshots.health().released(tp.partition());
      }
      stopCurrent(tp);
    }
  }
}
