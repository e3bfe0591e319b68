package org.abtest.protocol.assignment;

import static org.abtest.protocol.assignment.Manifests.experiment;
import static org.abtest.protocol.assignment.Manifests.json;
import static org.abtest.protocol.assignment.Manifests.layered;
import static org.abtest.protocol.assignment.Manifests.manifest;
import static org.abtest.protocol.assignment.Manifests.variantOf;
import static org.abtest.protocol.assignment.Manifests.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.manifest.Holdout;
import org.junit.jupiter.api.Test;

/** {@link CompiledManifest#variantOf}: the one assignment an exposure is checked against. */
class VariantOfTest {

  private static final JsonNode US = json("{\"country\":\"US\"}");

  private static final CompiledManifest COMPILED =
      CompiledManifest.compile(
          manifest(
              Map.of("checkout", "layer-salt"),
              new Holdout("holdout-salt", new SlotRange(0, 1000)),
              with(experiment("plain", 6000, 5000, 5000), null, true, Map.of("qa-1", "v1")),
              with(
                  experiment("targeted", 10_000, 3000, 7000),
                  json("{\"country\":{\"$in\":[\"US\"]}}"),
                  false,
                  Map.of()),
              layered("left", "checkout", 0, 5000, 5000, 5000),
              layered("right", "checkout", 5000, 10_000, 2000, 8000)));

  @Test
  void agreesWithEvaluateForEveryExperimentOnManyUnits() {
    for (int i = 0; i < 20_000; i++) {
      String unit = "unit-" + i;
      var all = COMPILED.evaluate(unit, US);
      for (String key : new String[] {"plain", "targeted", "left", "right"}) {
        Assignment one = COMPILED.variantOf(key, unit, US);
        assertThat(one == null ? null : one.variant())
            .as(unit + " " + key)
            .isEqualTo(variantOf(all, key));
      }
    }
  }

  @Test
  void withoutAttributesTargetingIsNotTestedButEverythingElseIs() {
    for (int i = 0; i < 2000; i++) {
      String unit = "unit-" + i;
      Assignment skipped = COMPILED.variantOf("targeted", unit, null);
      Assignment asUs = COMPILED.variantOf("targeted", unit, US);
      assertThat(skipped).isEqualTo(asUs);
      assertThat(COMPILED.variantOf("targeted", unit, json("{\"country\":\"FR\"}"))).isNull();
    }
  }

  @Test
  void theExperimentsOwnOverrideIsHonoured() {
    assertThat(COMPILED.variantOf("plain", "qa-1", null).variant()).isEqualTo("v1");
  }

  @Test
  void unitsOutsideCoverageOrTheirLayerSlotOrInTheHoldoutGetNothing() {
    int outside = 0;
    for (int i = 0; i < 5000; i++) {
      String unit = "unit-" + i;
      boolean held = Bucketing.bucket("holdout-salt", unit) < 1000;
      int bucket = Bucketing.bucket("salt-plain", unit);
      boolean covered = bucket < 3000 || (bucket >= 5000 && bucket < 8000);
      Assignment got = COMPILED.variantOf("plain", unit, null);
      assertThat(got != null).as(unit).isEqualTo(covered && !held);
      outside += got == null ? 1 : 0;
      boolean leftSlot = Bucketing.bucket("layer-salt", unit) < 5000;
      assertThat(COMPILED.variantOf("left", unit, null) != null).isEqualTo(leftSlot);
      assertThat(COMPILED.variantOf("right", unit, null) != null).isEqualTo(!leftSlot);
    }
    assertThat(outside).isGreaterThan(1000);
  }

  @Test
  void anExperimentNotInTheManifestIsNotLiveAndAssignsNothing() {
    assertThat(COMPILED.isLive("plain")).isTrue();
    assertThat(COMPILED.isLive("paused-or-gone")).isFalse();
    assertThat(COMPILED.variantOf("paused-or-gone", "unit-1", null)).isNull();
    assertThat(CompiledManifest.EMPTY.variantOf("plain", "unit-1", null)).isNull();
  }
}
