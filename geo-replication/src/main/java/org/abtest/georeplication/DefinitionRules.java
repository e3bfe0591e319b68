package org.abtest.georeplication;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.Variant;

/**
 * The rules that span several fields of a definition, checked again on every change because a
 * change of one field can break another (overrides naming a removed variant, a primary metric that
 * no longer exists). Each field on its own is validated by the HTTP layer.
 */
public final class DefinitionRules {

  public record Violation(String field, String message) {}

  private DefinitionRules() {}

  public static Optional<Violation> check(Experiment e) {
    Set<String> variants = new HashSet<>();
    int total = 0;
    for (Variant v : e.variants()) {
      variants.add(v.key());
      total += v.weight();
    }
    if (total != 10_000) {
      return Optional.of(
          new Violation("variants", "variant weights must sum to 10000, not " + total));
    }
    for (var override : e.overrides().entrySet()) {
      if (!variants.contains(override.getValue())) {
        return Optional.of(
            new Violation(
                "overrides." + override.getKey(),
                "'" + override.getValue() + "' is not a variant of this experiment"));
      }
    }
    if (e.primaryMetric() != null
        && e.metrics().stream().map(MetricDefinition::key).noneMatch(e.primaryMetric()::equals)) {
      return Optional.of(
          new Violation(
              "primaryMetric", "'" + e.primaryMetric() + "' is not one of the metrics' keys"));
    }
    if (e.startAt() != null && e.endAt() != null && !e.endAt().isAfter(e.startAt())) {
      return Optional.of(new Violation("endAt", "endAt must be after startAt"));
    }
    return Optional.empty();
  }
}
