package org.abtest.http.ports;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.abtest.protocol.events.TrackedEvent;

/**
 * The event intake: what an event is checked against before it is accepted, and where accepted
 * events go. The node implements it over Kafka and its current manifest.
 */
public interface EventService {

  /** Completes once every event is durably in Kafka; fails Unavailable when the log cannot. */
  CompletionStage<Void> publish(List<TrackedEvent> events);

  /** The limits every event is checked against, the producer's record limit included. */
  EventLimits limits();

  /** The platform's own assignment, which every exposure must agree with. */
  ExposureCheck exposures();
}
