package org.abtest.node.events;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.abtest.analytics.ingest.EventPublisher;
import org.abtest.http.ports.EventLimits;
import org.abtest.http.ports.EventService;
import org.abtest.http.ports.ExposureCheck;
import org.abtest.http.ports.PortFailure;
import org.abtest.protocol.events.TrackedEvent;

/**
 * Events into Kafka; a broker that does not acknowledge in time, or a producer that already holds
 * its budget of unacknowledged bytes, fails the batch as Unavailable (a 503 with Retry-After).
 */
public final class KafkaEventService implements EventService {

  private final EventPublisher publisher;
  private final EventLimits limits;
  private final ExposureCheck exposures;

  public KafkaEventService(
      EventPublisher publisher,
      EventLimits limits,
      ExposureCheck exposures,
      PrometheusRegistry registry) {
    this.publisher = publisher;
    this.limits = limits;
    this.exposures = exposures;
    GaugeWithCallback.builder()
        .name("abtest_events_inflight_bytes")
        .help("Bytes of events handed to the Kafka producer and not yet acknowledged")
        .callback(callback -> callback.call(publisher.inflightBytes()))
        .register(registry);
  }

  @Override
  public EventLimits limits() {
    return limits;
  }

  @Override
  public ExposureCheck exposures() {
    return exposures;
  }

  @Override
  public CompletionStage<Void> publish(List<TrackedEvent> events) {
    return publisher
        .publish(events)
        .handle(
            (done, error) -> {
              if (error instanceof EventPublisher.Overloaded
                  || error != null && error.getCause() instanceof EventPublisher.Overloaded) {
                throw PortFailure.unavailable(
                    "the event log is taking events slower than they arrive; nothing of this"
                        + " batch was stored, retry it shortly");
              }
              if (error != null) {
                throw PortFailure.unavailable(
                    "the event log (Kafka) did not acknowledge the events; nothing of this batch"
                        + " is guaranteed stored, retry it (event ids make retries safe)");
              }
              return null;
            });
  }
}
