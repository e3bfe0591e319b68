package org.abtest.http.routes;

import static org.abtest.http.routes.JsonFields.BASIS_POINTS;
import static org.abtest.http.routes.JsonFields.bad;
import static org.abtest.http.routes.JsonFields.present;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.DefinitionLimits;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.targeting.ConditionException;
import org.abtest.protocol.targeting.Conditions;

/**
 * Reads and validates experiment definitions (API.md, Experiments); every error names the field
 * path at fault. Each field is normalized into the experiment's own JSON form, so a create becomes
 * an {@link Experiment} and a patch a set of field changes the aggregate applies as they are.
 */
final class ExperimentRequests {

  /** A validated PATCH: the changed fields, and whether a weight change keeps the phase. */
  record Patch(ObjectNode changes, boolean sticky) {}

  private static final Set<String> DEFINITION =
      Set.of(
          "name",
          "hypothesis",
          "type",
          "layer",
          "layerSlots",
          "targeting",
          "coverage",
          "variants",
          "metrics",
          "primaryMetric",
          "alpha",
          "sampleSizeTarget",
          "sequential",
          "looks",
          "holdout",
          "overrides",
          "startAt",
          "endAt");

  /** Changing these would need a new layer allocation or a different kind of experiment. */
  private static final Set<String> IMMUTABLE = Set.of("key", "type", "layer", "layerSlots");

  /** Fields a PATCH may clear with null. */
  private static final Set<String> CLEARABLE =
      Set.of(
          "hypothesis",
          "targeting",
          "primaryMetric",
          "sampleSizeTarget",
          "looks",
          "startAt",
          "endAt");

  private ExperimentRequests() {}

  static Experiment parseCreate(ObjectNode body, DefinitionBounds bounds, Instant now) {
    Set<String> known = new HashSet<>(DEFINITION);
    known.add("key");
    JsonFields.rejectUnknown(body, known, "");
    ObjectNode e = Json.mapper().createObjectNode();
    e.put("key", JsonFields.key(body.get("key"), "key"));
    e.put("name", e.get("key").asText());
    e.put("coverage", BASIS_POINTS);
    if (!present(body, "variants")) {
      throw bad("missing_field", "variants is required", "variants");
    }
    for (Map.Entry<String, JsonNode> field : body.properties()) {
      if (!field.getKey().equals("key") && !field.getValue().isNull()) {
        e.set(field.getKey(), normalize(field.getKey(), field.getValue(), bounds));
      }
    }
    e.put("status", "DRAFT");
    notInThePast(e, now);
    checkAcrossFields(e);
    try {
      return Json.mapper().treeToValue(e, Experiment.class);
    } catch (JsonProcessingException ex) {
      throw bad("invalid_definition", ex.getOriginalMessage(), null);
    }
  }

  static Patch parsePatch(ObjectNode body, DefinitionBounds bounds, Instant now) {
    ObjectNode changes = Json.mapper().createObjectNode();
    boolean sticky = false;
    for (Map.Entry<String, JsonNode> field : body.properties()) {
      String name = field.getKey();
      if (name.equals("sticky")) {
        sticky = JsonFields.bool(field.getValue(), "sticky");
      } else if (IMMUTABLE.contains(name)) {
        throw bad("immutable_field", name + " cannot be changed after creation", name);
      } else if (!DEFINITION.contains(name)) {
        throw bad("unknown_field", "'" + name + "' is not a field this endpoint accepts", name);
      } else if (field.getValue().isNull()) {
        if (!CLEARABLE.contains(name)) {
          throw bad("missing_field", name + " cannot be cleared", name);
        }
        changes.putNull(name);
      } else {
        changes.set(name, normalize(name, field.getValue(), bounds));
      }
    }
    if (changes.isEmpty()) {
      throw bad("empty_patch", "the body changes no field", null);
    }
    notInThePast(changes, now);
    if (changes.has("sequential") && changes.get("sequential").asText().equals("obf")) {
      requireLooks(changes);
    }
    return new Patch(changes, sticky);
  }

  /** One field, validated and in the stored form. */
  private static JsonNode normalize(String field, JsonNode value, DefinitionBounds bounds) {
    var json = Json.mapper().getNodeFactory();
    return switch (field) {
      case "name", "hypothesis" -> json.textNode(text(value, field, bounds));
      case "type" ->
          json.textNode(JsonFields.oneOf(value, Set.of("experiment", "flag", "bandit"), field));
      case "layer", "primaryMetric" -> json.textNode(JsonFields.key(value, field));
      case "layerSlots" -> rangeNode(JsonFields.range(value, field));
      case "targeting" -> targeting(value, bounds);
      case "coverage" -> json.numberNode(JsonFields.intIn(value, 0, BASIS_POINTS, field));
      case "variants" -> VariantRequests.variants(value, bounds);
      case "metrics" -> VariantRequests.metrics(value, bounds.limits().maxMetrics());
      case "alpha" -> json.numberNode(alpha(value));
      case "sampleSizeTarget" -> json.numberNode(positiveLong(value, field));
      case "sequential" ->
          json.textNode(JsonFields.oneOf(value, Set.of("none", "obf", "msprt"), field));
      case "looks" -> json.numberNode(JsonFields.intIn(value, 1, 100, field));
      case "holdout" -> json.booleanNode(JsonFields.bool(value, field));
      case "overrides" -> overrides(value, bounds.limits());
      case "startAt", "endAt" -> json.textNode(JsonFields.instant(value, field).toString());
      default -> throw bad("unknown_field", "'" + field + "' is not a field", field);
    };
  }

  private static ArrayNode rangeNode(SlotRange range) {
    return Json.mapper().createArrayNode().add(range.start()).add(range.end());
  }

  private static String text(JsonNode value, String field, DefinitionBounds bounds) {
    String text = JsonFields.text(value, field);
    bounds.text(text, field);
    return text;
  }

  /**
   * Bounded, then strictly compiled now, so an unknown operator or a regex RE2 cannot run is a 400
   * here, not a silent false later. Compiling is cheap once bounded (RE2/J, patterns of at most
   * 1024 characters), so it runs on the request's thread.
   */
  private static JsonNode targeting(JsonNode value, DefinitionBounds bounds) {
    if (!value.isObject()) {
      throw bad("invalid_targeting", "targeting must be a JSON object", "targeting");
    }
    bounds.targeting(value, "targeting");
    try {
      Conditions.compile(value);
    } catch (ConditionException e) {
      throw bad("invalid_targeting", e.getMessage(), e.field());
    }
    return value;
  }

  private static double alpha(JsonNode value) {
    if (!value.isNumber()) {
      throw bad("invalid_type", "alpha must be a number", "alpha");
    }
    double alpha = value.asDouble();
    if (!(alpha > 0 && alpha < 1)) {
      throw bad("out_of_range", "alpha must be between 0 and 1, exclusive", "alpha");
    }
    return alpha;
  }

  private static long positiveLong(JsonNode value, String field) {
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() <= 0) {
      throw bad("out_of_range", field + " must be a positive integer", field);
    }
    return value.asLong();
  }

  private static ObjectNode overrides(JsonNode value, DefinitionLimits limits) {
    if (!value.isObject()) {
      throw bad("invalid_type", "overrides must map unit ids to variant keys", "overrides");
    }
    DefinitionBounds.count(value, limits.maxOverrides(), "too_many", "overrides", "overrides");
    value
        .properties()
        .forEach(
            e -> {
              if (e.getKey().isEmpty()) {
                throw bad("invalid_value", "a unit id must not be empty", "overrides");
              }
              if (e.getKey().length() > limits.maxUnitIdChars()) {
                throw bad(
                    "too_long",
                    "an override unit id may have at most "
                        + limits.maxUnitIdChars()
                        + " characters",
                    "overrides");
              }
              JsonFields.key(e.getValue(), "overrides." + e.getKey());
            });
    return (ObjectNode) value;
  }

  /** The rules between fields of a whole definition; the aggregate checks them again on change. */
  private static void checkAcrossFields(ObjectNode e) {
    ArrayNode variants = (ArrayNode) e.get("variants");
    if (e.path("type").asText().equals("flag")
        && (variants.size() != 1 || variants.get(0).get("weight").asInt() != BASIS_POINTS)) {
      throw bad(
          "invalid_flag",
          "a feature flag has exactly one variant, of weight 10000, that carries its config",
          "variants");
    }
    if (e.has("layer") != e.has("layerSlots")) {
      String missing = e.has("layer") ? "layerSlots" : "layer";
      throw bad("missing_field", "layer and layerSlots go together", missing);
    }
    Set<String> variantKeys = new HashSet<>();
    variants.forEach(v -> variantKeys.add(v.get("key").asText()));
    if (e.has("overrides")) {
      e.get("overrides")
          .properties()
          .forEach(
              o -> {
                if (!variantKeys.contains(o.getValue().asText())) {
                  throw bad(
                      "unknown_variant",
                      "'" + o.getValue().asText() + "' is not a variant of this experiment",
                      "overrides." + o.getKey());
                }
              });
    }
    if (e.has("primaryMetric")) {
      Set<String> metricKeys = new HashSet<>();
      e.path("metrics").forEach(m -> metricKeys.add(m.get("key").asText()));
      if (!metricKeys.contains(e.get("primaryMetric").asText())) {
        throw bad(
            "unknown_metric",
            "primaryMetric must be the key of one of the metrics",
            "primaryMetric");
      }
    }
    if (e.path("sequential").asText().equals("obf")) {
      requireLooks(e);
    }
    if (e.has("startAt")
        && e.has("endAt")
        && !Instant.parse(e.get("endAt").asText())
            .isAfter(Instant.parse(e.get("startAt").asText()))) {
      throw bad("invalid_range", "endAt must be after startAt", "endAt");
    }
  }

  /**
   * A schedule in the past would act at the next tick: an {@code endAt} in the past would conclude
   * the experiment (an admin's decision, and a final one) within a second of an experimenter's
   * PATCH. Both are refused; {@code start} and {@code conclude} are the way to act now.
   */
  private static void notInThePast(ObjectNode fields, Instant now) {
    for (String field : List.of("startAt", "endAt")) {
      JsonNode value = fields.get(field);
      if (value != null && !value.isNull() && !Instant.parse(value.asText()).isAfter(now)) {
        throw bad(
            "in_the_past",
            field + " must be in the future; to act now, use the start or conclude action",
            field);
      }
    }
  }

  private static void requireLooks(ObjectNode e) {
    if (!e.has("looks") || e.get("looks").isNull()) {
      throw bad("missing_field", "sequential obf needs the number of planned looks", "looks");
    }
  }
}
