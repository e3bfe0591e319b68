package org.abtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.assignment.Evaluation.Outcome;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.junit.jupiter.api.Test;

/** A concluded experiment's shipped variant: served to everyone targeted, never exposed. */
class ShippedClientTest {

  private static final JsonNode US = Json.mapper().valueToTree(Map.of("country", "US"));
  private static final JsonNode FR = Json.mapper().valueToTree(Map.of("country", "FR"));

  /** checkout live, and "won" concluded with green shipped to the US. */
  static Manifest manifest() {
    Manifest live = AbTestClientTest.manifest(1, 10_000);
    ManifestExperiment won =
        new ManifestExperiment(
            "won",
            ExperimentType.EXPERIMENT,
            1,
            "salt-won",
            null,
            null,
            false,
            Json.mapper().createObjectNode().put("country", "US"),
            10_000,
            List.of(
                new Variant("green", 10_000, Json.mapper().createObjectNode().put("c", "green"))),
            Map.of(),
            List.of(),
            null,
            null);
    return new Manifest(1, live.experiments(), Map.of(), null, Map.of(), List.of(won));
  }

  private static AbTestClient client(StubServer stub) {
    return AbTestClient.builder(stub.uri(), StubServer.KEY)
        .flushInterval(Duration.ofMillis(50))
        .requestTimeout(Duration.ofSeconds(2))
        .build();
  }

  @Test
  void everyTargetedUnitGetsTheShippedVariantAndOnlyTheLiveExperimentIsExposed() throws Exception {
    for (boolean obfuscated : new boolean[] {false, true}) {
      try (StubServer stub = new StubServer()) {
        stub.obfuscated = obfuscated;
        stub.manifest.set(manifest());
        try (AbTestClient c = client(stub)) {
          assertThat(c.awaitManifest(Duration.ofSeconds(5))).isTrue();
          String checkout = null;
          for (int i = 0; i < 100; i++) {
            String unit = "u" + i;
            List<Assignment> all = c.assign(unit, US);
            assertThat(all).hasSize(2);
            assertThat(all.get(1).shipped()).isTrue();
            checkout = all.get(0).experiment();
            assertThat(all.get(1).config().get("c").asText()).isEqualTo("green");
            Optional<Assignment> won = c.assignment(unit, "won", US);
            assertThat(won).map(Assignment::shipped).contains(true);
            assertThat(c.evaluation(unit, "won", US).outcome()).isEqualTo(Outcome.TARGETED);
            assertThat(c.inVariant(unit, "won", "green", Map.of("country", "US"))).isTrue();
            c.exposure(unit, won.orElseThrow());
            assertThat(c.assign(unit, FR)).isEmpty();
          }
          c.flush(Duration.ofSeconds(5));
          // one exposure per assign() of checkout, none of "won" however it was asked for
          Eventually.within(Duration.ofSeconds(5), () -> stub.eventsReceived() == 100);
          assertThat(stub.batches)
              .flatExtracting(b -> List.copyOf(b.get("events").findValuesAsText("experiment")))
              .containsOnly(checkout);
        }
      }
    }
  }
}
