package org.abtest.node.adapters;

import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.abtest.analytics.aggregate.ExperimentAggregator;
import org.abtest.analytics.aggregate.ResultsTimeseries;
import org.abtest.analytics.aggregate.SeriesBuckets;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.analytics.ingest.IngestionSettings;
import org.abtest.analytics.ingest.PartitionSnapshots;
import org.abtest.analytics.ingest.PartitionedIngestion;
import org.abtest.analytics.ingest.SnapshotSettings;
import org.abtest.http.ports.ExperimentService;
import org.abtest.node.assignment.ManifestHolder;
import org.abtest.node.pressure.NodePressure;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts aggregation on a node: the per-experiment aggregators, then (once the node holds a
 * manifest) one stream and unit-state actor per assigned partition of the events topic. Returns the
 * results service that reads the aggregators.
 */
public final class Aggregation {

  private static final Logger log = LoggerFactory.getLogger(Aggregation.class);

  private Aggregation() {}

  /**
   * {@code started} receives the ingestion once its tables exist and it runs; its unit-state budget
   * is then registered with {@code pressure}, which also slows its consumer.
   */
  public static TotalsResultsService init(
      ActorSystem<?> system,
      ManifestHolder manifests,
      ExperimentService experiments,
      Duration askTimeout,
      Clock clock,
      NodePressure pressure,
      Consumer<PartitionedIngestion> started) {
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
            experiments::get,
            agg.getDuration("definition-refresh"),
            clock,
            multiRegion(abtest) ? abtest.getString("region") : null));

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
                PartitionedIngestion ingestion =
                    PartitionedIngestion.start(
                        system,
                        settings,
                        hasher,
                        definitions,
                        definitions::usesEvent,
                        snapshots,
                        pressure::level);
                pressure.register(ingestion.unitState());
                started.accept(ingestion);
              }
            });
    return new TotalsResultsService(
        experiments, ClusterSharding.get(system), timeseries, buckets, askTimeout, clock);
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

  private static boolean multiRegion(Config abtest) {
    return abtest.hasPath("regions") && abtest.getStringList("regions").size() > 1;
  }
}
