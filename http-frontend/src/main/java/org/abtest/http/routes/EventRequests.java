package org.abtest.http.routes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.http.ApiError;
import org.abtest.http.ports.EventLimits;
import org.abtest.http.ports.ExposureCheck;
import org.abtest.protocol.Json;
import org.abtest.protocol.events.InstantText;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.Environments;

/**
 * Validates a batch of events one by one: good events are accepted, bad ones are listed with the
 * reason, so one bad event never costs the others. The body is read with the streaming parser, one
 * event at a time, instead of as a tree: at a thousand events per request the tree and its walk
 * were a large share of the node's CPU. The answers are those of the tree version: a body that is
 * not JSON (anywhere) is {@code malformed_json}, then the shape of the body, then each event. An
 * event of the right types then passes {@link EventChecks} (text, lengths, time, sizes) and, for an
 * exposure, the platform's own assignment ({@link ExposureCheck}).
 */
final class EventRequests {

  static final int MAX_BATCH = 1000;

  record Rejection(int index, ErrorBody error) {}

  record ErrorBody(String code, String message, String field) {}

  /**
   * {@code waiting}: exposures not judged yet ({@link ExposureCheck.Pending}); {@link #settled}
   * judges them once what they wait for is read.
   */
  record Batch(List<TrackedEvent> accepted, List<Rejection> rejected, List<Waiting> waiting) {

    Batch(List<TrackedEvent> accepted, List<Rejection> rejected) {
      this(accepted, rejected, new ArrayList<>());
    }
  }

  /** An exposure at {@code index} of the batch, judged again when {@code ready} completes. */
  record Waiting(int index, TrackedEvent event, CompletionStage<Void> ready) {}

  /** What the events of one request are checked against. */
  /** {@code environment}: the sending credential's, which every accepted event is stamped with. */
  record Checks(Clock clock, EventLimits limits, ExposureCheck exposures, String environment) {

    Checks(Clock clock, EventLimits limits, ExposureCheck exposures) {
      this(clock, limits, exposures, Environments.DEFAULT);
    }
  }

  private EventRequests() {}

  /**
   * @throws ApiError 400 for a body that is not a JSON object with an array {@code events} of at
   *     most {@link #MAX_BATCH} elements
   */
  static Batch parse(JsonParser p, Checks checks) {
    try (p) {
      return parseBody(p, checks);
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest(
          "malformed_json", "the body is not valid JSON: " + e.getOriginalMessage(), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Batch parse(byte[] body, Checks checks) {
    try {
      return parse(Json.mapper().createParser(body), checks);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Batch parseBody(JsonParser p, Checks checks) throws IOException {
    JsonToken first = p.nextToken();
    if (first != JsonToken.START_OBJECT) {
      p.skipChildren(); // a malformed array or object is still malformed_json
      throw ApiError.badRequest("malformed_json", "the body must be a JSON object", null);
    }
    Batch batch = null;
    boolean tooLarge = false;
    for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
      JsonToken token = p.nextToken();
      if (!name.equals("events")) {
        p.skipChildren();
      } else if (token != JsonToken.START_ARRAY) {
        p.skipChildren();
        batch = null; // as in a tree, the last "events" counts
        tooLarge = false;
      } else {
        batch = new Batch(new ArrayList<>(), new ArrayList<>());
        tooLarge = events(p, checks, batch);
      }
    }
    if (batch == null) {
      throw ApiError.badRequest("missing_field", "events must be an array", "events");
    }
    if (tooLarge) {
      throw ApiError.badRequest(
          "batch_too_large", "a batch holds at most " + MAX_BATCH + " events", "events");
    }
    return batch;
  }

  /** Reads the array's elements into the batch; true when there were more than MAX_BATCH. */
  private static boolean events(JsonParser p, Checks checks, Batch batch) throws IOException {
    Clock clock = checks.clock();
    Instant now = clock.instant();
    int index = 0;
    for (JsonToken token = p.nextToken(); token != JsonToken.END_ARRAY; token = p.nextToken()) {
      if (index >= MAX_BATCH) {
        p.skipChildren(); // still read to the end: malformed JSON later is the answer then
      } else if (token != JsonToken.START_OBJECT) {
        p.skipChildren();
        batch
            .rejected()
            .add(
                new Rejection(
                    index, new ErrorBody("invalid_event", "an event must be a JSON object", null)));
      } else {
        Fields fields = Fields.read(p);
        try {
          TrackedEvent event = fields.toEvent(clock);
          EventChecks.check(event, checks.limits(), now);
          ExposureCheck.Verdict verdict = event.isExposure() ? verdict(event, checks, true) : null;
          if (verdict instanceof ExposureCheck.Pending pending) {
            batch.waiting().add(new Waiting(index, event, pending.ready()));
          } else {
            TrackedEvent judged = verdict == null ? event : judged(event, verdict);
            batch.accepted().add(judged.inEnvironment(checks.environment()));
          }
        } catch (ApiError e) {
          batch
              .rejected()
              .add(new Rejection(index, new ErrorBody(e.code(), e.getMessage(), e.field())));
        }
      }
      index++;
    }
    return index > MAX_BATCH;
  }

  /**
   * The batch with its waiting exposures judged, once what they wait for is read (at once when none
   * waits): each is accepted or rejected as if judged in place, the rejections in index order.
   */
  static CompletionStage<Batch> settled(Batch batch, Checks checks) {
    if (batch.waiting().isEmpty()) {
      return CompletableFuture.completedFuture(batch);
    }
    CompletableFuture<?>[] all =
        batch.waiting().stream()
            .map(w -> w.ready().toCompletableFuture())
            .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(all)
        .handle(
            (done, e) -> {
              for (Waiting w : batch.waiting()) {
                try {
                  TrackedEvent judged = judged(w.event(), verdict(w.event(), checks, false));
                  batch.accepted().add(judged.inEnvironment(checks.environment()));
                } catch (ApiError refused) {
                  batch
                      .rejected()
                      .add(
                          new Rejection(
                              w.index(),
                              new ErrorBody(
                                  refused.code(), refused.getMessage(), refused.field())));
                }
              }
              batch.rejected().sort(Comparator.comparingInt(Rejection::index));
              return new Batch(batch.accepted(), batch.rejected(), List.of());
            });
  }

  /** What the exposure check says of the exposure ({@code mayWait}: it may say Pending). */
  private static ExposureCheck.Verdict verdict(TrackedEvent e, Checks checks, boolean mayWait) {
    JsonNode attributes = e.attributes() == null || e.attributes().isNull() ? null : e.attributes();
    ExposureCheck.Verdict verdict =
        checks
            .exposures()
            .check(
                checks.environment(),
                e.experiment(),
                e.variant(),
                e.unit(),
                attributes,
                e.ts(),
                mayWait);
    return verdict;
  }

  /**
   * The exposure by its canonical keys, when the platform assigns the unit that variant.
   *
   * @throws ApiError the refusal otherwise
   */
  private static TrackedEvent judged(TrackedEvent e, ExposureCheck.Verdict verdict) {
    if (verdict instanceof ExposureCheck.Valid valid) {
      if (valid.experiment().equals(e.experiment()) && valid.variant().equals(e.variant())) {
        return e;
      }
      return new TrackedEvent(
          e.eventId(),
          e.type(),
          e.unit(),
          valid.experiment(),
          valid.variant(),
          null,
          null,
          e.ts(),
          e.attributes());
    }
    if (!(verdict instanceof ExposureCheck.Refused refused)) {
      // Pending after the wait: the check broke its contract; judged as not the unit's variant
      throw ApiError.badRequest(
          ExposureCheck.Refused.INVALID_VARIANT.code(),
          "the platform could not confirm this unit's variant",
          ExposureCheck.Refused.INVALID_VARIANT.field());
    }
    throw ApiError.badRequest(
        refused.code(),
        refused == ExposureCheck.Refused.UNKNOWN_EXPERIMENT
            ? "no experiment of that key is running here (never created, paused or ended)"
            : "the platform assigns this unit another variant of the experiment, or none",
        refused.field());
  }

  /** One event's fields as the parser saw them: what they are, not yet whether they are valid. */
  private static final class Fields {
    private final Text eventId = new Text("eventId");
    private final Text type = new Text("type");
    private final Text unit = new Text("unit");
    private final Text experiment = new Text("experiment");
    private final Text variant = new Text("variant");
    private final Text event = new Text("event");
    private final Text ts = new Text("ts");
    // null = absent, VALUE_NULL = JSON null, otherwise the token seen
    private JsonToken valueToken;
    private double value;
    private JsonNode attributes;

    static Fields read(JsonParser p) throws IOException {
      Fields f = new Fields();
      for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
        JsonToken token = p.nextToken();
        switch (name) {
          case "eventId" -> f.eventId.read(p, token);
          case "type" -> f.type.read(p, token);
          case "unit" -> f.unit.read(p, token);
          case "experiment" -> f.experiment.read(p, token);
          case "variant" -> f.variant.read(p, token);
          case "event" -> f.event.read(p, token);
          case "ts" -> f.ts.read(p, token);
          case "value" -> {
            f.valueToken = token;
            if (token.isNumeric()) {
              f.value = p.getDoubleValue();
            } else {
              p.skipChildren();
            }
          }
          case "attributes" ->
              f.attributes =
                  token == JsonToken.VALUE_NULL ? NullNode.getInstance() : p.readValueAsTree();
          default -> p.skipChildren();
        }
      }
      return f;
    }

    /** The checks and their order of the tree version, so the first problem named is the same. */
    TrackedEvent toEvent(Clock clock) {
      String id = eventId.required();
      String kind = type.required();
      String unitId = unit.required();
      Instant time = timestamp(clock);
      if (attributes != null && !attributes.isObject() && !attributes.isNull()) {
        throw ApiError.badRequest("invalid_type", "attributes must be a JSON object", "attributes");
      }
      return switch (kind) {
        case TrackedEvent.EXPOSURE ->
            new TrackedEvent(
                id,
                kind,
                unitId,
                experiment.required(),
                variant.required(),
                null,
                null,
                time,
                attributes);
        case TrackedEvent.METRIC ->
            new TrackedEvent(
                id, kind, unitId, null, null, event.required(), value(), time, attributes);
        default ->
            throw ApiError.badRequest(
                "invalid_type", "type must be 'exposure' or 'metric', not '" + kind + "'", "type");
      };
    }

    private Double value() {
      if (valueToken == null || valueToken == JsonToken.VALUE_NULL) {
        return 1.0;
      }
      if (!valueToken.isNumeric() || !Double.isFinite(value)) {
        throw ApiError.badRequest("invalid_type", "value must be a finite number", "value");
      }
      return value;
    }

    private Instant timestamp(Clock clock) {
      if (ts.token == null || ts.token == JsonToken.VALUE_NULL) {
        return clock.instant();
      }
      try {
        // Anything but a string fails here as it did as a tree node's text ("5", "true", "").
        return InstantText.parse(ts.text == null ? "" : ts.text);
      } catch (DateTimeParseException e) {
        throw ApiError.badRequest("invalid_timestamp", "ts must be an RFC 3339 timestamp", "ts");
      }
    }
  }

  /** A field meant to be a string: the token seen (null when absent) and its text if a string. */
  private static final class Text {
    private final String name;
    private JsonToken token;
    private String text;

    Text(String name) {
      this.name = name;
    }

    void read(JsonParser p, JsonToken seen) throws IOException {
      token = seen;
      if (seen == JsonToken.VALUE_STRING) {
        text = p.getText();
      } else {
        p.skipChildren(); // judged later by its token
      }
    }

    String required() {
      if (token == null || token == JsonToken.VALUE_NULL) {
        throw ApiError.badRequest("missing_field", name + " is required", name);
      }
      if (token != JsonToken.VALUE_STRING || text.isEmpty()) {
        throw ApiError.badRequest("invalid_type", name + " must be a non-empty string", name);
      }
      return text;
    }
  }
}
