package org.abtest.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import java.time.Duration;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.ResultsService;
import org.abtest.http.ports.Role;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * {@code GET /v1/experiments/{key}/results}, {@code .../results/timeseries} (hourly snapshots), and
 * {@code .../results/stream}: the same document over a WebSocket whenever it changes.
 */
public final class ResultRoutes extends ApiDirectives {

  /** How often a watched experiment is recomputed: "within a second", "a few times a second". */
  public static final Duration STREAM_INTERVAL = Duration.ofMillis(250);

  private final ResultsService results;
  private final ResultsBroadcast broadcast;

  public ResultRoutes(Authenticator authenticator, ResultsService results) {
    super(authenticator);
    this.results = results;
    this.broadcast = new ResultsBroadcast(results, STREAM_INTERVAL);
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
                                    role -> completeStage(results.results(key), 200)))),
                path(
                    "timeseries",
                    () ->
                        get(
                            () ->
                                authorized(
                                    Role::canRead,
                                    role -> completeStage(results.timeseries(key), 200)))),
                path("stream", () -> get(() -> stream(key)))));
  }

  private Route stream(String key) {
    return authorizedOrQueryToken(
        Role::canRead,
        role ->
            extractMaterializer(
                materializer ->
                    // an unknown experiment is a 404 before the upgrade, not a socket that idles
                    onComplete(
                        results.results(key),
                        first ->
                            first.isSuccess()
                                ? handleWebSocketMessages(socket(key, materializer))
                                : complete(error(first.failed().get())))));
  }

  /** Coupled, so that a client closing the socket cancels its subscription (and vice versa). */
  private Flow<Message, Message, ?> socket(String key, Materializer materializer) {
    return Flow.fromSinkAndSourceCoupled(
        Sink.<Message>ignore(),
        broadcast.subscribe(key, materializer).map(json -> (Message) TextMessage.create(json)));
  }
}
