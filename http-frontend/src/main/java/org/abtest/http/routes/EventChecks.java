package org.abtest.http.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.abtest.http.ApiError;
import org.abtest.http.ports.EventLimits;
import org.abtest.protocol.Json;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.events.TrackedEventCodec;

/**
 * What a well-typed event must also be before it is accepted: text that has a UTF-8 form, fields
 * within their lengths, a time inside the window, bounded attributes, and a Kafka record that the
 * producer will take. Everything past here is produced, and nothing produced may fail later: the
 * consumer skips what it cannot read, and a skipped event's id would then refuse the corrected
 * retry as a duplicate.
 */
final class EventChecks {

  // Generous per-record framing of the JSON payload (braces, names, quotes, the value).
  private static final int JSON_FRAMING = 160;
  // A char of a JSON string takes at most six bytes ("\\u001f"); UTF-8 alone at most three.
  private static final int MAX_BYTES_PER_CHAR = 6;

  private EventChecks() {}

  /**
   * @throws ApiError 400 naming the first field that is not acceptable
   */
  static void check(TrackedEvent e, EventLimits limits, Instant now) {
    text("eventId", e.eventId(), limits.maxIdLength());
    text("unit", e.unit(), limits.maxUnitLength());
    text("experiment", e.experiment(), limits.maxKeyLength());
    text("variant", e.variant(), limits.maxKeyLength());
    text("event", e.event(), limits.maxKeyLength());
    if (e.ts().isBefore(now.minus(limits.maxLateness()))
        || e.ts().isAfter(now.plus(limits.maxSkew()))) {
      throw ApiError.badRequest(
          "ts_out_of_range",
          "ts must lie between "
              + limits.maxLateness()
              + " before and "
              + limits.maxSkew()
              + " after the server's time",
          "ts");
    }
    int attributeBytes = attributes(e.attributes(), limits);
    recordSize(e, attributeBytes, limits);
  }

  /** A unit id as both events and assignments take it: well-formed text within the length. */
  static void unit(String unit, EventLimits limits) {
    text("unit", unit, limits.maxUnitLength());
  }

  private static void text(String field, String value, int maxLength) {
    if (value == null) {
      return;
    }
    if (!TextChecks.wellFormed(value)) {
      throw invalidText(field);
    }
    if (value.length() > maxLength) {
      throw ApiError.badRequest(
          "too_long", field + " must be at most " + maxLength + " characters", field);
    }
  }

  private static ApiError invalidText(String field) {
    return ApiError.badRequest(
        "invalid_text", field + " holds a lone UTF-16 surrogate, which is not text", field);
  }

  /**
   * Checks the attributes' shape and returns a bound on their encoded size (0 without attributes).
   * The bound comes from the walk; only attributes whose bound is over the limit are encoded, to
   * judge them by their exact size.
   */
  static int attributes(JsonNode attributes, EventLimits limits) {
    if (attributes == null || attributes.isNull()) {
      return 0;
    }
    int[] count = {0};
    long bound = walk(attributes, null, 0, count, limits);
    if (bound <= limits.maxAttributesBytes()) {
      return (int) bound;
    }
    byte[] encoded;
    try {
      encoded = Json.mapper().writeValueAsBytes(attributes);
    } catch (JsonProcessingException ex) {
      throw invalidText("attributes");
    }
    if (encoded.length > limits.maxAttributesBytes()) {
      throw ApiError.badRequest(
          "attributes_too_large",
          "attributes must encode to at most " + limits.maxAttributesBytes() + " bytes",
          "attributes");
    }
    return encoded.length;
  }

  /** Where a value sits in the attributes, rendered only for an error. */
  private record Step(Step parent, String key, int index) {
    String render() {
      String here = key != null ? "." + key : "[" + index + "]";
      return (parent == null ? "attributes" : parent.render()) + here;
    }

    static String of(Step step) {
      return step == null ? "attributes" : step.render();
    }
  }

  /** The node's checks, and a bound on its encoded bytes (and its key's, with the punctuation). */
  private static long walk(JsonNode node, Step at, int depth, int[] count, EventLimits limits) {
    if (++count[0] > limits.maxAttributes() + 1) { // the top object is not an attribute
      throw ApiError.badRequest(
          "attributes_too_large",
          "attributes may hold at most " + limits.maxAttributes() + " values",
          "attributes");
    }
    if (depth > limits.maxAttributesDepth()) {
      throw ApiError.badRequest(
          "attributes_too_deep",
          "attributes may nest at most " + limits.maxAttributesDepth() + " levels",
          Step.of(at));
    }
    if (node.isTextual()) {
      if (!TextChecks.wellFormed(node.textValue())) {
        throw invalidText(Step.of(at));
      }
      return 2 + (long) MAX_BYTES_PER_CHAR * node.textValue().length();
    }
    long bound = 2;
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (!TextChecks.wellFormed(field.getKey())) {
          throw invalidText(Step.of(at));
        }
        bound += 4 + (long) MAX_BYTES_PER_CHAR * field.getKey().length();
        bound += walk(field.getValue(), new Step(at, field.getKey(), -1), depth + 1, count, limits);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        bound += 1 + walk(node.get(i), new Step(at, null, i), depth + 1, count, limits);
      }
    } else if (node.isBigInteger() || node.isBigDecimal()) {
      bound += node.asText().length();
    } else {
      bound += 32; // any other number, true, false or null
    }
    return bound;
  }

  /**
   * The record the producer would send must fit its limit. A bound from the lengths settles almost
   * every event without encoding it; only one near the limit is encoded to be sure.
   */
  private static void recordSize(TrackedEvent e, int attributeBytes, EventLimits limits) {
    long chars = length(e.eventId()) + length(e.type()) + length(e.experiment());
    chars += length(e.variant()) + length(e.event());
    long key = 3L * length(e.unit());
    long bound =
        JSON_FRAMING + attributeBytes + key + MAX_BYTES_PER_CHAR * (chars + length(e.unit()));
    if (bound <= limits.maxRecordBytes()) {
      return;
    }
    long size =
        TrackedEventCodec.write(e).length + e.unit().getBytes(StandardCharsets.UTF_8).length;
    if (size > limits.maxRecordBytes()) {
      throw ApiError.badRequest(
          "event_too_large",
          "the event encodes to "
              + size
              + " bytes, more than the event log takes in one record ("
              + limits.maxRecordBytes()
              + ")",
          attributeBytes > 0 ? "attributes" : "unit");
    }
  }

  private static long length(String s) {
    return s == null ? 0 : s.length();
  }
}
