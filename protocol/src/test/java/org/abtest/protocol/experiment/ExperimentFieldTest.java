package org.abtest.protocol.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;

class ExperimentFieldTest {

  private static final Experiment DRAFT =
      Experiment.draft(
          "checkout",
          "Checkout",
          10_000,
          List.of(new Variant("control", 5000, null), new Variant("treatment", 5000, null)));

  @Test
  void everyFieldOfTheRecordIsDeclaredOnceInItsOrderWithItsJsonName() {
    List<String> components =
        Arrays.stream(Experiment.class.getRecordComponents()).map(c -> c.getName()).toList();
    assertThat(ExperimentField.all().stream().map(ExperimentField::jsonName))
        .containsExactlyElementsOf(components);
    ObjectNode json = Json.mapper().valueToTree(DRAFT.asCreated("00ff", Instant.EPOCH));
    assertThat(ExperimentField.all().stream().map(ExperimentField::jsonName))
        .containsAll(() -> json.fieldNames());
  }

  @Test
  void thePerFieldReplicatedFieldsAreTheDefinitionAndTheSystemsSaltPhaseArchivedAndCreationTime() {
    assertThat(ExperimentField.perField().stream().map(ExperimentField::jsonName))
        .containsExactly(
            "name",
            "hypothesis",
            "description",
            "type",
            "layer",
            "layerSlots",
            "targeting",
            "coverage",
            "variants",
            "metrics",
            "primaryMetric",
            "guardrails",
            "alpha",
            "sampleSizeTarget",
            "sequential",
            "looks",
            "holdout",
            "stickyBucketing",
            "overrides",
            "startAt",
            "endAt",
            "rampPlan",
            "environments",
            "salt",
            "phase",
            "archived",
            "rampHalted",
            "createdAt");
  }

  @Test
  void onlyPatchableFieldsArePatchedAndOnlyClearableOnesCleared() {
    assertThat(
            ExperimentField.all().stream()
                .filter(ExperimentField::clearable)
                .map(ExperimentField::jsonName))
        .containsExactly(
            "hypothesis",
            "description",
            "targeting",
            "primaryMetric",
            "sampleSizeTarget",
            "looks",
            "startAt",
            "endAt",
            "rampPlan",
            "environments");
    assertThat(
            ExperimentField.all().stream()
                .filter(f -> f.access() == ExperimentField.Access.IMMUTABLE)
                .map(ExperimentField::jsonName))
        .containsExactly("key", "type", "layer", "layerSlots");
    assertThat(
            ExperimentField.all().stream()
                .filter(ExperimentField::adminOnceStarted)
                .map(ExperimentField::jsonName))
        .containsExactly("guardrails", "holdout", "endAt", "environments");
    assertThat(
            ExperimentField.all().stream()
                .filter(ExperimentField::clearable)
                .allMatch(ExperimentField::patchable))
        .isTrue();
  }

  @Test
  void withReplacesTheNamedFieldsAndKeepsEveryOther() {
    Experiment created = DRAFT.asCreated("00ff", Instant.EPOCH);
    Experiment changed =
        created.with(Map.of(ExperimentField.NAME, "Renamed", ExperimentField.COVERAGE, 500));
    assertThat(changed.name()).isEqualTo("Renamed");
    assertThat(changed.coverage()).isEqualTo(500);
    assertThat(changed)
        .usingRecursiveComparison()
        .ignoringFields("name", "coverage")
        .isEqualTo(created);
  }

  @Test
  void aPatchDecodesEachValueAsTheRecordsTypeAndANullClears() {
    Experiment created =
        DRAFT
            .with(Map.of(ExperimentField.HYPOTHESIS, "faster is better"))
            .asCreated("00ff", Instant.EPOCH);
    ObjectNode body = Json.mapper().createObjectNode();
    body.putArray("layerSlots").add(0).add(5000);
    ExperimentPatch patch =
        new ExperimentPatch(
                List.of(
                    new ExperimentPatch.Change(
                        ExperimentField.HYPOTHESIS, Json.mapper().nullNode()),
                    new ExperimentPatch.Change(
                        ExperimentField.SEQUENTIAL,
                        Json.mapper().getNodeFactory().textNode("msprt")),
                    new ExperimentPatch.Change(
                        ExperimentField.END_AT,
                        Json.mapper().getNodeFactory().textNode("2030-01-01T00:00:00Z"))))
            .and(ExperimentField.ALPHA, 0.01);
    Experiment patched = patch.applyTo(created);
    assertThat(patched.hypothesis()).isNull();
    assertThat(patched.sequential()).isEqualTo(SequentialMethod.MSPRT);
    assertThat(patched.endAt()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(patched.alpha()).isEqualTo(0.01);
    assertThat(patch.fields())
        .containsExactly(
            ExperimentField.HYPOTHESIS,
            ExperimentField.ALPHA,
            ExperimentField.SEQUENTIAL,
            ExperimentField.END_AT);
    assertThat(ExperimentField.LAYER_SLOTS.decode(body.get("layerSlots")))
        .isEqualTo(new SlotRange(0, 5000));
  }

  @Test
  void aPatchCrossesTheWireBetweenNodesUnchanged() throws Exception {
    ExperimentPatch patch =
        ExperimentPatch.of(ExperimentField.COVERAGE, 2500).and(ExperimentField.TARGETING, null);
    byte[] wire = Json.mapper().writeValueAsBytes(patch);
    ExperimentPatch read = Json.mapper().readValue(wire, ExperimentPatch.class);
    assertThat(read.applyTo(DRAFT).coverage()).isEqualTo(2500);
    assertThat(read.fields()).containsExactly(ExperimentField.TARGETING, ExperimentField.COVERAGE);
    assertThat(ExperimentField.fromJson("layerSlots")).isEqualTo(ExperimentField.LAYER_SLOTS);
    assertThat(ExperimentField.fromJson("nope")).isNull();
  }
}
