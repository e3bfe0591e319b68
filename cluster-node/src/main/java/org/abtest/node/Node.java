package org.abtest.node;

import com.typesafe.config.Config;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.abtest.analytics.aggregate.ExperimentAggregator;
import org.abtest.analytics.bandit.BanditPolicy;
import org.abtest.analytics.calculator.CalculatorLimits;
import org.abtest.analytics.ingest.EventPublisher;
import org.abtest.analytics.ingest.PartitionedIngestion;
import org.abtest.georeplication.ExperimentEntity;
import org.abtest.georeplication.GeoReplication;
import org.abtest.georeplication.LayerEntity;
import org.abtest.georeplication.ReplicationLag;
import org.abtest.http.ApiRoutes;
import org.abtest.http.RequestLimits;
import org.abtest.http.limits.EdgeSettings;
import org.abtest.http.ports.EventLimits;
import org.abtest.node.adapters.Aggregation;
import org.abtest.node.adapters.CassandraCredentialStore;
import org.abtest.node.adapters.ClusterStatusService;
import org.abtest.node.adapters.DocumentResultsService;
import org.abtest.node.adapters.EngineAnalysisService;
import org.abtest.node.adapters.JournalHistory;
import org.abtest.node.adapters.KafkaConsumerLag;
import org.abtest.node.adapters.KafkaEventService;
import org.abtest.node.adapters.KafkaTopics;
import org.abtest.node.adapters.NodeReadiness;
import org.abtest.node.adapters.RegionTotalsPublisher;
import org.abtest.node.adapters.RegionalTotals;
import org.abtest.node.adapters.ShardedExperimentService;
import org.abtest.node.adapters.TotalsResultsService;
import org.abtest.node.assignment.EndedExperiments;
import org.abtest.node.assignment.EvaluatorActor;
import org.abtest.node.assignment.ExposureLog;
import org.abtest.node.assignment.LocalAssignmentService;
import org.abtest.node.assignment.ManifestExposureCheck;
import org.abtest.node.assignment.ManifestHealth;
import org.abtest.node.assignment.ManifestHolder;
import org.abtest.node.assignment.ManifestVersions;
import org.abtest.node.bandit.BanditUpdater;
import org.abtest.node.pressure.NodePressure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one node's components in order: entities, manifest publication and the evaluator, the
 * Kafka streams, then the HTTP binding, which CoordinatedShutdown unbinds first on the way out.
 */
public final class Node {

  private static final Logger log = LoggerFactory.getLogger(Node.class);

  /** What tests and Main get back: the bound address and the node's credentials. */
  public record Started(
      ServerBinding binding, DevCredentials credentials, ManifestHolder manifests) {}

  private Node() {}

  public static CompletionStage<Started> start(ActorSystem<?> system) {
    Config config = system.settings().config();
    Config abtest = config.getConfig("abtest");
    Duration askTimeout = abtest.getDuration("ask-timeout");
    Clock clock = Clock.systemUTC();
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    // First, so that the heap is watched while the rest starts (recovery included).
    NodePressure pressure = NodePressure.start(system, registry);

    ClusterSharding sharding = ClusterSharding.get(system);
    GeoReplication.Started geo = GeoReplication.init(system, clock);
    var publisherProxy = geo.publisher();
    ManifestHolder manifests =
        new ManifestHolder(
            new EndedExperiments.Settings(
                abtest.getDuration("events.ended-grace"), abtest.getBytes("events.ended-budget")),
            clock::millis);
    ManifestHealth.register(registry, manifests);
    org.abtest.node.adapters.PendingReleasesGauge.start(
        system,
        geo.publisher(),
        config.getDuration("abtest.manifest.release-gauge-interval"),
        askTimeout,
        clock,
        registry);
    system.systemActorOf(
        EvaluatorActor.create(manifests, publisherProxy, Duration.ofSeconds(1)),
        "evaluator",
        org.apache.pekko.actor.typed.Props.empty());
    AtomicReference<PartitionedIngestion> ingestion = new AtomicReference<>();
    org.abtest.analytics.ingest.UnitStateBoard.register(
        registry, () -> ingestion.get() == null ? null : ingestion.get().unitState());
    org.abtest.analytics.ingest.SnapshotHealth.register(
        registry, () -> ingestion.get() == null ? null : ingestion.get().snapshotHealth());
    org.abtest.analytics.ingest.IngestionCounters.register(
        registry, () -> ingestion.get() == null ? null : ingestion.get().counters());
    system.systemActorOf(
        ManifestVersions.create(
            manifests,
            () -> {
              PartitionedIngestion running = ingestion.get();
              return running == null ? 0 : running.assignedPartitions();
            }),
        "manifest-version",
        org.apache.pekko.actor.typed.Props.empty());

    Config kafka = abtest.getConfig("kafka");
    String bootstrap = kafka.getString("bootstrap");
    String topic = kafka.getString("topic");
    Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000));
    KafkaTopics.ensure(
        system,
        admin,
        topic,
        kafka.getInt("partitions"),
        (short) kafka.getInt("replication-factor"));
    EventPublisher publisher = EventPublisher.create(system, bootstrap, topic);
    EventLimits eventLimits =
        EventLimits.from(abtest.getConfig("events"), publisher.maxRecordBytes());
    Config exposureConfig = abtest.getConfig("exposure-log");
    ExposureLog exposures =
        new ExposureLog(
            system,
            publisher,
            new ExposureLog.Settings(
                exposureConfig.getInt("buffer-size"),
                exposureConfig.getInt("batch-size"),
                exposureConfig.getDuration("batch-window")),
            registry);

    CredentialSettings credentialSettings = CredentialSettings.from(config);
    credentialSettings.warnings().forEach(log::warn);
    DevCredentials credentials = credentialSettings.devCredentials();
    credentials.generatedNotice().ifPresent(System.out::println);
    // Our own session for the stores beside the journal (not the persistence plugin's).
    var storesSession =
        CassandraSessionRegistry.get(system)
            .sessionFor(
                org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings.create());
    var credentialStore =
        new CassandraCredentialStore(
            system,
            storesSession,
            config.getString("pekko.persistence.cassandra.journal.keyspace"),
            abtest.getBoolean("credentials.tables-autocreate"),
            credentials,
            abtest.getDuration("credentials.refresh-interval"),
            clock);
    credentialSettings
        .bootstrapAdmin()
        .ifPresent(first -> BootstrapAdminInit.start(system, credentialStore, first));

    var experiments =
        new ShardedExperimentService(
            system,
            publisherProxy,
            new JournalHistory(system, geo.region(), askTimeout),
            askTimeout);
    TotalsResultsService localTotals =
        Aggregation.init(
            system, manifests, experiments, askTimeout, clock, pressure, ingestion::set);
    var totals =
        new RegionalTotals(
            localTotals,
            storesSession,
            config.getString("pekko.persistence.cassandra.journal.keyspace"),
            geo.region(),
            geo.regions());
    RegionTotalsPublisher.init(
        system, totals, experiments, abtest.getDuration("regions-merge-interval"));
    Config bandit = abtest.getConfig("bandit");
    // One region moves bandit weights (from the merged totals), as one writes layers: the first
    // listed. Two regions rewriting the same weights would only fight over the same numbers.
    if (geo.region().equals(geo.layerHome())) {
      BanditUpdater.init(
          system,
          experiments,
          totals,
          new BanditPolicy(
              bandit.getDouble("min-share"),
              bandit.getLong("min-units"),
              bandit.getInt("min-change")),
          bandit.getDuration("interval"));
    }
    Config clusterStatus = abtest.getConfig("cluster-status");
    KafkaConsumerLag kafkaLag =
        new KafkaConsumerLag(
            admin,
            topic,
            // the offsets the unit-state actors applied, reported by the ingestion for monitoring
            org.abtest.analytics.ingest.PartitionedIngestion.monitoringGroup(
                kafka.getString("group-id")),
            clusterStatus.getDuration("kafka-timeout"),
            registry);
    Duration lagInterval = clusterStatus.getDuration("kafka-lag-interval");
    // keeps the gauge current for scrapes even when nobody looks at /v1/cluster
    system
        .scheduler()
        .scheduleWithFixedDelay(
            lagInterval, lagInterval, kafkaLag::status, system.executionContext());
    var cluster =
        new ClusterStatusService(
            system,
            geo.region(),
            // in the configured order, the same in every region (the console lists them so)
            abtest.hasPath("regions")
                ? new java.util.LinkedHashSet<>(abtest.getStringList("regions"))
                : geo.regions(),
            List.of(
                ExperimentEntity.ENTITY_TYPE_KEY,
                LayerEntity.ENTITY_TYPE_KEY,
                ExperimentAggregator.ENTITY_TYPE_KEY),
            manifests,
            ReplicationLag.get(system),
            kafkaLag,
            new ClusterStatusService.Settings(
                clusterStatus.getDuration("shard-stats-timeout"),
                clusterStatus.getDuration("version-timeout")));
    var services =
        new ApiRoutes.Services(
            credentialStore,
            experiments,
            credentialStore,
            new LocalAssignmentService(manifests, exposures, eventLimits, clock, registry),
            manifests,
            new KafkaEventService(
                publisher,
                eventLimits,
                new ManifestExposureCheck(manifests, abtest.getBoolean("events.verify-exposures")),
                registry),
            new DocumentResultsService(experiments, totals, localTotals),
            new EngineAnalysisService(CalculatorLimits.fromConfig(config)),
            new NodeReadiness(
                Cluster.get(system),
                CassandraSessionRegistry.get(system).sessionFor("pekko.persistence.cassandra"),
                admin,
                Duration.ofSeconds(2),
                manifests::degraded,
                () ->
                    ingestion.get() == null
                        ? Map.of()
                        : ingestion.get().snapshotHealth().refused()),
            cluster,
            registry,
            clock);

    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseServiceStop(),
            "close-kafka-clients",
            () -> {
              admin.close(Duration.ofSeconds(2));
              return publisher.close();
            });

    String host = abtest.getString("http.host");
    int port = abtest.getInt("http.port");
    return Http.get(system)
        .newServerAt(host, port)
        .bind(
            new ApiRoutes(
                    services,
                    RequestLimits.fromConfig(config),
                    EdgeSettings.fromConfig(abtest.getConfig("http")),
                    pressure)
                .handler(system))
        .thenApply(
            binding -> {
              binding.addToCoordinatedShutdown(Duration.ofSeconds(10), system);
              log.info(
                  "HTTP API listening on http://{}:{}", host, binding.localAddress().getPort());
              return new Started(binding, credentials, manifests);
            });
  }
}
