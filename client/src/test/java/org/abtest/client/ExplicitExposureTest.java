package org.abtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.manifest.SdkKeys;
import org.junit.jupiter.api.Test;

/** {@link AbTest#exposure}: an assignment answered with exposure logging off, exposed later. */
class ExplicitExposureTest {

  private static final JsonNode US = Json.mapper().valueToTree(Map.of("country", "US"));

  private static AbTestClient client(StubServer stub) {
    return AbTestClient.builder(stub.uri(), StubServer.KEY)
        .flushInterval(Duration.ofMillis(50))
        .requestTimeout(Duration.ofSeconds(2))
        .logExposures(false)
        .build();
  }

  @Test
  void anExposureIsSentOnlyWhenTheCallerLogsIt() throws Exception {
    try (StubServer stub = new StubServer()) {
      stub.manifest.set(AbTestClientTest.manifest(1, 10_000));
      try (AbTestClient c = client(stub)) {
        assertThat(c.awaitManifest(Duration.ofSeconds(5))).isTrue();
        Assignment a = c.assignment("u1", "checkout", US).orElseThrow();
        c.flush(Duration.ofSeconds(5));
        assertThat(stub.eventsReceived()).isZero();

        c.exposure("u1", a);
        Eventually.within(Duration.ofSeconds(5), () -> stub.eventsReceived() == 1);
        JsonNode exposure = stub.batches.get(0).get("events").get(0);
        assertThat(exposure.get("type").asText()).isEqualTo("exposure");
        assertThat(exposure.get("unit").asText()).isEqualTo("u1");
        assertThat(exposure.get("experiment").asText()).isEqualTo("checkout");
        assertThat(exposure.get("variant").asText()).isEqualTo(a.variant());
      }
    }
  }

  @Test
  void withAnObfuscatedKeyTheExposureCarriesTheManifestsHashedKeys() throws Exception {
    try (StubServer stub = new StubServer()) {
      stub.obfuscated = true;
      stub.manifest.set(AbTestClientTest.manifest(1, 10_000));
      try (AbTestClient c = client(stub)) {
        assertThat(c.awaitManifest(Duration.ofSeconds(5))).isTrue();
        Assignment a = c.assignment("u1", "checkout", US).orElseThrow();
        assertThat(a.experiment()).isEqualTo("checkout");

        c.exposure("u1", a);
        Eventually.within(Duration.ofSeconds(5), () -> stub.eventsReceived() == 1);
        JsonNode exposure = stub.batches.get(0).get("events").get(0);
        assertThat(exposure.get("experiment").asText())
            .isEqualTo(SdkKeys.experiment("salt-1", "checkout"));
        assertThat(exposure.get("variant").asText()).isEqualTo(a.variant());
      }
    }
  }
}
