package org.abtest.http.ports;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.abtest.protocol.events.TrackedEvent;

/** Accepts validated events; the stage completes once all are durably in Kafka. */
public interface EventService {
  CompletionStage<Void> publish(List<TrackedEvent> events);

  /**
   * The exposure with the experiment and variant keys the platform knows: an obfuscated SDK key
   * sends keyed hashes, which the node maps to the real keys of its current manifest. Throws {@link
   * org.abtest.http.ApiError} (400, naming the field) for a hash no live experiment or variant has.
   */
  default TrackedEvent canonical(TrackedEvent exposure) {
    return exposure;
  }
}
