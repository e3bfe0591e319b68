package org.abtest.analytics.ingest;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.analytics.units.PhaseDefinitions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.kafka.ConsumerSettings;
import org.apache.pekko.kafka.Subscriptions;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events topic into unit-state actors, one stream and one actor per assigned partition. When
 * Kafka assigns a partition, its snapshot is loaded from Cassandra, an actor is started with it,
 * and the consumer seeks to the snapshot's offset: what the state has seen and where reading
 * resumes come from the same row, so a crash at any point neither loses nor repeats an event. The
 * consumer group never commits: a committed offset would become the consumer's position whenever a
 * seek is late in a rebalance, and records between the snapshot and it would be skipped (a 3-node
 * kill test lost events that way). The offsets applied go to a monitoring group instead ({@link
 * AppliedOffsets}); {@link PartitionOwners} keeps which actor owns which partition.
 */
public final class PartitionedIngestion {

  private static final Logger log = LoggerFactory.getLogger(PartitionedIngestion.class);

  /** The member-less group that holds the applied offsets of {@code groupId}, for monitoring. */
  public static String monitoringGroup(String groupId) {
    return groupId + "-applied";
  }

  private final ActorSystem<?> system;
  private final IngestionSettings settings;
  private final PartitionSnapshots snapshots;
  private final PartitionRestore restore;
  private final Admin admin;
  private final AppliedOffsets applied;
  private final PartitionOwners owners;
  private final PartitionStream partitionStream;
  private final UnitStateBoard board;
  private final IngestionCounters counters = new IngestionCounters();

  private PartitionedIngestion(
      ActorSystem<?> system,
      IngestionSettings settings,
      UnitHasher hasher,
      PhaseDefinitions definitions,
      Predicate<String> covariateEvents,
      PartitionSnapshots snapshots,
      DoubleSupplier pressure) {
    this.system = system;
    this.settings = settings;
    this.board = new UnitStateBoard(settings.stateBudgetBytes());
    this.snapshots = snapshots;
    this.admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap()));
    this.applied = new AppliedOffsets(settings.groupId());
    this.owners =
        new PartitionOwners(
            system,
            PartialsSink.sharded(ClusterSharding.get(system)),
            snapshots,
            snapshots.health(),
            settings.actor(),
            board,
            applied);
    this.partitionStream =
        new PartitionStream(system, settings, pressure, counters, owners, applied);
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
   *     as {@link IngestionSettings#throttle} says
   */
  public static PartitionedIngestion start(
      ActorSystem<?> system,
      IngestionSettings settings,
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
    return owners.size();
  }

  /**
   * The stream: the consumer's source of partition streams ({@link #consumer}), restarted with
   * backoff on a failure ({@link ConsumerRestarts}); each partition's records applied by its actor
   * ({@link #partitions}, {@link PartitionStream}); the applied offsets reported on a timer.
   */
  private void run() {
    AtomicReference<Consumer.Control> control = new AtomicReference<>(Consumer.createNoopControl());
    ConsumerRestarts.withBackoff(
            settings.restart(), () -> consumer(control).via(partitions()), this::restarted)
        .runWith(Sink.ignore(), system);
    Cancellable reporting =
        system
            .scheduler()
            .scheduleWithFixedDelay(
                settings.reportInterval(),
                settings.reportInterval(),
                () -> applied.report(admin),
                system.executionContext());
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseServiceStop(),
            "stop-partitioned-ingestion",
            () -> {
              reporting.cancel();
              admin.close(settings.adminCloseTimeout());
              return control.get().shutdown();
            });
  }

  /** A restart resumes every partition from its snapshot, never with the old actors. */
  private void restarted() {
    log.warn("events consumer stream restarted ({} so far)", counters.streamRestarted());
    owners.revoke(owners.partitions());
  }

  /** One source per assigned partition, each starting where its restored state says. */
  private Source<
          Pair<TopicPartition, Source<ConsumerRecord<String, byte[]>, NotUsed>>, Consumer.Control>
      consumer(AtomicReference<Consumer.Control> control) {
    ConsumerSettings<String, byte[]> consumerSettings =
        ConsumerSettings.create(system, new StringDeserializer(), new ByteArrayDeserializer())
            .withBootstrapServers(settings.bootstrap())
            .withGroupId(settings.groupId())
            .withProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
            .withProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
            .withStopTimeout(Duration.ZERO);
    return Consumer.plainPartitionedManualOffsetSource(
            consumerSettings, Subscriptions.topics(settings.topic()), this::assign, owners::revoke)
        .mapMaterializedValue(
            c -> {
              control.set(c);
              return c;
            });
  }

  /** Every assigned partition's stream, up to {@code maxPartitions} of them at once. */
  private Flow<Pair<TopicPartition, Source<ConsumerRecord<String, byte[]>, NotUsed>>, Done, NotUsed>
      partitions() {
    return Flow.<Pair<TopicPartition, Source<ConsumerRecord<String, byte[]>, NotUsed>>>create()
        .mapAsyncUnordered(
            settings.maxPartitions(), p -> partitionStream.run(p.first(), p.second()))
        .named("unit-state-partitions");
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
  private CompletionStage<Map<TopicPartition, Object>> assign(Set<TopicPartition> assigned) {
    Map<TopicPartition, Object> offsets = new ConcurrentHashMap<>();
    Set<TopicPartition> partitions = new HashSet<>();
    for (TopicPartition tp : assigned) {
      Long position = owners.continuing(tp);
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
    partitions.forEach(owners::stopCurrent);
    CompletableFuture<Void> loads = CompletableFuture.completedFuture(null);
    for (TopicPartition tp : partitions) {
      loads = loads.thenCompose(ignored -> restored(tp, offsets));
    }
    return loads.thenApply(v -> new HashMap<>(offsets));
  }

  /** Restores one partition, one after another (see {@link #assign}). */
  private CompletableFuture<Void> restored(TopicPartition tp, Map<TopicPartition, Object> offsets) {
    return restore.restore(tp).thenAccept(r -> started(tp, r, offsets)).toCompletableFuture();
  }

  /** Says where the partition is read from; its actor starts on the state, or it is refused. */
  private void started(
      TopicPartition tp, PartitionRestore.Restored r, Map<TopicPartition, Object> offsets) {
    offsets.put(tp, r.decision().from());
    if (r.state() == null) {
      owners.refuse(tp);
    } else {
      owners.start(tp, r.state(), r.decision().from(), r.generation());
    }
  }
}
