package org.abtest.http.routes;

import static org.abtest.http.routes.JsonFields.BASIS_POINTS;
import static org.abtest.http.routes.JsonFields.bad;
import static org.abtest.http.routes.JsonFields.present;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.BuiltInMetrics;
import org.abtest.protocol.experiment.DefinitionLimits;
import org.abtest.protocol.experiment.DefinitionRules;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.ExperimentPatch;
import org.abtest.protocol.experiment.Guardrail;
import org.abtest.protocol.experiment.RampPlan;
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
  record Patch(ExperimentPatch changes, boolean sticky) {}

  private ExperimentRequests() {}

  static Experiment parseCreate(ObjectNode body, DefinitionBounds bounds, Instant now) {
    Set<String> known = new HashSet<>();
    ExperimentField.all().stream()
        .filter(ExperimentField::creatable)
        .forEach(f -> known.add(f.jsonName()));
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
        e.set(
            field.getKey(),
            normalize(ExperimentField.fromJson(field.getKey()), field.getValue(), bounds));
      }
    }
    e.put("status", "DRAFT");
    notInThePast(e, now);
    Experiment experiment;
    try {
      experiment = BuiltInMetrics.complete(Json.mapper().treeToValue(e, Experiment.class));
    } catch (JsonProcessingException ex) {
      throw bad("invalid_definition", ex.getOriginalMessage(), null);
    }
    DefinitionRules.check(experiment)
        .ifPresent(
            v -> {
              throw bad(v.code(), v.message(), v.field());
            });
    return experiment;
  }

  static Patch parsePatch(ObjectNode body, DefinitionBounds bounds, Instant now) {
    List<ExperimentPatch.Change> changes = new ArrayList<>();
    boolean sticky = false;
    for (Map.Entry<String, JsonNode> entry : body.properties()) {
      String name = entry.getKey();
      ExperimentField field = ExperimentField.fromJson(name);
      if (name.equals("sticky")) {
        sticky = JsonFields.bool(entry.getValue(), "sticky");
      } else if (field != null && field.access() == ExperimentField.Access.IMMUTABLE) {
        throw bad("immutable_field", name + " cannot be changed after creation", name);
      } else if (field == null || !field.patchable()) {
        throw bad("unknown_field", "'" + name + "' is not a field this endpoint accepts", name);
      } else if (entry.getValue().isNull()) {
        if (!field.clearable()) {
          throw bad("missing_field", name + " cannot be cleared", name);
        }
        changes.add(new ExperimentPatch.Change(field, null));
      } else {
        changes.add(new ExperimentPatch.Change(field, normalize(field, entry.getValue(), bounds)));
      }
    }
    ExperimentPatch patch = new ExperimentPatch(changes);
    if (patch.isEmpty()) {
      throw bad("empty_patch", "the body changes no field", null);
    }
    notInThePast(patch, now);
    return new Patch(patch, sticky);
  }

  /** One field, checked as the model declares it, in the stored form. */
  private static JsonNode normalize(
      ExperimentField field, JsonNode value, DefinitionBounds bounds) {
    var json = Json.mapper().getNodeFactory();
    String name = field.jsonName();
    return switch (field.check()) {
      case TEXT -> json.textNode(text(value, name, bounds));
      case EXPERIMENT_TYPE ->
          json.textNode(JsonFields.oneOf(value, Set.of("experiment", "flag", "bandit"), name));
      case KEY -> json.textNode(JsonFields.key(value, name));
      case SLOT_RANGE -> rangeNode(JsonFields.range(value, name));
      case CONDITION -> targeting(value, bounds);
      case BASIS_POINTS -> json.numberNode(JsonFields.intIn(value, 0, BASIS_POINTS, name));
      case VARIANTS -> VariantRequests.variants(value, bounds);
      case METRICS -> VariantRequests.metrics(value, bounds.limits().maxMetrics());
      case GUARDRAILS -> guardrails(value, bounds.limits().maxMetrics());
      case PROBABILITY -> json.numberNode(alpha(value, name));
      case POSITIVE_COUNT -> json.numberNode(positiveLong(value, name));
      case SEQUENTIAL_METHOD ->
          json.textNode(JsonFields.oneOf(value, Set.of("none", "obf", "msprt"), name));
      case LOOKS -> json.numberNode(JsonFields.intIn(value, 1, 100, name));
      case BOOLEAN -> json.booleanNode(JsonFields.bool(value, name));
      case OVERRIDES -> overrides(value, bounds.limits());
      case FUTURE_INSTANT -> json.textNode(JsonFields.instant(value, name).toString());
      case RAMP_PLAN -> rampPlan(value);
      case ENVIRONMENTS -> EnvironmentRequests.settings(value);
      case NONE -> throw bad("unknown_field", "'" + name + "' is not a field", name);
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

  private static double alpha(JsonNode value, String field) {
    if (!value.isNumber()) {
      throw bad("invalid_type", field + " must be a number", field);
    }
    double alpha = value.asDouble();
    if (!(alpha > 0 && alpha < 1)) {
      throw bad("out_of_range", field + " must be between 0 and 1, exclusive", field);
    }
    return alpha;
  }

  private static long positiveLong(JsonNode value, String field) {
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() <= 0) {
      throw bad("out_of_range", field + " must be a positive integer", field);
    }
    return value.asLong();
  }

  /**
   * {@code [{"metric": "errors", "direction": "increase", "threshold": 0.05, "action": "kill"}]}:
   * at most one per metric, so at most as many as metrics; {@code threshold} defaults to 0.
   */
  private static ArrayNode guardrails(JsonNode value, int maxMetrics) {
    if (!value.isArray()) {
      throw bad("invalid_type", "guardrails must be an array", "guardrails");
    }
    DefinitionBounds.count(value, maxMetrics, "too_many", "guardrails", "guardrails");
    ArrayNode out = Json.mapper().createArrayNode();
    for (int i = 0; i < value.size(); i++) {
      String path = "guardrails[" + i + "]";
      JsonNode g = value.get(i);
      if (!g.isObject()) {
        throw bad("invalid_type", path + " must be an object", path);
      }
      JsonFields.rejectUnknown(
          (ObjectNode) g, Set.of("metric", "direction", "threshold", "action"), path + ".");
      for (String required : List.of("direction", "action")) {
        if (!present(g, required)) {
          throw bad("missing_field", path + "." + required + " is required", path + "." + required);
        }
      }
      ObjectNode normalized = out.addObject();
      normalized.put("metric", JsonFields.key(g.get("metric"), path + ".metric"));
      normalized.put(
          "direction",
          JsonFields.oneOf(
              g.get("direction"), Set.of("increase", "decrease"), path + ".direction"));
      double threshold = 0;
      if (present(g, "threshold")) {
        JsonNode t = g.get("threshold");
        if (!t.isNumber() || !(t.asDouble() >= 0) || t.asDouble() > Guardrail.MAX_THRESHOLD) {
          throw bad(
              "out_of_range",
              path + ".threshold is a relative change from 0 to " + (int) Guardrail.MAX_THRESHOLD,
              path + ".threshold");
        }
        threshold = t.asDouble();
      }
      normalized.put("threshold", threshold);
      normalized.put(
          "action",
          JsonFields.oneOf(g.get("action"), Set.of("kill", "pause", "alert"), path + ".action"));
    }
    return out;
  }

  /** {@code {"steps": [{"coverage": 100, "minutes": 60}, ...]}}, each path named when wrong. */
  private static ObjectNode rampPlan(JsonNode value) {
    if (!value.isObject()) {
      throw bad("invalid_type", "rampPlan must be an object with steps", "rampPlan");
    }
    JsonFields.rejectUnknown((ObjectNode) value, Set.of("steps", "rollback"), "rampPlan.");
    boolean rollback =
        present(value, "rollback") && JsonFields.bool(value.get("rollback"), "rampPlan.rollback");
    JsonNode steps = value.get("steps");
    if (steps == null || !steps.isArray() || steps.isEmpty()) {
      throw bad("missing_field", "rampPlan.steps must be a non-empty array", "rampPlan.steps");
    }
    DefinitionBounds.count(steps, RampPlan.MAX_STEPS, "too_many", "ramp steps", "rampPlan.steps");
    List<RampPlan.Step> parsed = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      String path = "rampPlan.steps[" + i + "]";
      JsonNode step = steps.get(i);
      if (!step.isObject()) {
        throw bad("invalid_type", path + " must be an object", path);
      }
      JsonFields.rejectUnknown((ObjectNode) step, Set.of("coverage", "minutes"), path + ".");
      JsonNode coverage = step.get("coverage");
      JsonNode minutes = step.get("minutes");
      if (coverage == null || minutes == null) {
        String missing = path + (coverage == null ? ".coverage" : ".minutes");
        throw bad("missing_field", missing + " is required", missing);
      }
      parsed.add(
          new RampPlan.Step(
              JsonFields.intIn(coverage, 1, BASIS_POINTS, path + ".coverage"),
              JsonFields.intIn(minutes, 0, RampPlan.MAX_MINUTES, path + ".minutes")));
    }
    RampPlan plan = new RampPlan(parsed, rollback);
    plan.problem()
        .ifPresent(
            problem -> {
              throw bad("invalid_ramp", problem, "rampPlan.steps");
            });
    return Json.mapper().valueToTree(plan);
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

  /**
   * A schedule in the past would act at the next tick: an {@code endAt} in the past would conclude
   * the experiment (an admin's decision, and a final one) within a second of an experimenter's
   * PATCH. Both are refused; {@code start} and {@code conclude} are the way to act now.
   */
  private static void notInThePast(ObjectNode fields, Instant now) {
    notInThePast(fields::get, now);
  }

  private static void notInThePast(ExperimentPatch patch, Instant now) {
    notInThePast(name -> patch.valueOf(ExperimentField.fromJson(name)), now);
  }

  private static void notInThePast(Function<String, JsonNode> fields, Instant now) {
    for (ExperimentField field : ExperimentField.all()) {
      JsonNode value = fields.apply(field.jsonName());
      if (field.check() == ExperimentField.Check.FUTURE_INSTANT
          && value != null
          && !value.isNull()
          && !Instant.parse(value.asText()).isAfter(now)) {
        throw bad(
            "in_the_past",
            field.jsonName()
                + " must be in the future; to act now, use the start or conclude action",
            field.jsonName());
      }
    }
  }
}
