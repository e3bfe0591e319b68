package org.abtest.http.routes;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.abtest.http.ApiError;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.EventService;
import org.abtest.http.ports.Role;
import org.abtest.protocol.Json;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/** {@code POST /v1/events}: 202 once every accepted event is durably in Kafka. */
public final class EventRoutes extends ApiDirectives {

  private final EventService events;
  private final Clock clock;

  public EventRoutes(Authenticator authenticator, EventService events, Clock clock) {
    super(authenticator);
    this.events = events;
    this.clock = clock;
  }

  public Route route() {
    return path(
        "events",
        () ->
            post(
                () ->
                    authorizedAs(
                        Role::canEvaluate,
                        who ->
                            jsonBody(
                                body -> {
                                  EventRequests.Checks checks =
                                      new EventRequests.Checks(
                                          clock,
                                          events.limits(),
                                          events.exposures(),
                                          who.servedEnvironment());
                                  EventRequests.Batch parsed = EventRequests.parse(body, checks);
                                  return completeStage(
                                      EventRequests.settled(parsed, checks)
                                          .thenCompose(this::published),
                                      202);
                                }))));
  }

  /**
   * The body as a streaming parser (see {@link EventRequests}) rather than the tree of {@link
   * #jsonObject}; a 400 from the parse is answered as there. A body over the size limit is a 413:
   * at once when its declared length says so, otherwise once it has streamed past the limit.
   */
  private Route jsonBody(Function<JsonParser, Route> inner) {
    return extractRequestEntity(
        entity -> {
          long max = events.limits().maxBodyBytes();
          if (entity.getContentLengthOption().orElse(0) > max) {
            return complete(
                error(
                    new ApiError(
                        413,
                        "payload_too_large",
                        "a batch of events may be at most "
                            + max
                            + " bytes; send fewer per request",
                        null)));
          }
          return withSizeLimit(max, () -> parsed(entity, inner));
        });
  }

  private Route parsed(HttpEntity entity, Function<JsonParser, Route> inner) {
    return entity(
        Unmarshaller.entityToByteString(),
        bytes ->
            guarded(
                () -> {
                  JsonParser parser;
                  try {
                    // JSON is UTF-8 (RFC 8259); a body that declares another charset is
                    // decoded with it, as the String unmarshaller did.
                    var charset = entity.getContentType().getCharsetOption();
                    parser =
                        charset.isPresent()
                                && !charset.get().nioCharset().equals(StandardCharsets.UTF_8)
                            ? Json.mapper()
                                .createParser(bytes.decodeString(charset.get().nioCharset()))
                            : Json.mapper().createParser(bytes.toArray());
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                  return inner.apply(parser);
                }));
  }

  /** The batch made durable (its accepted events), then its answer. */
  private CompletionStage<Map<String, Object>> published(EventRequests.Batch batch) {
    CompletionStage<Void> durable =
        batch.accepted().isEmpty()
            ? CompletableFuture.completedFuture(null)
            : events.publish(batch.accepted());
    return durable.thenApply(
        done -> Map.of("accepted", batch.accepted().size(), "rejected", batch.rejected()));
  }
}
