package org.abtest.protocol.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.experiment.Variant;
import org.junit.jupiter.api.Test;

class SdkViewTest {

  static Manifest internal() throws Exception {
    JsonNode targeting =
        Json.mapper()
            .readTree("{\"userId\": {\"$in\": [\"vip-1\", \"vip-2\"]}, \"country\": \"US\"}");
    ManifestExperiment secret =
        new ManifestExperiment(
            "secret-launch",
            ExperimentType.EXPERIMENT,
            2,
            "salt-secret",
            "checkout-layer",
            new SlotRange(0, 5000),
            true,
            targeting,
            9000,
            List.of(
                new Variant("control", 5000, null),
                new Variant("new-pricing", 5000, Json.mapper().readTree("{\"price\": 9}"))),
            Map.of("qa-alice@example.com", "new-pricing"),
            List.of(
                new MetricDefinition("revenue-per-user", "purchase", MetricKind.MEAN, 168, null)),
            null,
            null);
    return new Manifest(
        12,
        List.of(secret),
        Map.of("checkout-layer", "layer-salt"),
        new Holdout("holdout-salt", new SlotRange(0, 100)));
  }

  @Test
  void theViewHoldsNoMetricLayerKeyOrOverrideUnitIdInClear() throws Exception {
    String json = Json.mapper().writeValueAsString(SdkView.of(internal(), false));
    assertThat(json)
        .doesNotContain("revenue-per-user")
        .doesNotContain("purchase")
        .doesNotContain("checkout-layer")
        .doesNotContain("qa-alice")
        .doesNotContain("metrics")
        .doesNotContain("phase")
        .contains("secret-launch", "new-pricing", "layer-salt", "\"price\":9");
    SdkExperiment e = SdkView.of(internal(), false).experiments().get(0);
    assertThat(e.overrides())
        .containsExactly(
            Map.entry(SdkKeys.unit("salt-secret", "qa-alice@example.com"), "new-pricing"));
    assertThat(e.layerSalt()).isEqualTo("layer-salt");
    assertThat(e.layerSlots()).isEqualTo(new SlotRange(0, 5000));
  }

  @Test
  void anObfuscatedViewHashesExperimentAndVariantKeysButKeepsConfigs() throws Exception {
    SdkManifest view = SdkView.of(internal(), true);
    String json = Json.mapper().writeValueAsString(view);
    assertThat(json).doesNotContain("secret-launch").doesNotContain("new-pricing");
    assertThat(view.obfuscated()).isTrue();
    SdkExperiment e = view.experiments().get(0);
    assertThat(e.key()).isEqualTo(SdkKeys.experiment("salt-secret", "secret-launch"));
    assertThat(e.variants())
        .extracting(Variant::key)
        .containsExactly(
            SdkKeys.variant("salt-secret", "control"),
            SdkKeys.variant("salt-secret", "new-pricing"));
    assertThat(e.variants().get(1).config().get("price").asInt()).isEqualTo(9);
    assertThat(e.overrides().values())
        .containsExactly(SdkKeys.variant("salt-secret", "new-pricing"));
  }

  @Test
  void theViewKeepsVersionHoldoutOrderAndWhatEvaluationNeeds() throws Exception {
    Manifest m = internal();
    SdkManifest view = SdkView.of(m, false);
    assertThat(view.version()).isEqualTo(12);
    assertThat(view.holdout()).isEqualTo(m.holdout());
    SdkExperiment e = view.experiments().get(0);
    ManifestExperiment source = m.experiments().get(0);
    assertThat(e.salt()).isEqualTo(source.salt());
    assertThat(e.coverage()).isEqualTo(source.coverage());
    assertThat(e.holdout()).isTrue();
    assertThat(e.targeting()).isEqualTo(source.targeting());
    assertThat(e.variants()).isEqualTo(source.variants());
  }

  @Test
  void aLayerWithoutASaltInTheManifestIsSaltedWithItsKeyAsTheServerDoes() throws Exception {
    Manifest m = internal();
    Manifest noSalts = new Manifest(m.version(), m.experiments(), Map.of(), m.holdout());
    assertThat(SdkView.of(noSalts, false).experiments().get(0).layerSalt())
        .isEqualTo("checkout-layer");
  }

  @Test
  void theViewReadsBackFromItsJson() throws Exception {
    SdkManifest view = SdkView.of(internal(), true);
    SdkManifest back =
        Json.mapper().readValue(Json.mapper().writeValueAsBytes(view), SdkManifest.class);
    assertThat(back).isEqualTo(view);
  }
}
