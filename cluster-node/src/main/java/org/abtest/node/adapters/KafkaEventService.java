package org.abtest.node.adapters;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.abtest.analytics.ingest.EventPublisher;
import org.abtest.http.ApiError;
import org.abtest.http.ports.EventService;
import org.abtest.node.assignment.ManifestHolder;
import org.abtest.protocol.events.TrackedEvent;

/** Events into Kafka; a broker that does not acknowledge in time becomes a 503 with Retry-After. */
public final class KafkaEventService implements EventService {

  private final EventPublisher publisher;
  private final ExposureKeys keys;

  public KafkaEventService(EventPublisher publisher, ManifestHolder manifests) {
    this.publisher = publisher;
    this.keys = new ExposureKeys(manifests);
  }

  @Override
  public TrackedEvent canonical(TrackedEvent exposure) {
    return keys.canonical(exposure);
  }

  @Override
  public CompletionStage<Void> publish(List<TrackedEvent> events) {
    return publisher
        .publish(events)
        .handle(
            (done, error) -> {
              if (error != null) {
                throw ApiError.unavailable(
                    "the event log (Kafka) did not acknowledge the events; nothing of this batch"
                        + " is guaranteed stored, retry it (event ids make retries safe)");
              }
              return null;
            });
  }
}
