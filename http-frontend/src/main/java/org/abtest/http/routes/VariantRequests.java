package org.abtest.http.routes;

import static org.abtest.http.routes.JsonFields.BASIS_POINTS;
import static org.abtest.http.routes.JsonFields.bad;
import static org.abtest.http.routes.JsonFields.present;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.abtest.protocol.Json;

/** The list fields of a definition: variants and metrics, in their stored JSON form. */
final class VariantRequests {

  private VariantRequests() {}

  static ArrayNode variants(JsonNode node, DefinitionBounds bounds) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw bad("invalid_variants", "variants must be a non-empty array", "variants");
    }
    DefinitionBounds.count(
        node, bounds.limits().maxVariants(), "too_many_variants", "variants", "variants");
    ArrayNode variants = Json.mapper().createArrayNode();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String path = "variants[" + i + "]";
      if (!(node.get(i) instanceof ObjectNode variant)) {
        throw bad("invalid_variant", "each variant must be an object", path);
      }
      JsonFields.rejectUnknown(variant, Set.of("key", "weight", "config"), path + ".");
      String key = JsonFields.key(variant.get("key"), path + ".key");
      if (!keys.add(key)) {
        throw bad("duplicate_variant", "variant key '" + key + "' is used twice", path + ".key");
      }
      if (!present(variant, "weight")) {
        throw bad("missing_field", "weight is required", path + ".weight");
      }
      int weight = JsonFields.intIn(variant.get("weight"), 0, BASIS_POINTS, path + ".weight");
      JsonNode config = variant.get("config");
      if (config != null && !config.isNull() && !config.isObject()) {
        throw bad("invalid_config", "config must be a JSON object", path + ".config");
      }
      if (config != null && !config.isNull()) {
        bounds.config(config, path + ".config");
      }
      ObjectNode v = variants.addObject().put("key", key).put("weight", weight);
      v.set(
          "config", config == null || config.isNull() ? Json.mapper().createObjectNode() : config);
    }
    return variants;
  }

  /** Most funnel steps of one metric (unit state keeps one timestamp per step and unit). */
  static final int MAX_STEPS = 20;

  /** A funnel's ordered event types (docs/aggregation.md, Funnels). */
  private static ArrayNode steps(JsonNode node, String path) {
    if (!node.isArray() || node.isEmpty() || node.size() > MAX_STEPS) {
      throw bad(
          "invalid_type", path + " must be an array of 1 to " + MAX_STEPS + " event types", path);
    }
    ArrayNode steps = Json.mapper().createArrayNode();
    for (int i = 0; i < node.size(); i++) {
      steps.add(JsonFields.nonEmptyText(node.get(i), path + "[" + i + "]"));
    }
    return steps;
  }

  static ArrayNode metrics(JsonNode node, int maxMetrics) {
    if (!node.isArray()) {
      throw bad("invalid_type", "metrics must be an array", "metrics");
    }
    DefinitionBounds.count(node, maxMetrics, "too_many_metrics", "metrics", "metrics");
    ArrayNode metrics = Json.mapper().createArrayNode();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String path = "metrics[" + i + "]";
      if (!(node.get(i) instanceof ObjectNode metric)) {
        throw bad("invalid_metric", "each metric must be an object", path);
      }
      JsonFields.rejectUnknown(
          metric,
          Set.of(
              "key",
              "event",
              "kind",
              "attributionWindowHours",
              "steps",
              "cap",
              "numerator",
              "denominator"),
          path + ".");
      String key = JsonFields.key(metric.get("key"), path + ".key");
      if (!keys.add(key)) {
        throw bad("duplicate_metric", "metric key '" + key + "' is used twice", path + ".key");
      }
      if (!present(metric, "kind")) {
        throw bad("missing_field", "kind is required", path + ".kind");
      }
      String kind =
          JsonFields.oneOf(
              metric.get("kind"), Set.of("proportion", "mean", "ratio"), path + ".kind");
      ObjectNode m = metrics.addObject().put("key", key);
      if (kind.equals("ratio")) {
        ratioSides(metric, m, path);
      } else {
        for (String side : List.of("numerator", "denominator")) {
          if (present(metric, side)) {
            throw bad("invalid_metric", "only a ratio metric has a " + side, path + "." + side);
          }
        }
        if (!present(metric, "event")) {
          throw bad("missing_field", "event is required", path + ".event");
        }
        m.put("event", JsonFields.nonEmptyText(metric.get("event"), path + ".event"));
      }
      m.put("kind", kind);
      if (present(metric, "attributionWindowHours")) {
        m.put(
            "attributionWindowHours",
            JsonFields.intIn(
                metric.get("attributionWindowHours"),
                1,
                Integer.MAX_VALUE,
                path + ".attributionWindowHours"));
      }
      if (present(metric, "steps")) {
        m.set("steps", steps(metric.get("steps"), path + ".steps"));
      }
      if (present(metric, "cap")) {
        if (kind.equals("proportion") || m.has("steps")) {
          throw bad("invalid_cap", "only a mean or ratio metric may have a cap", path + ".cap");
        }
        m.set("cap", cap(metric.get("cap"), path + ".cap"));
      }
    }
    return metrics;
  }

  /**
   * A ratio's {@code numerator} and {@code denominator}, each {@code {"event": …, "aggregate":
   * "sum"|"count"}}; a ratio has no {@code event} of its own and no funnel.
   */
  private static void ratioSides(ObjectNode metric, ObjectNode m, String path) {
    for (String own : List.of("event", "steps")) {
      if (present(metric, own)) {
        throw bad(
            "invalid_metric",
            "a ratio metric takes its events from numerator and denominator, not " + own,
            path + "." + own);
      }
    }
    for (String side : List.of("numerator", "denominator")) {
      String at = path + "." + side;
      if (!present(metric, side)) {
        throw bad("missing_field", side + " is required for a ratio metric", at);
      }
      if (!(metric.get(side) instanceof ObjectNode source)) {
        throw bad(
            "invalid_type",
            at + " must be an object such as {\"event\": \"purchase\", \"aggregate\": \"sum\"}",
            at);
      }
      JsonFields.rejectUnknown(source, Set.of("event", "aggregate"), at + ".");
      if (!present(source, "event")) {
        throw bad("missing_field", "event is required", at + ".event");
      }
      if (!present(source, "aggregate")) {
        throw bad("missing_field", "aggregate is required", at + ".aggregate");
      }
      m.putObject(side)
          .put("event", JsonFields.nonEmptyText(source.get("event"), at + ".event"))
          .put(
              "aggregate",
              JsonFields.oneOf(source.get("aggregate"), Set.of("sum", "count"), at + ".aggregate"));
    }
  }

  /**
   * {@code {"value": 1000}}: each unit's value counts at most 1000. The percentile form of API.md's
   * Additions needs the pooled distribution's quantile, which the aggregation does not keep yet, so
   * it is refused by name rather than ignored.
   */
  private static ObjectNode cap(JsonNode node, String path) {
    if (!(node instanceof ObjectNode cap)) {
      throw bad("invalid_type", path + " must be an object such as {\"value\": 1000}", path);
    }
    if (present(cap, "percentile")) {
      throw bad(
          "unsupported",
          "a percentile cap is not supported yet; give a fixed cap as {\"value\": …}",
          path + ".percentile");
    }
    JsonFields.rejectUnknown(cap, Set.of("value"), path + ".");
    if (!present(cap, "value")) {
      throw bad("missing_field", "value is required", path + ".value");
    }
    JsonNode value = cap.get("value");
    if (!value.isNumber() || !Double.isFinite(value.asDouble()) || !(value.asDouble() > 0)) {
      throw bad("out_of_range", path + ".value must be a finite number > 0", path + ".value");
    }
    return Json.mapper().createObjectNode().put("value", value.asDouble());
  }
}
