package org.abtest.http.ports;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.abtest.protocol.events.TrackedEvent;

/** Accepts validated events; the stage completes once all are durably in Kafka. */
public interface EventService {
  CompletionStage<Void> publish(List<TrackedEvent> events);
}
