package org.abtest.http.routes;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.EventService;
import org.abtest.http.ports.Role;
import org.apache.pekko.http.javadsl.server.Route;

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
                            jsonObject(
                                body -> {
                                  EventRequests.Batch batch = EventRequests.parse(body, clock);
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
}
