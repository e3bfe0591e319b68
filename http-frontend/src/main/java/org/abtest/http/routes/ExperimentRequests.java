package org.abtest.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.abtest.http.ApiError;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.Variant;

/** Reads and validates experiment definitions; every error names the field path at fault. */
final class ExperimentRequests {

  static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Set<String> CREATE_FIELDS =
      Set.of("key", "name", "coverage", "variants", "metrics");
  private static final int BASIS_POINTS = 10_000;

  private ExperimentRequests() {}

  static Experiment parseCreate(ObjectNode body) {
    rejectUnknown(body, CREATE_FIELDS, "");
    String key = requiredKey(body, "key");
    String name = optionalText(body, "name", key);
    int coverage = intInRange(body, "coverage", BASIS_POINTS, 0, BASIS_POINTS);
    List<Variant> variants = variants(body.get("variants"));
    Experiment draft = Experiment.draft(key, name, coverage, variants);
    return body.has("metrics") ? withMetrics(draft, metrics(body.get("metrics"))) : draft;
  }

  /** API.md metrics, with the optional funnel {@code steps}; each needs a key and an event type. */
  private static List<MetricDefinition> metrics(JsonNode node) {
    if (!node.isArray()) {
      throw bad("invalid_type", "metrics must be an array", "metrics");
    }
    List<MetricDefinition> out = new java.util.ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String path = "metrics[" + i + "]";
      JsonNode m = node.get(i);
      if (!m.isObject()) {
        throw bad("invalid_type", path + " must be an object", path);
      }
      rejectUnknown(
          (ObjectNode) m,
          Set.of("key", "event", "kind", "attributionWindowHours", "steps"),
          path + ".");
      MetricDefinition metric;
      try {
        metric = org.abtest.protocol.Json.mapper().treeToValue(m, MetricDefinition.class);
      } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
        throw bad("invalid_metric", path + " is not a valid metric", path);
      }
      if (metric.key() == null || metric.event() == null || metric.kind() == null) {
        throw bad("invalid_metric", path + " needs key, event (or steps) and kind", path);
      }
      out.add(metric);
    }
    return out;
  }

  private static Experiment withMetrics(Experiment e, List<MetricDefinition> metrics) {
    return new Experiment(
        e.key(),
        e.name(),
        e.hypothesis(),
        e.type(),
        e.layer(),
        e.layerSlots(),
        e.targeting(),
        e.coverage(),
        e.variants(),
        metrics,
        e.primaryMetric(),
        e.alpha(),
        e.sampleSizeTarget(),
        e.sequential(),
        e.looks(),
        e.holdout(),
        e.overrides(),
        e.startAt(),
        e.endAt(),
        e.salt(),
        e.phase(),
        e.status(),
        e.version(),
        e.createdAt(),
        e.updatedAt());
  }

  private static List<Variant> variants(JsonNode node) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw bad("invalid_variants", "variants must be a non-empty array", "variants");
    }
    List<Variant> variants = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    int total = 0;
    for (int i = 0; i < node.size(); i++) {
      String path = "variants[" + i + "]";
      if (!(node.get(i) instanceof ObjectNode variant)) {
        throw bad("invalid_variant", "each variant must be an object", path);
      }
      rejectUnknown(variant, Set.of("key", "weight", "config"), path + ".");
      String key = requiredKey(variant, path + ".key", "key");
      if (!keys.add(key)) {
        throw bad("duplicate_variant", "variant key '" + key + "' is used twice", path + ".key");
      }
      int weight = intInRange(variant, "weight", -1, 0, BASIS_POINTS, path + ".weight");
      JsonNode config = variant.get("config");
      if (config != null && !config.isObject()) {
        throw bad("invalid_config", "config must be a JSON object", path + ".config");
      }
      total += weight;
      variants.add(new Variant(key, weight, config));
    }
    if (total != BASIS_POINTS) {
      throw bad(
          "invalid_weights",
          "variant weights must sum to 10000 basis points, not " + total,
          "variants");
    }
    return variants;
  }

  private static void rejectUnknown(ObjectNode node, Set<String> known, String prefix) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw bad(
            "unknown_field", "'" + name + "' is not a field this endpoint accepts", prefix + name);
      }
    }
  }

  private static String requiredKey(ObjectNode node, String field) {
    return requiredKey(node, field, field);
  }

  private static String requiredKey(ObjectNode node, String path, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw bad("missing_field", field + " is required", path);
    }
    if (!value.isTextual() || !KEY.matcher(value.asText()).matches()) {
      throw bad(
          "invalid_key",
          field
              + " must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit",
          path);
    }
    return value.asText();
  }

  private static String optionalText(ObjectNode node, String field, String fallback) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isTextual()) {
      throw bad("invalid_type", field + " must be a string", field);
    }
    return value.asText();
  }

  private static int intInRange(ObjectNode node, String field, int fallback, int min, int max) {
    return intInRange(node, field, fallback, min, max, field);
  }

  private static int intInRange(
      ObjectNode node, String field, int fallback, int min, int max, String path) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (fallback < 0) {
        throw bad("missing_field", field + " is required", path);
      }
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw bad("invalid_type", field + " must be an integer", path);
    }
    int v = value.asInt();
    if (v < min || v > max) {
      throw bad("out_of_range", field + " must be between " + min + " and " + max, path);
    }
    return v;
  }

  private static ApiError bad(String code, String message, String field) {
    return ApiError.badRequest(code, message, field);
  }
}
