package org.abtest.node.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.http.ports.EventLimits;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.CompiledManifest;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Holdout;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.abtest.protocol.manifest.SdkManifest;
import org.junit.jupiter.api.Test;

/** What the node serves to SDK keys, and that it answers what the SDK computes from it. */
class ServedSdkViewsTest {

  static Manifest manifest() {
    Map<String, String> overrides = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      overrides.put("qa-" + i, i % 2 == 0 ? "green" : "control");
    }
    ManifestExperiment checkout =
        new ManifestExperiment(
            "checkout-secret",
            ExperimentType.EXPERIMENT,
            1,
            "salt-checkout",
            "checkout-layer",
            new SlotRange(0, 8000),
            true,
            Json.mapper().createObjectNode().put("country", "US"),
            7000,
            List.of(
                new Variant("control", 5000, null),
                new Variant("green", 5000, Json.mapper().createObjectNode().put("c", "g"))),
            overrides,
            List.of(new MetricDefinition("revenue-metric", "purchase", MetricKind.MEAN, 24)),
            null,
            null);
    ManifestExperiment flag =
        new ManifestExperiment(
            "search-flag",
            ExperimentType.FLAG,
            1,
            "salt-flag",
            null,
            null,
            false,
            null,
            3000,
            List.of(new Variant("on", 10_000, null)),
            Map.of("qa-1", "on"),
            List.of(),
            null,
            null);
    return new Manifest(
        9,
        List.of(checkout, flag),
        Map.of("checkout-layer", "layer-salt"),
        new Holdout("holdout-salt", new SlotRange(0, 300)));
  }

  @Test
  void bothViewsAreServedForTheSameVersionAndOnlyThePlainOneNamesKeys() {
    ManifestHolder holder = new ManifestHolder();
    assertThat(holder.served(true)).isEmpty();
    holder.offer(manifest());
    String plain = new String(holder.served(false).orElseThrow().json(), StandardCharsets.UTF_8);
    String hashed = new String(holder.served(true).orElseThrow().json(), StandardCharsets.UTF_8);
    assertThat(holder.served()).isEqualTo(holder.served(false));
    assertThat(holder.served(true).orElseThrow().version()).isEqualTo(9);
    assertThat(plain).contains("checkout-secret", "green").doesNotContain("qa-1\"");
    for (String clear :
        List.of("checkout-secret", "search-flag", "green", "control", "qa-1\"", "checkout-layer")) {
      assertThat(hashed).doesNotContain(clear);
    }
    for (String internal : List.of("revenue-metric", "purchase", "metrics", "phase")) {
      assertThat(plain).doesNotContain(internal);
      assertThat(hashed).doesNotContain(internal);
    }
  }

  @Test
  void theNodesAnswersEqualWhatTheSdkComputesFromEitherViewOverThousandsOfUnits() throws Exception {
    ManifestHolder holder = new ManifestHolder();
    holder.offer(manifest());
    LocalAssignmentService service =
        new LocalAssignmentService(
            holder,
            null,
            new EventLimits(
                Duration.ofDays(7),
                Duration.ofMinutes(10),
                128,
                256,
                128,
                64,
                8,
                16 * 1024,
                4L * 1024 * 1024,
                1024 * 1024 - 128),
            Clock.systemUTC(),
            new PrometheusRegistry());
    CompiledManifest plain = sdk(holder, false);
    CompiledManifest hashed = sdk(holder, true);
    java.util.Random random = new java.util.Random(11);
    int overridden = 0;
    for (int i = 0; i < 5000; i++) {
      String unit = i < 200 ? "qa-" + i : "user-" + random.nextInt(1_000_000);
      ObjectNode attributes =
          Json.mapper().createObjectNode().put("country", random.nextBoolean() ? "US" : "FR");
      var clear = service.assign(unit, attributes, false, Map.of(), false);
      var obfuscated = service.assign(unit, attributes, false, Map.of(), true);
      assertThat(plain.evaluate(unit, attributes)).as(unit).isEqualTo(clear.assignments());
      assertThat(hashed.evaluate(unit, attributes)).as(unit).isEqualTo(obfuscated.assignments());
      assertThat(obfuscated.assignments()).hasSameSizeAs(clear.assignments());
      overridden += i < 200 && !clear.assignments().isEmpty() ? 1 : 0;
    }
    assertThat(overridden).isEqualTo(200);
  }

  private static CompiledManifest sdk(ManifestHolder holder, boolean obfuscated) throws Exception {
    return CompiledManifest.compile(
        Json.mapper().readValue(holder.served(obfuscated).orElseThrow().json(), SdkManifest.class));
  }
}
