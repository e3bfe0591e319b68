package org.abtest.http;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import org.abtest.http.ports.AnalysisService;
import org.abtest.http.ports.AssignmentService;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.ClusterService;
import org.abtest.http.ports.CredentialService;
import org.abtest.http.ports.EventService;
import org.abtest.http.ports.ExperimentService;
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
import org.abtest.http.routes.ExperimentRoutes;
import org.abtest.http.routes.HealthRoutes;
import org.abtest.http.routes.LayerRoutes;
import org.abtest.http.routes.ManifestRoutes;
import org.abtest.http.routes.MetricsRoutes;
import org.abtest.http.routes.ResultRoutes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.Route;

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

  private final Services services;
  private final HttpMetrics metrics;

  public ApiRoutes(Services services) {
    this.services = services;
    this.metrics = new HttpMetrics(services.registry());
  }

  public Route route() {
    var auth = services.authenticator();
    // built once, outside the lambdas below (which run per request): it owns the live publishers
    var resultRoutes = new ResultRoutes(auth, services.results());
    Route v1 =
        pathPrefix(
            "v1",
            () ->
                concat(
                    resultRoutes.route(),
                    new AnalysisRoutes(auth, services.analysis()).route(),
                    new ExperimentRoutes(auth, services.experiments()).route(),
                    new LayerRoutes(auth, services.experiments()).route(),
                    new CredentialRoutes(auth, services.credentials()).route(),
                    new AssignmentRoutes(auth, services.assignments()).route(),
                    new ManifestRoutes(auth, services.manifests()).route(),
                    new EventRoutes(auth, services.events(), services.clock()).route(),
                    new ClusterRoutes(auth, services.cluster()).route()));
    Route all =
        concat(
            v1,
            new HealthRoutes(services.readiness()).route(),
            new ConsoleRoutes().route(),
            new MetricsRoutes(services.registry()).route());
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
              () ->
                  handleExceptions(
                      ExceptionHandler.newBuilder()
                          .match(Throwable.class, e -> complete(ApiDirectives.error(e)))
                          .build(),
                      () -> handleRejections(JsonRejections.handler(), () -> all)));
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
