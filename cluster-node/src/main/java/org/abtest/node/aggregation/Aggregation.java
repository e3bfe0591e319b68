package org.abtest.node.aggregation;

import com.typesafe.config.Config;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.abtest.analytics.aggregate.ExperimentAggregator;
import org.abtest.analytics.aggregate.ResultsTimeseries;
import org.abtest.analytics.aggregate.SeriesBuckets;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.analytics.ingest.IngestionCounters;
import org.abtest.analytics.ingest.IngestionSettings;
import org.abtest.analytics.ingest.PartitionSnapshots;
import org.abtest.analytics.ingest.PartitionedIngestion;
import org.abtest.analytics.ingest.SnapshotHealth;
import org.abtest.analytics.ingest.SnapshotSettings;
import org.abtest.analytics.ingest.UnitStateBoard;
import org.abtest.georeplication.Regions;
import org.abtest.http.ports.ExperimentService;
import org.abtest.node.assignment.ManifestHolder;
import org.abtest.node.pressure.NodePressure;
import org.abtest.node.results.RegionalTotals;
import org.abtest.node.webhooks.Announcement;
import org.abtest.protocol.experiment.Environments;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts aggregation on a node: the per-experiment aggregators, then (once the node holds a
 * manifest) one stream and unit-state actor per assigned partition of the events topic. Until the
 * ingestion runs, what it reports reads as empty; its gauges are registered at once.
 */
public final class Aggregation {

  private static final Logger log = LoggerFactory.getLogger(Aggregation.class);

  private final RegionalTotals.LocalAggregates aggregates;
  private final ResultsTimeseries timeseries;
  private final SeriesBuckets buckets;
  // set once, when the tables exist and the definitions are read
  private volatile PartitionedIngestion ingestion;

  private Aggregation(
      RegionalTotals.LocalAggregates aggregates,
      ResultsTimeseries timeseries,
      SeriesBuckets buckets) {
    this.aggregates = aggregates;
    this.timeseries = timeseries;
    this.buckets = buckets;
  }

  /** One ask of an experiment's aggregator in this region (any node's shard). */
  public RegionalTotals.LocalAggregates aggregates() {
    return aggregates;
  }

  /** The stored bucketed snapshots of the aggregators' totals. */
  public ResultsTimeseries timeseries() {
    return timeseries;
  }

  public SeriesBuckets buckets() {
    return buckets;
  }

  /** Partitions of the events topic this node's consumer owns now (0 before it runs). */
  public int assignedPartitions() {
    PartitionedIngestion running = ingestion;
    return running == null ? 0 : running.assignedPartitions();
  }

  /** Assigned partitions not consumed, with the reason (readiness). */
  public Map<Integer, String> refusedPartitions() {
    PartitionedIngestion running = ingestion;
    return running == null ? Map.of() : running.snapshotHealth().refused();
  }

  /**
   * Its unit-state budget is registered with {@code pressure} once the ingestion runs; the pressure
   * also slows its consumer.
   */
  public static Aggregation init(
      ActorSystem<?> system,
      ManifestHolder manifests,
      ExperimentService experiments,
      Regions regions,
      Duration askTimeout,
      Clock clock,
      NodePressure pressure,
      PrometheusRegistry registry,
      Consumer<Announcement> announcements) {
    Config abtest = system.settings().config().getConfig("abtest");
    Config agg = abtest.getConfig("aggregation");
    String keyspace = agg.getString("keyspace");
    CassandraSession session =
        CassandraSessionRegistry.get(system).sessionFor("pekko.persistence.cassandra");
    var snapshots = new PartitionSnapshots(session, keyspace, SnapshotSettings.from(agg));
    var timeseries = new ResultsTimeseries(session, keyspace);
    var buckets = buckets(agg.getConfig("timeseries"));
    ExperimentAggregator.init(
        system,
        new ExperimentAggregator.Settings(
            timeseries,
            agg.getDuration("timeseries.interval"),
            buckets,
            key -> experiments.get(Environments.experimentOf(key)),
            agg.getDuration("definition-refresh"),
            clock,
            regions.multiRegion() ? regions.self() : null,
            new GuardrailActions(experiments, registry, announcements)));
    ClusterSharding sharding = ClusterSharding.get(system);
    Aggregation aggregation =
        new Aggregation(
            key ->
                sharding
                    .entityRefFor(ExperimentAggregator.ENTITY_TYPE_KEY, key)
                    .ask(ExperimentAggregator.GetTotals::new, askTimeout),
            timeseries,
            buckets);
    UnitStateBoard.register(registry, () -> aggregation.running(PartitionedIngestion::unitState));
    SnapshotHealth.register(
        registry, () -> aggregation.running(PartitionedIngestion::snapshotHealth));
    IngestionCounters.register(registry, () -> aggregation.running(PartitionedIngestion::counters));

    var settings =
        IngestionSettings.from(
            abtest, askTimeout, pressure.consumerThrottle(), Runtime.getRuntime().maxMemory());
    var definitions =
        new ManifestDefinitions(
            manifests,
            new CassandraDefinitionHistory(
                session,
                keyspace,
                agg.getString("replication"),
                agg.getBoolean("tables-autocreate")),
            agg.getInt("max-stored-definitions"),
            agg.getInt("max-weight-epochs"),
            clock::millis);
    var hasher = new UnitHasher(abtest.getString("unit-hash-key"));
    Supplier<CompletionStage<?>> createTables =
        () ->
            session
                .executeDDL(
                    "CREATE KEYSPACE IF NOT EXISTS "
                        + keyspace
                        + " WITH replication = "
                        + agg.getString("replication"))
                .thenCompose(d -> snapshots.createTables())
                .thenCompose(d -> timeseries.createTable());
    CompletionStage<?> tables =
        agg.getBoolean("tables-autocreate")
            ? untilDone(system, createTables, TABLES_RETRY_MIN)
            : CompletableFuture.completedFuture(null);
    tables
        .thenCompose(d -> definitions.ready(system))
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                log.error("aggregation not started", error);
              } else {
                PartitionedIngestion running =
                    PartitionedIngestion.start(
                        system,
                        settings,
                        hasher,
                        definitions,
                        definitions::usesEvent,
                        snapshots,
                        pressure::level);
                pressure.register(running.unitState());
                aggregation.ingestion = running;
              }
            });
    return aggregation;
  }

  private <T> T running(Function<PartitionedIngestion, T> part) {
    PartitionedIngestion running = ingestion;
    return running == null ? null : part.apply(running);
  }

  private static final Duration TABLES_RETRY_MIN = Duration.ofSeconds(1);
  private static final Duration TABLES_RETRY_MAX = Duration.ofSeconds(30);

  /**
   * Runs {@code attempt} until it succeeds, waiting twice as long after each failure (up to 30 s):
   * the statements are idempotent ({@code IF NOT EXISTS}), and a fresh or busy Cassandra may time
   * out a schema change, which must delay aggregation, not stop it for the node's lifetime.
   */
  static CompletionStage<Void> untilDone(
      ActorSystem<?> system, Supplier<CompletionStage<?>> attempt, Duration wait) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    attempt
        .get()
        .whenComplete(
            (ok, error) -> {
              if (error == null) {
                done.complete(null);
                return;
              }
              log.warn(
                  "aggregation tables not created yet, trying again in {}: {}",
                  wait,
                  error.toString());
              Duration next =
                  wait.multipliedBy(2).compareTo(TABLES_RETRY_MAX) > 0
                      ? TABLES_RETRY_MAX
                      : wait.multipliedBy(2);
              system
                  .scheduler()
                  .scheduleOnce(
                      wait,
                      () ->
                          untilDone(system, attempt, next)
                              .whenComplete((v, e) -> done.complete(null)),
                      system.executionContext());
            });
    return done;
  }

  static SeriesBuckets buckets(Config series) {
    return new SeriesBuckets(
        series.getDuration("fine-bucket"),
        series.getDuration("fine-for"),
        series.getDuration("bucket"),
        series.getInt("max-rows"));
  }
}
