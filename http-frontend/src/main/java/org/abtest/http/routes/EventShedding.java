package org.abtest.http.routes;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.abtest.http.ApiError;
import org.abtest.http.ports.LoadShedding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Refuses {@code POST /v1/events} with 503 {@code overloaded} and {@code Retry-After} while the
 * node sheds load, before the body is parsed or a credential is looked up (its bytes are drained
 * unread): a refused batch costs next to nothing, and its sender still holds it. Events
 * acknowledged earlier are already in Kafka and are not affected. Every other route, assignment
 * above all, passes untouched.
 */
public final class EventShedding extends AllDirectives {

  private final LoadShedding shedding;
  private final CounterDataPoint shed;

  public EventShedding(LoadShedding shedding, PrometheusRegistry registry) {
    this.shedding = shedding;
    this.shed =
        Counter.builder()
            .name("abtest_events_shed_total")
            .help("POST /v1/events requests refused with 503 because memory was nearly full")
            .register(registry)
            .labelValues();
  }

  /** {@code events} (the events routes) behind the guard. */
  public Route guard(Route events) {
    return concat(path("events", () -> post(this::refuseWhileShedding)), events);
  }

  private Route refuseWhileShedding() {
    if (!shedding.sheddingEvents()) {
      return reject();
    }
    shed.inc();
    // The body is drained unread: a response sent while the client is still writing a body that
    // nobody consumes makes the server close the connection, and a client then sees a reset
    // instead of the 503 (SmallHeapIT saw it under heavy shedding).
    return extractRequestEntity(
        entity ->
            extractMaterializer(
                materializer -> {
                  entity.discardBytes(materializer);
                  return complete(overloaded());
                }));
  }

  private HttpResponse overloaded() {
    long seconds = Math.max(1, (shedding.retryAfter().toMillis() + 999) / 1000);
    return ApiDirectives.error(
            new ApiError(
                503,
                "overloaded",
                "this node is short of memory and accepts no events for now; send this batch"
                    + " again after the Retry-After delay",
                null))
        .removeHeader("Retry-After")
        .addHeader(RawHeader.create("Retry-After", Long.toString(seconds)));
  }
}
