package org.abtest.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.abtest.http.limits.EdgeLimits;
import org.abtest.http.limits.StreamPermits;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.Authenticator.Principal;
import org.abtest.http.ports.EnvironmentRegistry;
import org.abtest.http.ports.ResultsService;
import org.abtest.http.ports.Role;
import org.abtest.protocol.experiment.Environments;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * {@code GET /v1/experiments/{key}/results}, {@code .../results/timeseries} (hourly snapshots), and
 * {@code .../results/stream}: the same document over a WebSocket whenever it changes.
 *
 * <p>Browsers cannot set headers on a WebSocket, and a token in the URL ends up in proxy logs. So
 * besides {@code Authorization}, the socket takes the credential as a subprotocol offer: {@code
 * Sec-WebSocket-Protocol: abtest.results.v1, abtest.bearer.<token as unpadded base64url>}. The
 * server selects {@code abtest.results.v1} and never echoes the token. Open sockets are capped per
 * credential and per node ({@link EdgeLimits}): over a cap, 429 before the upgrade.
 */
public final class ResultRoutes extends ApiDirectives {

  /** How often a watched experiment is recomputed: "within a second", "a few times a second". */
  public static final Duration STREAM_INTERVAL = Duration.ofMillis(250);

  /** The subprotocol the results socket speaks; the server selects it when offered. */
  public static final String PROTOCOL = "abtest.results.v1";

  /** The prefix of the subprotocol offer that carries the credential. */
  public static final String BEARER_PROTOCOL = WebSocketBearer.PREFIX;

  private static final String STREAM_KIND = "results";

  private final Authenticator authenticator;
  private final ResultsService results;
  private final ResultsBroadcast broadcast;
  private final EdgeLimits edge;
  private final EnvironmentRegistry environments;

  public ResultRoutes(Authenticator authenticator, ResultsService results, EdgeLimits edge) {
    this(authenticator, results, edge, EnvironmentRegistry.DEFAULTS_ONLY);
  }

  /** {@code environments}: the registry an {@code ?environment=} must name. */
  public ResultRoutes(
      Authenticator authenticator,
      ResultsService results,
      EdgeLimits edge,
      EnvironmentRegistry environments) {
    super(authenticator);
    this.authenticator = authenticator;
    this.results = results;
    this.broadcast = new ResultsBroadcast(results, STREAM_INTERVAL);
    this.edge = edge;
    this.environments = environments;
  }

  public Route route() {
    return pathPrefix(
        segment("experiments").slash(segment()).slash("results"),
        key ->
            concat(
                pathEnd(
                    () ->
                        get(
                            () ->
                                authorized(
                                    Role::canRead,
                                    role ->
                                        inEnvironment(
                                            key,
                                            resultsKey ->
                                                completeStage(results.results(resultsKey), 200))))),
                path(
                    "timeseries",
                    () ->
                        get(
                            () ->
                                authorized(
                                    Role::canRead,
                                    role ->
                                        inEnvironment(
                                            key,
                                            resultsKey ->
                                                completeStage(
                                                    results.timeseries(resultsKey), 200))))),
                path(
                    "stream",
                    () -> get(() -> inEnvironment(key, resultsKey -> stream(resultsKey))))));
  }

  /**
   * The results key of {@code ?environment=} (absent: {@link Environments#DEFAULT}), which must be
   * registered: each environment's traffic has results of its own, production's under the
   * experiment's key ({@link Environments#resultsKey}).
   */
  private Route inEnvironment(String key, Function<String, Route> inner) {
    return parameterOptional(
        "environment",
        environment ->
            guarded(
                () -> {
                  String named = environment.orElse(Environments.DEFAULT);
                  EnvironmentRequests.registered(named, environments.known(), "environment");
                  return inner.apply(Environments.resultsKey(key, named));
                }));
  }

  private Route stream(String key) {
    return extractOfferedWsProtocols(
        offered ->
            optionalHeaderValueByName(
                "Authorization",
                header -> {
                  Optional<Principal> who =
                      header.isPresent() ? identify(header) : fromProtocols(offered);
                  HttpResponse refused = refusal(who, Role::canRead);
                  if (refused != null) {
                    return complete(refused);
                  }
                  StreamPermits.Outcome outcome =
                      edge.openStream(
                          STREAM_KIND, who.get(), edge.settings().resultsStreamsPerCredential());
                  if (outcome instanceof StreamPermits.Refused cap) {
                    return complete(edge.streamRefusal(cap));
                  }
                  StreamPermits.Permit permit = (StreamPermits.Permit) outcome;
                  Optional<String> selected =
                      offered.contains(PROTOCOL) ? Optional.of(PROTOCOL) : Optional.empty();
                  return extractMaterializer(
                      materializer ->
                          // an unknown experiment is a 404 before the upgrade, not an idle socket
                          onComplete(
                              results.results(key),
                              first -> {
                                if (first.isFailure()) {
                                  permit.release();
                                  return complete(error(first.failed().get()));
                                }
                                return handleWebSocketMessagesForOptionalProtocol(
                                    socket(key, materializer, permit), selected);
                              }));
                }));
  }

  private Optional<Principal> fromProtocols(List<String> offered) {
    return WebSocketBearer.token(offered).flatMap(authenticator::identify);
  }

  /**
   * Coupled, so that a client closing the socket cancels its subscription (and vice versa); the
   * stream's place under the caps is given back however the socket ends.
   */
  private Flow<Message, Message, ?> socket(
      String key, Materializer materializer, StreamPermits.Permit permit) {
    return Flow.fromSinkAndSourceCoupled(
            Sink.<Message>ignore(),
            broadcast.subscribe(key, materializer).map(json -> (Message) TextMessage.create(json)))
        .watchTermination(
            (notUsed, done) -> {
              done.whenComplete((ok, failure) -> permit.release());
              return notUsed;
            });
  }
}
