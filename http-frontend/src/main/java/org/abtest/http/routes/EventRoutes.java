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
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.EventService;
import org.abtest.http.ports.Role;
import org.abtest.protocol.Json;
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
                    authorized(
                        Role::canEvaluate,
                        role ->
                            jsonBody(
                                body -> {
                                  EventRequests.Batch batch =
                                      HashedEventKeys.canonical(
                                          EventRequests.parse(body, clock), events);
                                  CompletionStage<Void> durable =
                                      batch.accepted().isEmpty()
                                          ? CompletableFuture.completedFuture(null)
                                          : events.publish(batch.accepted());
                                  return completeStage(
                                      durable.thenApply(
                                          done ->
                                              Map.of(
                                                  "accepted", batch.accepted().size(),
                                                  "rejected", batch.rejected())),
                                      202);
                                }))));
  }

  /**
   * The body as a streaming parser (see {@link EventRequests}) rather than the tree of {@link
   * #jsonObject}; a 400 from the parse is answered as there.
   */
  private Route jsonBody(Function<JsonParser, Route> inner) {
    return extractRequestEntity(
        entity ->
            entity(
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
                                        && !charset
                                            .get()
                                            .nioCharset()
                                            .equals(StandardCharsets.UTF_8)
                                    ? Json.mapper()
                                        .createParser(
                                            bytes.decodeString(charset.get().nioCharset()))
                                    : Json.mapper().createParser(bytes.toArray());
                          } catch (IOException e) {
                            throw new UncheckedIOException(e);
                          }
                          return inner.apply(parser);
                        })));
  }
}
