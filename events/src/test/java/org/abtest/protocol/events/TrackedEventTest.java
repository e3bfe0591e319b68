package org.abtest.protocol.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;

class TrackedEventTest {

  @Test
  void eventsRoundTripThroughTheKafkaJsonWithoutExtraFields() throws Exception {
    TrackedEvent exposure =
        TrackedEvent.exposure(
            "e-1", "user-42", "checkout", "green", Instant.parse("2026-11-22T10:00:00Z"));
    String json = Json.mapper().writeValueAsString(exposure);
    assertThat(json)
        .isEqualTo(
            "{\"eventId\":\"e-1\",\"type\":\"exposure\",\"unit\":\"user-42\",\"experiment\":\"checkout\","
                + "\"variant\":\"green\",\"ts\":\"2026-11-22T10:00:00Z\"}");
    assertThat(Json.mapper().readValue(json, TrackedEvent.class)).isEqualTo(exposure);
  }

  @Test
  void anEnvironmentOtherThanProductionTravelsWithTheEventAndProductionIsLeftOut()
      throws Exception {
    TrackedEvent exposure =
        TrackedEvent.exposure(
            "e-2", "u", "checkout", "green", Instant.parse("2026-11-22T10:00:00Z"));
    TrackedEvent staging = exposure.inEnvironment("staging");
    byte[] bytes = TrackedEventCodec.write(staging);
    assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8))
        .endsWith(",\"environment\":\"staging\"}");
    assertThat(TrackedEventCodec.read(bytes)).isEqualTo(staging);
    assertThat(Json.mapper().readValue(bytes, TrackedEvent.class)).isEqualTo(staging);
    assertThat(exposure.inEnvironment("production")).isEqualTo(exposure);
    assertThat(TrackedEventCodec.write(exposure.inEnvironment("production")))
        .isEqualTo(TrackedEventCodec.write(exposure));
    assertThat(staging.inDefaultEnvironment()).isFalse();
  }
}
