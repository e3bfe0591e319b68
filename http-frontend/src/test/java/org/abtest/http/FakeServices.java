package org.abtest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.abtest.http.ports.AnalysisService;
import org.abtest.http.ports.AssignmentService;
import org.abtest.http.ports.ClusterService;
import org.abtest.http.ports.EventLimits;
import org.abtest.http.ports.EventService;
import org.abtest.http.ports.ExperimentService;
import org.abtest.http.ports.ExposureCheck;
import org.abtest.http.ports.ManifestService;
import org.abtest.http.ports.PortFailure;
import org.abtest.http.ports.ReadinessCheck;
import org.abtest.http.ports.ResultsService;
import org.abtest.http.ports.Role;
import org.abtest.http.routes.TestEventLimits;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.Experiment;

/** In-memory ports for route tests: the routes' behaviour, not the actors', is under test here. */
final class FakeServices {

  static final String ADMIN = "admin-token";
  static final String SDK = "sdk-key";
  static final String VIEWER = "viewer-token";
  static final String EXPERIMENTER = "experimenter-token";

  final FakeExperiments experimentFake = new FakeExperiments();
  final Map<String, Experiment> experiments = experimentFake.experiments;
  final FakeCredentials credentials = new FakeCredentials();
  final List<TrackedEvent> published = new ArrayList<>();
  volatile boolean kafkaDown;

  /** The variant every unit is in, per running experiment, for the exposure check. */
  final Map<String, String> assignedVariants = new ConcurrentHashMap<>(Map.of("x", "a"));

  volatile boolean ready = true;
  volatile Map<String, String> lastOverrides = Map.of();
  volatile ManifestService.Served manifest;

  /** What the fake cluster port answers with. */
  volatile ClusterService.ClusterStatus clusterStatus =
      new ClusterService.ClusterStatus("local", List.of(), List.of(), null, null);

  /** Results documents the fake results port answers with, when set for a key. */
  final Map<String, JsonNode> resultDocuments = new ConcurrentHashMap<>();

  /** How often the results port was asked, per experiment key. */
  final Map<String, java.util.concurrent.atomic.AtomicInteger> resultPolls =
      new ConcurrentHashMap<>();

  ApiServices services() {
    credentials.known.put(ADMIN, Role.ADMIN);
    credentials.known.put(SDK, Role.SDK);
    credentials.known.put(VIEWER, Role.VIEWER);
    credentials.known.put(EXPERIMENTER, Role.EXPERIMENTER);
    ExperimentService experimentService = experimentFake;
    AssignmentService assignments =
        new AssignmentService() {
          @Override
          public EventLimits limits() {
            return TestEventLimits.STANDARD;
          }

          @Override
          public Result assign(String unit, JsonNode attributes, boolean log) {
            return assign(unit, attributes, log, Map.of());
          }

          @Override
          public Result assign(
              String unit, JsonNode attributes, boolean log, Map<String, String> overrides) {
            lastOverrides = overrides;
            return new AssignmentService.Result(
                unit,
                7,
                List.of(
                    new Assignment(
                        "exp",
                        overrides.getOrDefault("exp", "green"),
                        Json.mapper().createObjectNode())));
          }
        };
    ReadinessCheck readiness =
        () ->
            CompletableFuture.completedFuture(
                new ReadinessCheck.Readiness(
                    ready, ready ? List.of() : List.of("kafka does not answer")));
    EventService events =
        new EventService() {
          @Override
          public CompletionStage<Void> publish(List<TrackedEvent> events) {
            if (kafkaDown) {
              return CompletableFuture.failedFuture(PortFailure.unavailable("kafka down"));
            }
            synchronized (published) {
              published.addAll(events);
            }
            return CompletableFuture.completedFuture(null);
          }

          @Override
          public EventLimits limits() {
            return TestEventLimits.STANDARD;
          }

          @Override
          public ExposureCheck exposures() {
            // Every unit is in the one variant listed per experiment; no other experiment runs.
            return (experiment, variant, unit, attributes, ts) -> {
              String assigned = assignedVariants.get(experiment);
              if (assigned == null) {
                return ExposureCheck.Refused.UNKNOWN_EXPERIMENT;
              }
              return assigned.equals(variant)
                  ? new ExposureCheck.Valid(experiment, variant)
                  : ExposureCheck.Refused.INVALID_VARIANT;
            };
          }
        };
    ResultsService results =
        key -> {
          resultPolls
              .computeIfAbsent(key, k -> new java.util.concurrent.atomic.AtomicInteger())
              .incrementAndGet();
          JsonNode doc = resultDocuments.get(key);
          return doc != null
              ? CompletableFuture.completedFuture(doc)
              : experimentService
                  .get(org.abtest.protocol.experiment.Environments.experimentOf(key))
                  .thenApply(
                      e ->
                          (JsonNode)
                              Json.mapper()
                                  .createObjectNode()
                                  .put("experiment", e.key())
                                  .put("resultsKey", key));
        };
    // the calculator's JSON mapping is tested with the engine in analytics-actors and
    // cluster-node; here only what the routes do with the port's answers and failures
    AnalysisService analysis =
        (operation, body) ->
            body.path("kind").asText().equals("bad")
                ? CompletableFuture.failedFuture(
                    PortFailure.invalid(
                        "invalid_value", "kind must be mean, proportion or ratio", "kind"))
                : CompletableFuture.completedFuture(
                    Json.mapper()
                        .createObjectNode()
                        .put("operation", operation.name())
                        .set("body", body));
    return ApiServices.of(
            new PrometheusRegistry(),
            Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC))
        .withCredentialStore(credentials)
        .withExperiments(experimentService)
        .withAssignments(assignments)
        .withManifests(() -> Optional.ofNullable(manifest))
        .withEvents(events)
        .withResults(results)
        .withAnalysis(analysis)
        .withReadiness(readiness)
        .withCluster(() -> CompletableFuture.completedFuture(clusterStatus));
  }
}
