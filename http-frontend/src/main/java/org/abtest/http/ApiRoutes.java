package org.abtest.http;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.http.ports.AnalysisService;
import org.abtest.http.ports.AssignmentService;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.ClusterService;
import org.abtest.http.ports.CredentialService;
import org.abtest.http.ports.EventService;
import org.abtest.http.ports.ExperimentService;
import org.abtest.http.ports.LoadShedding;
import org.abtest.http.ports.ManifestService;
import org.abtest.http.ports.ReadinessCheck;
import org.abtest.http.ports.ResultsService;
import org.abtest.http.routes.AnalysisRoutes;
import org.abtest.http.routes.ApiDirectives;
import org.abtest.http.routes.AssignmentRoutes;
import org.abtest.http.routes.ClusterRoutes;
import org.abtest.http.routes.ConsoleRoutes;
import org.abtest.http.routes.CredentialRoutes;
import org.abtest.http.routes.EventRoutes;
import org.abtest.http.routes.EventShedding;
import org.abtest.http.routes.ExperimentRoutes;
import org.abtest.http.routes.HealthRoutes;
import org.abtest.http.routes.LayerRoutes;
import org.abtest.http.routes.ManifestRoutes;
import org.abtest.http.routes.MetricsRoutes;
import org.abtest.http.routes.ResultRoutes;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.function.Function;

/** Every route of the node, with request metrics and JSON errors for whatever no route takes. */
public final class ApiRoutes extends AllDirectives {

  /** What the routes call; the node wires real implementations, route tests wire fakes. */
  public record Services(
      Authenticator authenticator,
      ExperimentService experiments,
      CredentialService credentials,
      AssignmentService assignments,
      ManifestService manifests,
      EventService events,
      ResultsService results,
      AnalysisService analysis,
      ReadinessCheck readiness,
      ClusterService cluster,
      PrometheusRegistry registry,
      Clock clock) {}

  private static final String ASSIGNMENTS = "/v1/assignments";

  private final Services services;
  private final HttpMetrics metrics;
  private final AssignmentRoutes assignmentRoutes;
  private final LoadShedding shedding;
  private final EventShedding eventShedding;

  public ApiRoutes(Services services) {
    this(services, LoadShedding.NEVER);
  }

  /** With {@code shedding}: events are refused with 503 while the node is short of memory. */
  public ApiRoutes(Services services, LoadShedding shedding) {
    this.services = services;
    this.shedding = shedding;
    this.eventShedding = new EventShedding(shedding, services.registry());
    this.metrics = new HttpMetrics(services.registry());
    this.assignmentRoutes = new AssignmentRoutes(services.authenticator(), services.assignments());
  }

  /**
   * What the node binds: a complete {@code POST /v1/assignments} (a strict body, as clients send
   * it) goes straight to its handler, skipping the routing tree; the hottest request of the API
   * then costs its own work and little else. Everything else, including a streamed assignment body,
   * takes {@link #route()}. Both record the same request metrics.
   */
  public Function<HttpRequest, CompletionStage<HttpResponse>> handler(
      ClassicActorSystemProvider system) {
    Function<HttpRequest, CompletionStage<HttpResponse>> routed = route().handler(system);
    HttpMetrics.Endpoint metered = metrics.endpoint("assignments", "POST");
    return request -> {
      if (HttpMethods.POST.equals(request.method())
          && request.entity() instanceof HttpEntity.Strict strict
          && ASSIGNMENTS.equals(request.getUri().path())) {
        long start = System.nanoTime();
        HttpResponse response =
            assignmentRoutes.post(
                request.getHeader("Authorization").map(HttpHeader::value),
                strict.getData().toArray());
        metered.record(response.status().intValue(), System.nanoTime() - start);
        return CompletableFuture.completedFuture(response);
      }
      return routed.apply(request);
    };
  }

  public Route route() {
    var auth = services.authenticator();
    // Built once: a route's construction is not free, and the lambdas below run per request.
    Route v1Routes =
        concat(
            assignmentRoutes.route(),
            new ResultRoutes(auth, services.results()).route(),
            new AnalysisRoutes(auth, services.analysis()).route(),
            new ExperimentRoutes(auth, services.experiments()).route(),
            new LayerRoutes(auth, services.experiments()).route(),
            new CredentialRoutes(auth, services.credentials()).route(),
            new ManifestRoutes(auth, services.manifests()).route(),
            eventShedding.guard(new EventRoutes(auth, services.events(), services.clock()).route()),
            new ClusterRoutes(auth, services.cluster()).route());
    Route v1 = pathPrefix("v1", () -> v1Routes);
    Route all =
        concat(
            v1,
            new HealthRoutes(services.readiness(), shedding).route(),
            new ConsoleRoutes().route(),
            new MetricsRoutes(services.registry()).route());
    Route guarded =
        handleExceptions(
            ExceptionHandler.newBuilder()
                .match(Throwable.class, e -> complete(ApiDirectives.error(e)))
                .build(),
            () -> handleRejections(JsonRejections.handler(), () -> all));
    return extractRequest(
        request -> {
          long start = System.nanoTime();
          return mapResponse(
              response -> {
                metrics.record(
                    resourceOf(request),
                    request.method().value(),
                    response.status().intValue(),
                    System.nanoTime() - start);
                return response;
              },
              () -> guarded);
        });
  }

  /** The resource, not the path: experiment keys and unit ids would explode the label set. */
  static String resourceOf(HttpRequest request) {
    String[] parts = request.getUri().path().split("/");
    if (parts.length > 2 && parts[1].equals("v1")) {
      return parts.length > 4 ? parts[2] + "/" + parts[4] : parts[2];
    }
    return parts.length > 1 ? parts[1] : "root";
  }
}
