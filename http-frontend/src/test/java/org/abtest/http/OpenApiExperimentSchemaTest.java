package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.abtest.protocol.assignment.Bucketing;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.Guardrail;
import org.abtest.protocol.experiment.RampPlan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The experiment schemas of {@code docs/openapi.yaml} say what {@link ExperimentField} says. */
class OpenApiExperimentSchemaTest {

  private static JsonNode document;

  @BeforeAll
  static void load() throws IOException {
    document = OpenApiDocument.load();
  }

  @Test
  void aCreateAcceptsExactlyTheCreatableFields() {
    assertThat(properties("ExperimentCreate").keySet())
        .containsExactlyInAnyOrderElementsOf(names(ExperimentField::creatable));
  }

  @Test
  void aPatchAcceptsExactlyThePatchableFieldsAndTheStickyFlag() {
    Set<String> expected = names(ExperimentField::patchable);
    expected.add("sticky");
    assertThat(properties("ExperimentPatch").keySet())
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void exactlyTheClearableFieldsAreNullableInAPatch() {
    Set<String> nullable =
        properties("ExperimentPatch").entrySet().stream()
            .filter(p -> p.getValue().path("nullable").asBoolean())
            .map(Map.Entry::getKey)
            .collect(Collectors.toSet());
    assertThat(nullable).containsExactlyInAnyOrderElementsOf(names(ExperimentField::clearable));
  }

  @Test
  void theExperimentShowsEveryFieldAndItsPhases() {
    Set<String> expected = names(f -> true);
    expected.add("phases"); // the view adds the phase history to the stored record
    assertThat(properties("Experiment").keySet()).containsExactlyInAnyOrderElementsOf(expected);
  }

  private static Set<String> names(Predicate<ExperimentField> which) {
    return ExperimentField.all().stream()
        .filter(which)
        .map(ExperimentField::jsonName)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** A schema's properties, its {@code allOf} parts' included, by name. */
  @Test
  void theRampAndGuardrailBoundsAreTheModels() {
    JsonNode steps = properties("Definition").get("rampPlan").path("properties").path("steps");
    assertThat(steps.path("maxItems").asInt()).isEqualTo(RampPlan.MAX_STEPS);
    assertThat(steps.at("/items/properties/minutes/maximum").asInt())
        .isEqualTo(RampPlan.MAX_MINUTES);
    assertThat(steps.at("/items/properties/coverage/maximum").asInt()).isEqualTo(Bucketing.BUCKETS);
    JsonNode threshold =
        properties("Definition").get("guardrails").at("/items/properties/threshold");
    assertThat(threshold.path("maximum").asDouble()).isEqualTo(Guardrail.MAX_THRESHOLD);
  }

  private static Map<String, JsonNode> properties(String schema) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    collect(document.path("components").path("schemas").path(schema), out);
    assertThat(out).as(schema + "'s properties").isNotEmpty();
    return out;
  }

  private static void collect(JsonNode schema, Map<String, JsonNode> out) {
    JsonNode at = schema;
    if (at.has("$ref")) {
      at = document.at(at.get("$ref").asText().substring(1));
    }
    at.path("allOf").forEach(part -> collect(part, out));
    at.path("properties").properties().forEach(p -> out.put(p.getKey(), p.getValue()));
  }
}
