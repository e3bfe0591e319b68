package org.abtest.protocol.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Holdout;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.abtest.protocol.manifest.SdkManifest;
import org.abtest.protocol.manifest.SdkView;
import org.junit.jupiter.api.Test;

/**
 * The SDK view answers what the internal manifest answers: for generated manifests (layers with and
 * without salts, holdout, targeting, coverage, QA overrides) and thousands of units, among them
 * every override unit, the server's evaluation of the internal manifest equals the SDK's evaluation
 * of the view it downloads (as JSON), and with an obfuscated view equals it after the server hashes
 * its keys.
 */
class SdkViewAgreementTest {

  private static final String[] CONDITIONS = {
    null,
    "{\"country\":{\"$in\":[\"US\",\"CA\"]}}",
    "{\"app.version\":{\"$vgte\":\"3.0.0\"}}",
    "{\"beta\":true}",
    "{\"$or\":[{\"country\":\"FR\"},{\"beta\":{\"$exists\":false}}]}"
  };

  @Test
  void theSdkViewAndTheInternalManifestAgreeOnGeneratedManifestsAndUnits() throws Exception {
    Random random = new Random(20261201);
    int compared = 0;
    int overridden = 0;
    for (int m = 0; m < 40; m++) {
      Manifest internal = generated(random, m);
      CompiledManifest server = CompiledManifest.compile(internal);
      CompiledManifest sdk = CompiledManifest.compile(downloaded(internal, false));
      CompiledManifest sdkObfuscated = CompiledManifest.compile(downloaded(internal, true));
      assertThat(sdk.problems()).hasSameSizeAs(server.problems());
      assertThat(sdkObfuscated.problems()).hasSameSizeAs(server.problems());
      List<String> units = new ArrayList<>();
      for (ManifestExperiment e : internal.experiments()) {
        units.addAll(e.overrides().keySet());
      }
      overridden += units.size();
      for (int i = 0; i < 1500; i++) {
        units.add("user-" + random.nextInt(1_000_000));
      }
      for (String unit : units) {
        ObjectNode attributes = AssignmentPropertiesTest.attributes(random);
        List<Assignment> expected = server.evaluate(unit, attributes);
        assertThat(sdk.evaluate(unit, attributes)).as("unit %s", unit).isEqualTo(expected);
        assertThat(sdkObfuscated.evaluate(unit, attributes))
            .as("unit %s, obfuscated", unit)
            .isEqualTo(server.hashedKeys().hide(expected));
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(60_000);
    assertThat(overridden).isGreaterThan(500);
  }

  @Test
  void overrideUnitsGetTheirForcedVariantFromTheViewToo() throws Exception {
    Manifest internal = AssignmentPropertiesTest.mixed();
    CompiledManifest sdk = CompiledManifest.compile(downloaded(internal, false));
    // qa-7 is forced into v1 of "targeted" whatever the targeting says
    assertThat(Manifests.variantOf(sdk.evaluate("qa-7", null), "targeted")).isEqualTo("v1");
    CompiledManifest obfuscated = CompiledManifest.compile(downloaded(internal, true));
    String key = obfuscated.keyOf("targeted");
    assertThat(Manifests.variantOf(obfuscated.evaluate("qa-7", null), key))
        .isEqualTo(obfuscated.variantKeyOf("targeted", "v1"));
  }

  @Test
  void anExperimentTheServerCannotCompileIsLeftOutOfTheViewsEvaluationToo() throws Exception {
    ManifestExperiment broken =
        Manifests.with(
            Manifests.experiment("broken", 10_000, 10_000), null, false, Map.of("u", "nope"));
    Manifest internal = Manifests.manifest(broken, Manifests.experiment("fine", 10_000, 10_000));
    for (boolean obfuscated : new boolean[] {false, true}) {
      CompiledManifest sdk = CompiledManifest.compile(downloaded(internal, obfuscated));
      assertThat(sdk.problems()).hasSize(1);
      assertThat(sdk.evaluate("u", null)).hasSize(1);
    }
  }

  private static SdkManifest downloaded(Manifest internal, boolean obfuscated) throws Exception {
    byte[] json = Json.mapper().writeValueAsBytes(SdkView.of(internal, obfuscated));
    return Json.mapper().readValue(json, SdkManifest.class);
  }

  /** A random manifest: 1 to 8 experiments, some in two layers, one of which has no salt. */
  private static Manifest generated(Random random, int seed) {
    List<ManifestExperiment> experiments = new ArrayList<>();
    int[] layerNext = {0, 0};
    int n = 1 + random.nextInt(8);
    for (int i = 0; i < n; i++) {
      int arms = 1 + random.nextInt(4);
      List<Variant> variants = new ArrayList<>();
      int left = 10_000;
      for (int a = 0; a < arms; a++) {
        int w = a == arms - 1 ? left : random.nextInt(left / (arms - a) + 1);
        left -= w;
        variants.add(
            new Variant(
                a == 0 ? "control" : "v" + a, w, Json.mapper().createObjectNode().put("a", a)));
      }
      String layer = null;
      SlotRange slots = null;
      int l = random.nextInt(3);
      if (l < 2 && layerNext[l] < 10_000) {
        int width = 1 + random.nextInt(10_000 - layerNext[l]);
        layer = l == 0 ? "salted-layer" : "unsalted-layer";
        slots = new SlotRange(layerNext[l], layerNext[l] + width);
        layerNext[l] += width;
      }
      Map<String, String> overrides = new HashMap<>();
      for (int o = random.nextInt(30); o > 0; o--) {
        overrides.put("qa-" + random.nextInt(100_000), variants.get(random.nextInt(arms)).key());
      }
      String condition = CONDITIONS[random.nextInt(CONDITIONS.length)];
      experiments.add(
          new ManifestExperiment(
              "e" + seed + "-" + i,
              ExperimentType.EXPERIMENT,
              1,
              "salt-" + seed + "-" + i + "-" + random.nextInt(),
              layer,
              slots,
              random.nextBoolean(),
              condition == null ? null : Manifests.json(condition),
              random.nextInt(10_001),
              variants,
              overrides,
              List.of(),
              null,
              null));
    }
    Holdout holdout =
        random.nextBoolean() ? new Holdout("holdout-" + seed, new SlotRange(0, 1000)) : null;
    return new Manifest(
        seed + 1, experiments, Map.of("salted-layer", "layer-salt-" + seed), holdout);
  }
}
