package org.abtest.protocol.assignment;

import static org.abtest.protocol.assignment.Manifests.experiment;
import static org.abtest.protocol.assignment.Manifests.json;
import static org.abtest.protocol.assignment.Manifests.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Evaluation.Outcome;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.HashedKeys;
import org.abtest.protocol.manifest.Holdout;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.abtest.protocol.manifest.SdkManifest;
import org.abtest.protocol.manifest.SdkView;
import org.junit.jupiter.api.Test;

/** A concluded experiment's shipped variant ({@link Manifest#shipped}), as evaluators serve it. */
class ShippedTest {

  private static final JsonNode US = json("{\"country\":\"US\"}");
  private static final JsonNode FR = json("{\"country\":\"FR\"}");
  private static final Holdout HOLDOUT = new Holdout("holdout-salt", new SlotRange(0, 1000));

  /** A concluded experiment that shipped {@code green}, as the manifest publisher derives it. */
  private static ManifestExperiment shipped(String key, JsonNode targeting, boolean holdout) {
    Experiment e =
        Experiment.draft(
                key,
                key,
                2000,
                List.of(
                    new Variant("control", 5000, null),
                    new Variant("green", 5000, Json.mapper().createObjectNode().put("c", "g"))))
            .asCreated("salt-" + key, Instant.EPOCH)
            .with(
                Map.of(
                    ExperimentField.STATUS,
                    ExperimentStatus.CONCLUDED,
                    ExperimentField.SHIPPED,
                    "green",
                    ExperimentField.HOLDOUT,
                    holdout,
                    ExperimentField.OVERRIDES,
                    Map.of("qa-1", "control"),
                    ExperimentField.LAYER,
                    "checkout",
                    ExperimentField.LAYER_SLOTS,
                    new SlotRange(0, 100)));
    if (targeting != null) {
      e = e.with(Map.of(ExperimentField.TARGETING, targeting));
    }
    return ManifestExperiment.shipping(e);
  }

  private static Manifest manifest(List<ManifestExperiment> live, List<ManifestExperiment> ships) {
    return new Manifest(9, live, Map.of("checkout", "layer-salt"), HOLDOUT, Map.of(), ships);
  }

  @Test
  void everyUnitGetsTheShippedVariantMarkedShippedAfterTheLiveExperiments() {
    CompiledManifest m =
        CompiledManifest.compile(
            manifest(
                List.of(experiment("live", 10_000, 5000, 5000)),
                List.of(shipped("won", null, false))));
    assertThat(m.problems()).isEmpty();
    for (int i = 0; i < 1000; i++) {
      List<Assignment> all = m.evaluate("unit-" + i, null);
      assertThat(all).hasSize(2);
      assertThat(all.get(0).experiment()).isEqualTo("live");
      assertThat(all.get(0).shipped()).isFalse();
      Assignment won = all.get(1);
      assertThat(won.experiment()).isEqualTo("won");
      assertThat(won.variant()).isEqualTo("green");
      assertThat(won.config().get("c").asText()).isEqualTo("g");
      assertThat(won.shipped()).isTrue();
    }
  }

  @Test
  void aShippedExperimentIsNotLiveSoNoExposureOfItIsAccepted() {
    CompiledManifest m =
        CompiledManifest.compile(manifest(List.of(), List.of(shipped("won", null, false))));
    assertThat(m.isLive("won")).isFalse();
    assertThat(m.liveKeys()).isEmpty();
    assertThat(m.shippedKeys()).containsExactly("won");
    assertThat(m.variantOf("won", "unit-1", null)).isNull();
    assertThat(m.variantOf("won", "unit-1", US)).isNull();
    Evaluation e = m.explain("won", "unit-1", null);
    assertThat(e.outcome()).isEqualTo(Outcome.SHIPPED);
    assertThat(e.outcome().reason()).isEqualTo("STATIC");
    assertThat(e.assignment().shipped()).isTrue();
  }

  @Test
  void theHoldoutAndTheTargetingStillDecideWhoGetsIt() {
    CompiledManifest m =
        CompiledManifest.compile(
            manifest(
                List.of(),
                List.of(shipped("won", json("{\"country\":{\"$in\":[\"US\"]}}"), true))));
    int held = 0;
    for (int i = 0; i < 2000; i++) {
      String unit = "unit-" + i;
      boolean inHoldout = HOLDOUT.range().contains(Bucketing.bucket(HOLDOUT.salt(), unit));
      Evaluation us = m.explain("won", unit, US);
      Evaluation fr = m.explain("won", unit, FR);
      assertThat(fr.outcome()).isIn(Outcome.NOT_TARGETED, Outcome.HOLDOUT);
      assertThat(m.evaluate(unit, FR)).isEmpty();
      if (inHoldout) {
        held++;
        assertThat(us.outcome()).isEqualTo(Outcome.HOLDOUT);
        assertThat(m.evaluate(unit, US)).isEmpty();
      } else {
        assertThat(us.outcome()).isEqualTo(Outcome.TARGETED);
        assertThat(m.evaluate(unit, US)).extracting(Assignment::variant).containsExactly("green");
      }
    }
    assertThat(held).isBetween(120, 280); // 10 % of 2000
  }

  @Test
  void aShippedEntryOfAnotherShapeOrKeyIsLeftOutAndListed() {
    ManifestExperiment split = experiment("split", 10_000, 5000, 5000);
    ManifestExperiment partial = experiment("partial", 5000, 10_000);
    ManifestExperiment forced =
        with(experiment("forced", 10_000, 10_000), null, false, Map.of("u", "control"));
    CompiledManifest m =
        CompiledManifest.compile(
            manifest(
                List.of(experiment("live", 10_000, 10_000)),
                List.of(
                    split,
                    partial,
                    forced,
                    shipped("live", null, false),
                    shipped("won", null, false),
                    shipped("won", null, false))));
    assertThat(m.problems())
        .containsExactly(
            "split: shipped: 2 variants, not exactly one",
            "partial: shipped: its coverage is not 10000",
            "forced: shipped: it has overrides",
            "live: shipped: also a live experiment",
            "won: shipped: listed twice");
    assertThat(m.shippedKeys()).containsExactly("won");
    assertThat(m.evaluate("unit-1", null))
        .extracting(Assignment::experiment)
        .containsExactly("live", "won");
  }

  @Test
  void theSdkManifestShipsTheSameAnswersInClearAndObfuscated() {
    Manifest internal =
        manifest(
            List.of(experiment("live", 10_000, 5000, 5000)),
            List.of(shipped("won", json("{\"country\":\"US\"}"), true)));
    CompiledManifest server = CompiledManifest.compile(internal);
    for (boolean obfuscated : new boolean[] {false, true}) {
      SdkManifest view = SdkView.of(internal, obfuscated);
      assertThat(view.shipped()).hasSize(1);
      CompiledManifest sdk = CompiledManifest.compile(view);
      HashedKeys keys = server.hashedKeys();
      for (int i = 0; i < 500; i++) {
        String unit = "unit-" + i;
        List<Assignment> expected = server.evaluate(unit, US);
        assertThat(sdk.evaluate(unit, US)).isEqualTo(obfuscated ? keys.hide(expected) : expected);
      }
      String key = sdk.keyOf("won");
      assertThat(key).isNotNull();
      assertThat(sdk.explain(key, "unit-7", US).assignment().variant())
          .isEqualTo(sdk.variantKeyOf("won", "green"));
    }
  }

  @Test
  void aManifestWithoutShippedEntriesWritesNoShippedField() {
    Manifest internal = manifest(List.of(experiment("live", 10_000, 10_000)), List.of());
    assertThat(Json.mapper().valueToTree(internal).has("shipped")).isFalse();
    assertThat(Json.mapper().valueToTree(SdkView.of(internal, false)).has("shipped")).isFalse();
  }

  @Test
  void ashippedAssignmentSaysSoInJsonAndALiveOneDoesNot() {
    assertThat(Json.mapper().valueToTree(new Assignment("a", "b", null, true)).get("shipped"))
        .isNotNull();
    assertThat(Json.mapper().valueToTree(new Assignment("a", "b", null)).has("shipped")).isFalse();
  }
}
