package org.abtest.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;
import org.abtest.http.ApiError;
import org.abtest.protocol.assignment.Bucketing;
import org.abtest.protocol.experiment.SlotRange;

/** Typed reads of JSON request fields; every failure is a 400 naming the field's path. */
final class JsonFields {

  /**
   * The rule for every key. Its '-' is escaped so that the console's copy, an HTML pattern, which
   * browsers compile with the v flag, is this very text (ConsoleExperimentFieldsTest).
   */
  static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9._\\-]{0,63}");

  /** Weights and coverage are basis points, the buckets of DESIGN.md §3. */
  static final int BASIS_POINTS = Bucketing.BUCKETS;

  private JsonFields() {}

  static void rejectUnknown(ObjectNode node, Set<String> known, String prefix) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw bad(
            "unknown_field", "'" + name + "' is not a field this endpoint accepts", prefix + name);
      }
    }
  }

  static boolean present(JsonNode node, String field) {
    return node.has(field) && !node.get(field).isNull();
  }

  static String key(JsonNode value, String path) {
    if (value == null || value.isNull()) {
      throw bad("missing_field", path + " is required", path);
    }
    if (!value.isTextual() || !KEY.matcher(value.asText()).matches()) {
      throw bad(
          "invalid_key",
          path
              + " must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit",
          path);
    }
    return value.asText();
  }

  static String text(JsonNode value, String path) {
    if (!value.isTextual()) {
      throw bad("invalid_type", path + " must be a string", path);
    }
    return value.asText();
  }

  static String nonEmptyText(JsonNode value, String path) {
    String text = text(value, path);
    if (text.isBlank()) {
      throw bad("invalid_value", path + " must not be empty", path);
    }
    return text;
  }

  static int intIn(JsonNode value, int min, int max, String path) {
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw bad("invalid_type", path + " must be an integer", path);
    }
    int v = value.asInt();
    if (v < min || v > max) {
      throw bad("out_of_range", path + " must be between " + min + " and " + max, path);
    }
    return v;
  }

  static boolean bool(JsonNode value, String path) {
    if (!value.isBoolean()) {
      throw bad("invalid_type", path + " must be true or false", path);
    }
    return value.asBoolean();
  }

  static Instant instant(JsonNode value, String path) {
    try {
      return Instant.parse(text(value, path));
    } catch (DateTimeParseException e) {
      throw bad(
          "invalid_time", path + " must be an RFC 3339 time such as 2026-11-22T10:00:00Z", path);
    }
  }

  /** {@code [start, end]} with 0 ≤ start < end ≤ 10000 (a half-open slot range). */
  static SlotRange range(JsonNode value, String path) {
    if (value == null || !value.isArray() || value.size() != 2) {
      throw bad("invalid_range", path + " must be [start, end]", path);
    }
    int start = intIn(value.get(0), 0, BASIS_POINTS, path + "[0]");
    int end = intIn(value.get(1), 0, BASIS_POINTS, path + "[1]");
    if (start >= end) {
      throw bad("invalid_range", path + " must have start < end", path);
    }
    return new SlotRange(start, end);
  }

  /** One of the allowed lower-case words. */
  static String oneOf(JsonNode value, Set<String> allowed, String path) {
    String text = text(value, path);
    if (!allowed.contains(text)) {
      throw bad("invalid_value", path + " must be one of " + allowed, path);
    }
    return text;
  }

  static ApiError bad(String code, String message, String field) {
    return ApiError.badRequest(code, message, field);
  }
}
