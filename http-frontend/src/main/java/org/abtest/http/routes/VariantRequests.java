package org.abtest.http.routes;

import static org.abtest.http.routes.JsonFields.BASIS_POINTS;
import static org.abtest.http.routes.JsonFields.bad;
import static org.abtest.http.routes.JsonFields.present;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
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
          Set.of("key", "event", "kind", "attributionWindowHours", "steps", "cap"),
          path + ".");
      String key = JsonFields.key(metric.get("key"), path + ".key");
      if (!keys.add(key)) {
        throw bad("duplicate_metric", "metric key '" + key + "' is used twice", path + ".key");
      }
      if (!present(metric, "event")) {
        throw bad("missing_field", "event is required", path + ".event");
      }
      ObjectNode m = metrics.addObject().put("key", key);
      m.put("event", JsonFields.nonEmptyText(metric.get("event"), path + ".event"));
      if (!present(metric, "kind")) {
        throw bad("missing_field", "kind is required", path + ".kind");
      }
      m.put(
          "kind",
          JsonFields.oneOf(metric.get("kind"), Set.of("proportion", "mean"), path + ".kind"));
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
        if (!m.get("kind").asText().equals("mean") || m.has("steps")) {
          throw bad("invalid_cap", "only a mean metric may have a cap", path + ".cap");
        }
        m.set("cap", cap(metric.get("cap"), path + ".cap"));
      }
    }
    return metrics;
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
