package org.abtest.node;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import org.abtest.analytics.calculator.CalculatorLimits;
import org.abtest.georeplication.GeoReplication;
import org.abtest.http.ApiRoutes;
import org.abtest.http.ApiServices;
import org.abtest.http.RequestLimits;
import org.abtest.http.limits.EdgeSettings;
import org.abtest.node.aggregation.Aggregation;
import org.abtest.node.assignment.EvaluatorActor;
import org.abtest.node.assignment.LocalAssignmentService;
import org.abtest.node.assignment.ManifestExposureCheck;
import org.abtest.node.assignment.ManifestHealth;
import org.abtest.node.assignment.ManifestHolder;
import org.abtest.node.assignment.ManifestVersions;
import org.abtest.node.credentials.DevCredentials;
import org.abtest.node.credentials.NodeCredentials;
import org.abtest.node.events.EventsPath;
import org.abtest.node.events.KafkaEventService;
import org.abtest.node.experiments.JournalHistory;
import org.abtest.node.experiments.ShardedExperimentService;
import org.abtest.node.pressure.NodePressure;
import org.abtest.node.results.EngineAnalysisService;
import org.abtest.node.results.Results;
import org.abtest.node.status.ClusterStatus;
import org.abtest.node.status.NodeReadiness;
import org.abtest.node.status.PendingReleasesGauge;
import org.abtest.node.sticky.CassandraStickyStore;
import org.abtest.node.sticky.StickySettings;
import org.abtest.node.sticky.StickyStore;
import org.abtest.node.webhooks.Webhooks;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one node's components in order: memory pressure, experiments and manifests, the evaluator,
 * the events path, credentials, aggregation and results, cluster status, then the HTTP binding,
 * which CoordinatedShutdown unbinds first on the way out. Each component parses its settings once
 * and has its own {@code init}; this class only wires them.
 */
public final class Node {

  private static final Logger log = LoggerFactory.getLogger(Node.class);

  /** What tests and Main get back: the bound address and the node's credentials. */
  public record Started(
      ServerBinding binding, DevCredentials credentials, ManifestHolder manifests) {}

  private Node() {}

  public static CompletionStage<Started> start(ActorSystem<?> system) {
    NodeSettings settings = NodeSettings.from(system.settings().config());
    Clock clock = Clock.systemUTC();
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    // First, so that the heap is watched while the rest starts (recovery included).
    NodePressure pressure = NodePressure.start(system, registry);
    GeoReplication.Started geo = GeoReplication.init(system, settings.regions(), clock);
    ManifestHolder manifests = evaluator(system, settings, geo, clock, registry);
    EventsPath events = EventsPath.init(system, settings, registry);
    CassandraSession stores = storesSession(system);
    NodeCredentials credentials = NodeCredentials.init(system, settings, stores, clock);
    Webhooks webhooks = Webhooks.init(system, settings, stores, clock, registry);
    credentials.store().withWebhooks(webhooks.store());
    var experiments =
        new ShardedExperimentService(
            system,
            geo.publisher(),
            new JournalHistory(system, settings.regions().self(), settings.askTimeout()),
            settings.askTimeout());
    experiments.announceTo(webhooks.dispatcher());
    Aggregation aggregation =
        Aggregation.init(
            system,
            manifests,
            experiments,
            settings.regions(),
            settings.askTimeout(),
            clock,
            pressure,
            registry,
            webhooks.dispatcher());
    system.systemActorOf(
        ManifestVersions.create(manifests, aggregation::assignedPartitions),
        "manifest-version",
        Props.empty());
    Results results = Results.init(system, settings, experiments, aggregation, stores, clock);
    StickyStore sticky =
        new CassandraStickyStore(
            stores,
            settings.journalKeyspace(),
            system.settings().config().getString("abtest.cassandra.replication"),
            StickySettings.from(system.settings().config()),
            clock,
            registry);
    ApiServices services =
        ApiServices.of(registry, clock)
            .withCredentialStore(credentials.store())
            .withExperiments(experiments)
            .withAssignments(
                new LocalAssignmentService(
                    manifests, events.exposures(), events.limits(), clock, registry, sticky))
            .withManifests(manifests)
            .withEvents(
                new KafkaEventService(
                    events.publisher(),
                    events.limits(),
                    new ManifestExposureCheck(manifests, settings.verifyExposures(), sticky),
                    registry))
            .withResults(results.service())
            .withAnalysis(
                new EngineAnalysisService(CalculatorLimits.fromConfig(system.settings().config())))
            .withReadiness(
                new NodeReadiness(
                    Cluster.get(system),
                    CassandraSessionRegistry.get(system).sessionFor("pekko.persistence.cassandra"),
                    events.admin(),
                    settings.readinessTimeout(),
                    manifests::degraded,
                    aggregation::refusedPartitions))
            .withCluster(ClusterStatus.init(system, settings, manifests, events.admin(), registry));
    return bind(system, settings, services, pressure)
        .thenApply(binding -> new Started(binding, credentials.dev(), manifests));
  }

  /** The manifest this node evaluates against, kept current by the evaluator actor. */
  private static ManifestHolder evaluator(
      ActorSystem<?> system,
      NodeSettings settings,
      GeoReplication.Started geo,
      Clock clock,
      PrometheusRegistry registry) {
    ManifestHolder manifests = new ManifestHolder(settings.endedExperiments(), clock::millis);
    ManifestHealth.register(registry, manifests);
    PendingReleasesGauge.start(
        system,
        geo.publisher(),
        settings.releaseGaugeInterval(),
        settings.askTimeout(),
        clock,
        registry);
    system.systemActorOf(
        EvaluatorActor.create(manifests, geo.publisher(), settings.evaluatorResendInterval()),
        "evaluator",
        Props.empty());
    return manifests;
  }

  /** Our own session for the stores beside the journal (not the persistence plugin's). */
  private static CassandraSession storesSession(ActorSystem<?> system) {
    return CassandraSessionRegistry.get(system).sessionFor(CassandraSessionSettings.create());
  }

  private static CompletionStage<ServerBinding> bind(
      ActorSystem<?> system, NodeSettings settings, ApiServices services, NodePressure pressure) {
    var config = system.settings().config();
    NodeSettings.Http http = settings.http();
    return Http.get(system)
        .newServerAt(http.host(), http.port())
        .bind(
            new ApiRoutes(
                    services,
                    RequestLimits.fromConfig(config),
                    EdgeSettings.fromConfig(config.getConfig("abtest.http")),
                    pressure)
                .handler(system))
        .thenApply(
            binding -> {
              binding.addToCoordinatedShutdown(http.unbindTimeout(), system);
              log.info(
                  "HTTP API listening on http://{}:{}",
                  http.host(),
                  binding.localAddress().getPort());
              return binding;
            });
  }
}
