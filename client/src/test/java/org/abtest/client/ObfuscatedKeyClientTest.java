package org.abtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.Reason;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.manifest.SdkKeys;
import org.junit.jupiter.api.Test;

/** The client against an obfuscated SDK key: the manifest lists only hashed keys. */
class ObfuscatedKeyClientTest {

  private static final Map<String, String> US = Map.of("country", "US");

  private static AbTestClient.Builder client(StubServer stub) {
    return AbTestClient.builder(stub.uri(), StubServer.KEY)
        .pollInterval(Duration.ofMillis(50))
        .flushInterval(Duration.ofMillis(50))
        .requestTimeout(Duration.ofSeconds(2));
  }

  @Test
  void anExperimentAskedForByItsRealKeyIsFoundAndAnsweredUnderThatKey() throws Exception {
    try (StubServer stub = new StubServer()) {
      stub.obfuscated = true;
      stub.manifest.set(AbTestClientTest.manifest(1, 10_000));
      try (AbTestClient c = client(stub).logExposures(false).build()) {
        assertThat(c.awaitManifest(Duration.ofSeconds(5))).isTrue();
        int green = 0;
        for (int i = 0; i < 500; i++) {
          Optional<String> variant = c.variant("u" + i, "checkout", US);
          assertThat(variant).isPresent();
          boolean isGreen = c.inVariant("u" + i, "checkout", "green", US);
          assertThat(isGreen).isNotEqualTo(c.inVariant("u" + i, "checkout", "control", US));
          assertThat(variant.get())
              .isEqualTo(SdkKeys.variant("salt-1", isGreen ? "green" : "control"));
          green += isGreen ? 1 : 0;
        }
        assertThat(green).isBetween(200, 300);
        Assignment a = c.assignment("u1", "checkout", Json.mapper().valueToTree(US)).orElseThrow();
        assertThat(a.experiment()).isEqualTo("checkout");
        assertThat(c.variant("u1", "no-such-experiment", US)).isEmpty();
      }
    }
  }

  @Test
  void configsStayReadableSoFlagsWorkUnchanged() throws Exception {
    try (StubServer stub = new StubServer()) {
      stub.obfuscated = true;
      stub.manifest.set(AbTestClientTest.manifest(1, 10_000));
      try (AbTestClient c = client(stub).logExposures(false).build()) {
        assertThat(c.awaitManifest(Duration.ofSeconds(5))).isTrue();
        for (int i = 0; i < 100; i++) {
          Assignment a =
              c.assignment("u" + i, "checkout", Json.mapper().valueToTree(US)).orElseThrow();
          if (c.inVariant("u" + i, "checkout", "green", US)) {
            assertThat(a.config().get("value").asBoolean()).isTrue();
          }
        }
      }
    }
  }

  @Test
  void theProviderFindsTheFlagByItsRealKeyAndAnswersTheHashedVariant() throws Exception {
    try (StubServer stub = new StubServer()) {
      stub.obfuscated = true;
      stub.manifest.set(AbTestClientTest.manifest(1, 10_000));
      try (AbTestClient c = client(stub).logExposures(false).build()) {
        assertThat(c.awaitManifest(Duration.ofSeconds(5))).isTrue();
        Client client = AbTestProviderTest.openFeature(c);
        MutableContext us = new MutableContext("u1").add("country", "US");
        String hashed = c.variant("u1", "checkout", US).orElseThrow();
        FlagEvaluationDetails<String> variant = client.getStringDetails("checkout", "none", us);
        assertThat(variant.getValue()).isEqualTo(hashed);
        assertThat(variant.getReason()).isEqualTo(Reason.TARGETING_MATCH.name());
        assertThat(variant.getFlagMetadata().getString("experiment")).isEqualTo("checkout");
        assertThat(variant.getFlagMetadata().getString("variant")).isEqualTo(hashed);
        assertThat(client.getStringDetails("no-such-flag", "none", us).getErrorCode())
            .isEqualTo(ErrorCode.FLAG_NOT_FOUND);
      }
    }
  }

  @Test
  void exposuresCarryTheHashedKeysOfTheManifest() throws Exception {
    try (StubServer stub = new StubServer()) {
      stub.obfuscated = true;
      stub.manifest.set(AbTestClientTest.manifest(1, 10_000));
      try (AbTestClient c = client(stub).build()) {
        assertThat(c.awaitManifest(Duration.ofSeconds(5))).isTrue();
        boolean green = c.inVariant("u1", "checkout", "green", US);
        Eventually.within(Duration.ofSeconds(5), () -> stub.eventsReceived() == 1);
        JsonNode exposure = stub.batches.get(0).get("events").get(0);
        assertThat(exposure.get("experiment").asText())
            .isEqualTo(SdkKeys.experiment("salt-1", "checkout"));
        assertThat(exposure.get("variant").asText())
            .isEqualTo(SdkKeys.variant("salt-1", green ? "green" : "control"));
      }
    }
  }
}
