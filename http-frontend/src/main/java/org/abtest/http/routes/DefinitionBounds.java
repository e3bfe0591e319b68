package org.abtest.http.routes;

import static org.abtest.http.routes.JsonFields.bad;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.abtest.protocol.Json;
import org.abtest.protocol.JsonDepth;
import org.abtest.protocol.experiment.DefinitionLimits;

/**
 * The size checks of one definition's free-form JSON (variant configs, targeting) against {@link
 * DefinitionLimits}: depth first, because deeper JSON than Jackson writes cannot even be measured
 * by writing it. Each failure is a 400 naming the field.
 */
final class DefinitionBounds {

  private final DefinitionLimits limits;

  DefinitionBounds(DefinitionLimits limits) {
    this.limits = limits;
  }

  DefinitionLimits limits() {
    return limits;
  }

  void config(JsonNode config, String field) {
    json(config, field, limits.maxConfigBytes(), "nesting_too_deep", "config_too_large");
  }

  void targeting(JsonNode targeting, String field) {
    json(targeting, field, limits.maxTargetingBytes(), "nesting_too_deep", "targeting_too_large");
  }

  /** A list field with at most {@code max} entries. */
  static void count(JsonNode list, int max, String code, String what, String field) {
    if (list.size() > max) {
      throw bad(code, "at most " + max + " " + what + " are allowed, not " + list.size(), field);
    }
  }

  void text(String value, String field) {
    if (value.length() > limits.maxTextChars()) {
      throw bad(
          "too_long", field + " may have at most " + limits.maxTextChars() + " characters", field);
    }
  }

  private void json(JsonNode node, String field, int maxBytes, String deepCode, String bigCode) {
    int depth = JsonDepth.of(node);
    if (depth > limits.maxJsonDepth()) {
      throw bad(
          deepCode,
          field + " is nested " + depth + " levels deep; at most " + limits.maxJsonDepth(),
          field);
    }
    int bytes = bytes(node);
    if (bytes > maxBytes) {
      throw bad(
          bigCode,
          field + " is " + bytes + " bytes as JSON; at most " + maxBytes + " bytes",
          field);
    }
  }

  private static int bytes(JsonNode node) {
    try {
      return Json.mapper().writeValueAsBytes(node).length;
    } catch (JsonProcessingException e) {
      throw bad("invalid_value", "the value cannot be written as JSON", null);
    }
  }
}
