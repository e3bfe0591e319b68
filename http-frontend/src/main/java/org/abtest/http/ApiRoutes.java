package org.abtest.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.abtest.http.limits.EdgeLimits;
import org.abtest.http.limits.EdgeSettings;
import org.abtest.http.ports.EnvironmentRegistry;
import org.abtest.http.ports.LoadShedding;
import org.abtest.http.ports.WebhookService;
import org.abtest.http.routes.AnalysisRoutes;
import org.abtest.http.routes.ApiDirectives;
import org.abtest.http.routes.AssignmentRoutes;
import org.abtest.http.routes.ClusterRoutes;
import org.abtest.http.routes.ConsoleRoutes;
import org.abtest.http.routes.CredentialRoutes;
import org.abtest.http.routes.EnvironmentRoutes;
import org.abtest.http.routes.EventRoutes;
import org.abtest.http.routes.EventShedding;
import org.abtest.http.routes.ExperimentRoutes;
import org.abtest.http.routes.HealthRoutes;
import org.abtest.http.routes.LayerRoutes;
import org.abtest.http.routes.ManifestRoutes;
import org.abtest.http.routes.MetricsRoutes;
import org.abtest.http.routes.OfrepRoutes;
import org.abtest.http.routes.ResultRoutes;
import org.abtest.http.routes.WebhookRoutes;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.japi.function.Function;

/** Every route of the node, with request metrics and JSON errors for whatever no route takes. */
public final class ApiRoutes extends AllDirectives {

  private static final String ASSIGNMENTS = "/v1/assignments";

  private final ApiServices services;
  private final RequestLimits limits;
  private final HttpMetrics metrics;
  private final AssignmentRoutes assignmentRoutes;
  private final EdgeLimits edge;
  private final LoadShedding shedding;
  private final EventShedding eventShedding;

  /** With the limits of this module's {@code reference.conf}, without rate limits or caps. */
  public ApiRoutes(ApiServices services) {
    this(services, RequestLimits.defaults(), EdgeSettings.unlimited(), LoadShedding.NEVER);
  }

  public ApiRoutes(ApiServices services, RequestLimits limits) {
    this(services, limits, EdgeSettings.unlimited(), LoadShedding.NEVER);
  }

  public ApiRoutes(ApiServices services, EdgeSettings edgeSettings) {
    this(services, RequestLimits.defaults(), edgeSettings, LoadShedding.NEVER);
  }

  public ApiRoutes(ApiServices services, EdgeSettings edgeSettings, LongSupplier nanoClock) {
    this(services, RequestLimits.defaults(), edgeSettings, LoadShedding.NEVER, nanoClock);
  }

  /** With {@code shedding}: events are refused with 503 while the node is short of memory. */
  public ApiRoutes(ApiServices services, LoadShedding shedding) {
    this(services, RequestLimits.defaults(), EdgeSettings.unlimited(), shedding);
  }

  public ApiRoutes(
      ApiServices services,
      RequestLimits limits,
      EdgeSettings edgeSettings,
      LoadShedding shedding) {
    this(services, limits, edgeSettings, shedding, System::nanoTime);
  }

  /**
   * @param nanoClock the clock the rate limits count time by (monotonic nanoseconds; tests pass
   *     their own)
   */
  public ApiRoutes(
      ApiServices services,
      RequestLimits limits,
      EdgeSettings edgeSettings,
      LoadShedding shedding,
      LongSupplier nanoClock) {
    this.services = services;
    this.limits = limits;
    this.shedding = shedding;
    this.eventShedding = new EventShedding(shedding, services.registry());
    this.metrics = new HttpMetrics(services.registry());
    this.assignmentRoutes = new AssignmentRoutes(services.authenticator(), services.assignments());
    this.edge =
        new EdgeLimits(edgeSettings, services.authenticator(), services.registry(), nanoClock);
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
          // an oversized body takes the route, whose size limit answers 413
          && strict.getData().size() <= limits.assignmentBodyBytes()
          && ASSIGNMENTS.equals(request.getUri().path())) {
        long start = System.nanoTime();
        var who = edge.principal(request.getHeader("Authorization").map(HttpHeader::value));
        if (who.isEmpty()) {
          return routed.apply(request); // limited per client address there, then a 401
        }
        HttpResponse limited = edge.limitCredential(who.get());
        CompletionStage<HttpResponse> response =
            limited != null
                ? CompletableFuture.completedFuture(limited)
                : assignmentRoutes.postAs(who, strict.getData().toArray());
        return response.thenApply(
            r -> {
              metered.record(r.status().intValue(), System.nanoTime() - start);
              return r;
            });
      }
      return routed.apply(request);
    };
  }

  public Route route() {
    var auth = services.authenticator();
    // Built once: a route's construction is not free, and the lambdas below run per request.
    Route assignments = assignmentRoutes.route();
    Route events = new EventRoutes(auth, services.events(), services.clock()).route();
    EnvironmentRegistry environments =
        services.credentials() == null
            ? EnvironmentRegistry.DEFAULTS_ONLY
            : services.credentials().environments();
    Route v1Routes =
        concat(
            assignments,
            new ResultRoutes(auth, services.results(), edge, environments).route(),
            new AnalysisRoutes(auth, services.analysis()).route(),
            new ExperimentRoutes(auth, services.experiments(), environments, services.clock())
                .route(),
            new EnvironmentRoutes(auth, environments).route(),
            new WebhookRoutes(
                    auth,
                    services.credentials() == null
                        ? WebhookService.NONE
                        : services.credentials().webhooks())
                .route(),
            new LayerRoutes(auth, services.experiments()).route(),
            new CredentialRoutes(auth, services.credentials(), edge).route(),
            new ManifestRoutes(auth, services.manifests(), edge).route(),
            eventShedding.guard(events),
            new ClusterRoutes(auth, services.cluster()).route());
    Route v1 = pathPrefix("v1", () -> v1Routes);
    OfrepRoutes ofrep = new OfrepRoutes(auth, services.assignments());
    // CORS outside the rate limit, so that a browser can read a 429 and its Retry-After
    Route ofrepLimited = ofrep.cors(edge.guard(ofrep.route()));
    Route all =
        concat(
            ofrepLimited,
            edge.guard(
                concat(
                    v1,
                    new HealthRoutes(services.readiness(), shedding).route(),
                    new ConsoleRoutes().route(),
                    new MetricsRoutes(services.registry()).route())));
    Route guarded =
        handleExceptions(
            ExceptionHandler.newBuilder()
                .match(EntityStreamSizeException.class, e -> complete(JsonRejections.tooLarge(e)))
                .match(Throwable.class, e -> complete(ApiDirectives.error(e)))
                .build(),
            () -> handleRejections(JsonRejections.handler(), () -> all));
    // the limits reach the directives that parse bodies through the request, not a global
    Route limited =
        withRequestTimeoutResponse(
            ApiRoutes::timedOut,
            () -> mapRequest(r -> r.addAttribute(RequestLimits.ATTRIBUTE, limits), () -> guarded));
    return extractRequest(
        request -> {
          long start = System.nanoTime();
          return mapResponse(
              response -> {
                metrics.record(
                    MetricLabels.resource(request.getUri().path()),
                    MetricLabels.method(request.method().value()),
                    response.status().intValue(),
                    System.nanoTime() - start);
                return response;
              },
              () -> bodyLimited(() -> limited));
        });
  }

  /** The most of an oversized body that is read and dropped to answer its 413 (see bodyLimited). */
  static final long MAX_DRAINED_BYTES = 16L << 20;

  /** How long an oversized body is read at most before its 413 goes out anyway. */
  static final long DRAIN_MILLIS = 1000;

  /**
   * The body limit of the route a path leads to: the one place that says which routes have their
   * own ({@link #bodyLimited} applies it, declared or streamed).
   */
  long bodyLimitFor(String path) {
    if (path.startsWith("/v1/events")) {
      return limits.eventBodyBytes();
    }
    if (path.startsWith("/v1/assignments") || path.startsWith("/ofrep/")) {
      return limits.assignmentBodyBytes();
    }
    return limits.bodyBytes();
  }

  /**
   * A body whose Content-Length is over its route's limit is answered 413 before any route runs,
   * once its bytes are read and dropped (up to {@link #MAX_DRAINED_BYTES}, or 8 times the limit): a
   * response sent while the client still writes a body nobody reads makes the server close the
   * connection, and the client then sees a reset instead of the 413 (an SDK would retry the same
   * batch). Past that, or after {@link #DRAIN_MILLIS}, the 413 goes out and the connection is
   * closed, as before; any other body is limited as it streams ({@code withSizeLimit}).
   */
  private Route bodyLimited(java.util.function.Supplier<Route> inner) {
    return extractRequest(
        request -> {
          var length = request.entity().getContentLengthOption();
          long limit = bodyLimitFor(request.getUri().path());
          if (length.isEmpty() || length.getAsLong() <= limit) {
            return withSizeLimit(limit, inner);
          }
          if (length.getAsLong() > Math.min(MAX_DRAINED_BYTES, 8 * limit)) {
            return complete(JsonRejections.tooLarge(limit));
          }
          return extractMaterializer(
              materializer -> {
                // a client that declares a body and sends none is not waited for
                CompletableFuture<Done> drained = new CompletableFuture<>();
                drained.completeOnTimeout(Done.getInstance(), DRAIN_MILLIS, TimeUnit.MILLISECONDS);
                request
                    .entity()
                    .withoutSizeLimit()
                    .discardBytes(materializer)
                    .completionStage()
                    .whenComplete((done, failure) -> drained.complete(Done.getInstance()));
                return onComplete(drained, done -> complete(JsonRejections.tooLarge(limit)));
              });
        });
  }

  private static HttpResponse timedOut(HttpRequest request) {
    return ApiDirectives.error(
        ApiError.unavailable("the request took longer than this server allows; retry shortly"));
  }
}
