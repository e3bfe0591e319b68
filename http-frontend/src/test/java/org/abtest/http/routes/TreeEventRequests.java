package org.abtest.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.abtest.http.ApiError;
import org.abtest.protocol.events.TrackedEvent;

/**
 * The tree version of {@link EventRequests} as it was before the streaming parser: the reference
 * the streaming version must agree with, answer for answer.
 */
final class TreeEventRequests {

  static final int MAX_BATCH = 1000;

  record Rejection(int index, ErrorBody error) {}

  record ErrorBody(String code, String message, String field) {}

  record Batch(List<TrackedEvent> accepted, List<Rejection> rejected) {}

  private TreeEventRequests() {}

  static Batch parse(ObjectNode body, Clock clock) {
    JsonNode events = body.get("events");
    if (events == null || !events.isArray()) {
      throw ApiError.badRequest("missing_field", "events must be an array", "events");
    }
    if (events.size() > MAX_BATCH) {
      throw ApiError.badRequest(
          "batch_too_large", "a batch holds at most " + MAX_BATCH + " events", "events");
    }
    List<TrackedEvent> accepted = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      try {
        accepted.add(parseOne(events.get(i), clock));
      } catch (ApiError e) {
        rejected.add(new Rejection(i, new ErrorBody(e.code(), e.getMessage(), e.field())));
      }
    }
    return new Batch(accepted, rejected);
  }

  private static TrackedEvent parseOne(JsonNode node, Clock clock) {
    if (!(node instanceof ObjectNode event)) {
      throw ApiError.badRequest("invalid_event", "an event must be a JSON object", null);
    }
    String eventId = requiredText(event, "eventId");
    String type = requiredText(event, "type");
    String unit = requiredText(event, "unit");
    Instant ts = timestamp(event, clock);
    JsonNode attributes = event.get("attributes");
    if (attributes != null && !attributes.isObject() && !attributes.isNull()) {
      throw ApiError.badRequest("invalid_type", "attributes must be a JSON object", "attributes");
    }
    return switch (type) {
      case TrackedEvent.EXPOSURE ->
          new TrackedEvent(
              eventId,
              type,
              unit,
              requiredText(event, "experiment"),
              requiredText(event, "variant"),
              null,
              null,
              ts,
              attributes);
      case TrackedEvent.METRIC ->
          new TrackedEvent(
              eventId,
              type,
              unit,
              null,
              null,
              requiredText(event, "event"),
              value(event),
              ts,
              attributes);
      default ->
          throw ApiError.badRequest(
              "invalid_type", "type must be 'exposure' or 'metric', not '" + type + "'", "type");
    };
  }

  private static String requiredText(ObjectNode event, String field) {
    JsonNode value = event.get(field);
    if (value == null || value.isNull()) {
      throw ApiError.badRequest("missing_field", field + " is required", field);
    }
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw ApiError.badRequest("invalid_type", field + " must be a non-empty string", field);
    }
    return value.asText();
  }

  private static Double value(ObjectNode event) {
    JsonNode value = event.get("value");
    if (value == null || value.isNull()) {
      return 1.0;
    }
    if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
      throw ApiError.badRequest("invalid_type", "value must be a finite number", "value");
    }
    return value.asDouble();
  }

  private static Instant timestamp(ObjectNode event, Clock clock) {
    JsonNode ts = event.get("ts");
    if (ts == null || ts.isNull()) {
      return clock.instant();
    }
    try {
      return Instant.parse(ts.asText());
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest("invalid_timestamp", "ts must be an RFC 3339 timestamp", "ts");
    }
  }
}
