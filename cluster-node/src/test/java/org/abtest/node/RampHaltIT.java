package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import org.abtest.deploy.testing.RealServers;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A ramp halts when a guardrail fails, on the real servers: an experiment ramping at its second
 * step (50 %) with an alert guardrail on the built-in error metric (not defined by the experiment)
 * and a plan that rolls back; treatment's error rate is clearly higher, so the guardrail is
 * violated, and the system (system/guardrail) halts the ramp and narrows the coverage to the first
 * step. That step's stay is 0 minutes, so a ramp that still advanced would widen again within the
 * scheduler's next second; it stays.
 */
@ExtendWith(RealServers.class)
class RampHaltIT {

  private static final String RAMPING =
      """
      {"key": "ramp-halt", "coverage": 5000,
       "variants": [{"key": "control", "weight": 5000}, {"key": "treatment", "weight": 5000}],
       "guardrails": [{"metric": "error", "direction": "increase", "threshold": 0, "action": "alert"}],
       "rampPlan": {"rollback": true, "steps": [{"coverage": 1000, "minutes": 0},
                    {"coverage": 5000, "minutes": 600}, {"coverage": 10000, "minutes": 0}]}}
      """;

  private static final int UNITS = 3000;

  @Test
  void aViolatedGuardrailHaltsTheRampAndRollsItBackToTheFirstStep() throws Exception {
    try (TestNode node = TestNode.start("ramp_halt_it")) {
      var created =
          ExperimentsIT.eventually(
              () -> node.call("POST", "/v1/experiments", TestNode.ADMIN, RAMPING),
              r -> r.status() != 503);
      assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
      assertThat(created.body().at("/metrics/0/key").asText()).isEqualTo("error");
      assertThat(
              node.call("POST", "/v1/experiments/ramp-halt/start", TestNode.ADMIN, null).status())
          .isEqualTo(200);
      ExperimentsIT.eventually(
          () -> node.manifests().current(), m -> m != null && m.experiments().size() == 1);

      ObjectNode body = Json.mapper().createObjectNode();
      ArrayNode events = body.putArray("events");
      Instant later = Instant.now().plusSeconds(2);
      String run =
          Long.toHexString(System.nanoTime()); // ids unique to this run: no dedup across runs
      for (int i = 0; i < UNITS; i++) {
        String unit = "r-" + i;
        var reply = node.call("GET", "/v1/assignments?unit=" + unit, TestNode.SDK, null);
        for (JsonNode a : reply.body().get("assignments")) {
          int percent = a.get("variant").asText().equals("treatment") ? 30 : 5;
          if (i % 100 < percent) {
            events
                .addObject()
                .put("eventId", "rerr-" + run + "-" + i)
                .put("type", "metric")
                .put("unit", unit)
                .put("event", "error")
                .put("value", 1)
                .put("ts", later.toString());
          }
        }
        if (events.size() >= 500) {
          send(node, body);
          events.removeAll();
        }
      }
      send(node, body);

      JsonNode halted =
          await("the ramp halted by its guardrail")
              .atMost(Duration.ofSeconds(90))
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  () -> node.call("GET", "/v1/experiments/ramp-halt", TestNode.ADMIN, null).body(),
                  e -> e.hasNonNull("rampHalted"));
      System.out.printf("[ramp-halt] %s%n", halted.get("rampHalted"));
      assertThat(halted.get("rampHalted").asText()).startsWith("guardrail on error violated");
      assertThat(halted.get("coverage").asInt()).isEqualTo(1000);
      assertThat(halted.get("status").asText())
          .as("an alert keeps it running")
          .isEqualTo("RUNNING");

      Thread.sleep(4000); // several scheduler ticks: an advancing ramp would be at 50 % again
      JsonNode after = node.call("GET", "/v1/experiments/ramp-halt", TestNode.ADMIN, null).body();
      assertThat(after.get("coverage").asInt()).isEqualTo(1000);
      JsonNode history =
          node.call("GET", "/v1/experiments/ramp-halt/history", TestNode.ADMIN, null)
              .body()
              .get("history");
      JsonNode halt = history.get(history.size() - 1);
      assertThat(halt.get("actorId").asText()).isEqualTo("system");
      assertThat(halt.get("actorName").asText()).isEqualTo("guardrail");
      assertThat(halt.get("changed"))
          .extracting(JsonNode::asText)
          .containsExactlyInAnyOrder("rampHalted", "coverage");
    }
  }

  private static void send(TestNode node, ObjectNode body) throws Exception {
    if (body.get("events").isEmpty()) {
      return;
    }
    var reply = node.call("POST", "/v1/events", TestNode.SDK, body.toString());
    assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(202);
    assertThat(reply.body().get("rejected")).isEmpty();
  }
}
