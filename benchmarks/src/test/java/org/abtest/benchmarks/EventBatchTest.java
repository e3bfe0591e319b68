package org.abtest.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Bucketing;
import org.junit.jupiter.api.Test;

class EventBatchTest {

  private static JsonNode events(EventBatch batch, long n) throws Exception {
    return Json.mapper().readTree(batch.render(n)).path("events");
  }

  @Test
  void everyExposureNamesTheVariantTheNodeAssignsItsUnit() throws Exception {
    EventBatch batch = new EventBatch("exp", "a1b2c3", 0, 5000);
    for (JsonNode e : events(batch, 3)) {
      if (e.path("type").asText().equals("exposure")) {
        int bucket = Bucketing.bucket("a1b2c3", e.path("unit").asText());
        assertThat(e.path("variant").asText()).isEqualTo(bucket < 5000 ? "a" : "b");
      }
    }
  }

  @Test
  void idsAreUniqueAcrossBatchesWhileUnitsWrapAroundTheFixedPopulation() throws Exception {
    EventBatch batch = new EventBatch("exp", "s", 1, 1000);
    Set<String> ids = new HashSet<>();
    Set<String> units = new HashSet<>();
    for (long n = 0; n < 5; n++) {
      for (JsonNode e : events(batch, n)) {
        assertThat(ids.add(e.path("eventId").asText())).isTrue();
        units.add(e.path("unit").asText());
      }
    }
    assertThat(ids).hasSize(5 * EventBatch.SIZE);
    assertThat(units).hasSize(1000).contains("u1-0000000", "u1-0000999");
  }

  @Test
  void eachBatchPairsAnExposureWithAPurchaseOfTheSameUnit() throws Exception {
    JsonNode events = events(new EventBatch("exp", "s", 0, 10_000), 7);
    assertThat(events).hasSize(EventBatch.SIZE);
    for (int i = 0; i < EventBatch.SIZE; i += 2) {
      assertThat(events.get(i).path("experiment").asText()).isEqualTo("exp");
      assertThat(events.get(i + 1).path("event").asText()).isEqualTo("purchase");
      assertThat(events.get(i + 1).path("unit")).isEqualTo(events.get(i).path("unit"));
    }
    assertThat(events.get(0).path("unit").asText()).isEqualTo("u0-0003500");
  }

  @Test
  void unitsUsedGrowWithBatchesUntilThePopulationIsCovered() {
    assertThat(EventBatch.unitsAfter(0, 1000)).isZero();
    assertThat(EventBatch.unitsAfter(1, 1000)).isEqualTo(500);
    assertThat(EventBatch.unitsAfter(3, 1000)).isEqualTo(1000);
    assertThatThrownBy(() -> new EventBatch("exp", "s", 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
