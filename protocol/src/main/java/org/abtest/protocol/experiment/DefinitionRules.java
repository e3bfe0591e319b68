package org.abtest.protocol.experiment;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.abtest.protocol.assignment.Bucketing;

/**
 * The rules that span fields of a definition, in one place: a create is checked against them, and
 * every change again (the change of one field can break another: overrides naming a removed
 * variant, a primary metric that no longer exists). Each field's own value is checked by the HTTP
 * layer.
 */
public final class DefinitionRules {

  /**
   * @param code the API's error code
   * @param field the field path at fault
   */
  public record Violation(String code, String field, String message) {}

  private DefinitionRules() {}

  /** The first rule {@code e} breaks, in the order a user would fix them. */
  public static Optional<Violation> check(Experiment e) {
    Set<String> variants = new HashSet<>();
    int total = 0;
    for (Variant v : e.variants()) {
      variants.add(v.key());
      total += v.weight();
    }
    if (total != Bucketing.BUCKETS) {
      return violation(
          "invalid_weights",
          "variants",
          "variant weights must sum to " + Bucketing.BUCKETS + " basis points, not " + total);
    }
    if (e.type() == ExperimentType.FLAG
        && (e.variants().size() != 1 || e.variants().get(0).weight() != Bucketing.BUCKETS)) {
      return violation(
          "invalid_flag",
          "variants",
          "a feature flag has exactly one variant, of weight "
              + Bucketing.BUCKETS
              + ", that carries its config");
    }
    if ((e.layer() == null) != (e.layerSlots() == null)) {
      return violation(
          "missing_field",
          e.layer() == null ? "layer" : "layerSlots",
          "layer and layerSlots go together");
    }
    for (var override : e.overrides().entrySet()) {
      if (!variants.contains(override.getValue())) {
        return violation(
            "unknown_variant",
            "overrides." + override.getKey(),
            "'" + override.getValue() + "' is not a variant of this experiment");
      }
    }
    if (e.primaryMetric() != null
        && e.metrics().stream().map(MetricDefinition::key).noneMatch(e.primaryMetric()::equals)) {
      return violation(
          "unknown_metric", "primaryMetric", "primaryMetric must be the key of one of the metrics");
    }
    for (int i = 0; i < e.metrics().size(); i++) {
      if (e.metrics().get(i).key().equals(BuiltInMetrics.SRM)) {
        return violation(
            "reserved_metric",
            "metrics[" + i + "].key",
            "'"
                + BuiltInMetrics.SRM
                + "' is the sample-ratio guardrail's: give the metric another key");
      }
    }
    Set<String> guarded = new HashSet<>();
    for (int i = 0; i < e.guardrails().size(); i++) {
      String metric = e.guardrails().get(i).metric();
      String field = "guardrails[" + i + "].metric";
      if (!metric.equals(BuiltInMetrics.SRM)
          && e.metrics().stream().map(MetricDefinition::key).noneMatch(metric::equals)) {
        return violation(
            "unknown_metric",
            field,
            "a guardrail watches one of the metrics, a built-in one (error, latency_ms) or srm; '"
                + metric
                + "' is none");
      }
      if (!guarded.add(metric)) {
        return violation(
            "duplicate_guardrail", field, "metric '" + metric + "' has a guardrail already");
      }
    }
    if (e.sequential() == SequentialMethod.OBF && e.looks() == null) {
      return violation(
          "missing_field", "looks", "sequential obf needs the number of planned looks");
    }
    if (e.rampPlan() != null) {
      var problem = e.rampPlan().problem();
      if (problem.isPresent()) {
        return violation("invalid_ramp", "rampPlan", problem.get());
      }
      if (e.rampPlan().stepAt(e.coverage()) < 0) {
        return violation(
            "invalid_ramp",
            "coverage",
            "coverage must be the coverage of one of the ramp's steps (the step it is at), not "
                + e.coverage());
      }
    }
    if (e.startAt() != null && e.endAt() != null && !e.endAt().isAfter(e.startAt())) {
      return violation("invalid_range", "endAt", "endAt must be after startAt");
    }
    return Optional.empty();
  }

  private static Optional<Violation> violation(String code, String field, String message) {
    return Optional.of(new Violation(code, field, message));
  }
}
