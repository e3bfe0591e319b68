package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.abtest.deploy.testing.RealServers;
import org.abtest.node.webhooks.WebhookSignature;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Guardrails on the real servers: units assigned (and exposed) over HTTP, error events sent for 5 %
 * of one experiment's control units and 20 % of its treatment's; its error-rate guardrail reads
 * violated in the results and the system kills it within seconds, with the reason in the history,
 * while the guardrail of an experiment running on the same units, whose arms are independent of the
 * first's (its own salt), holds and it keeps running.
 */
@ExtendWith(RealServers.class)
class GuardrailIT {

  private static final String GUARDED =
      """
      {"key": "%s",
       "variants": [{"key": "control", "weight": 5000}, {"key": "treatment", "weight": 5000}],
       "metrics": [{"key": "errors", "event": "error", "kind": "proportion"}],
       "guardrails": [{"metric": "errors", "direction": "increase", "threshold": 0, "action": "kill"}]}
      """;

  private static final int UNITS = 3000;

  @Test
  void aClearlyWorseErrorRateViolatesTheGuardrailAndTheSameUnitsElsewhereDoNot() throws Exception {
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    List<String[]> deliveries = new CopyOnWriteArrayList<>();
    receiver.createContext(
        "/hook",
        exchange -> {
          byte[] got = exchange.getRequestBody().readAllBytes();
          deliveries.add(
              new String[] {
                new String(got, StandardCharsets.UTF_8),
                exchange.getRequestHeaders().getFirst("X-Abtest-Signature")
              });
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    try (TestNode node = TestNode.start("guardrail_it")) {
      var hook =
          ExperimentsIT.eventually(
              () ->
                  node.call(
                      "POST",
                      "/v1/webhooks",
                      TestNode.ADMIN,
                      "{\"url\": \"http://127.0.0.1:"
                          + receiver.getAddress().getPort()
                          + "/hook\", \"secret\": \"it-secret\", \"events\": [\"guardrail\", \"lifecycle\"]}"),
              r -> r.status() != 503);
      assertThat(hook.status()).as(String.valueOf(hook.body())).isEqualTo(201);
      for (String key : new String[] {"guard-bad", "guard-aa"}) {
        var created =
            ExperimentsIT.eventually(
                () -> node.call("POST", "/v1/experiments", TestNode.ADMIN, GUARDED.formatted(key)),
                r -> r.status() != 503);
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        assertThat(created.body().at("/guardrails/0/action").asText()).isEqualTo("kill");
        assertThat(
                node.call("POST", "/v1/experiments/" + key + "/start", TestNode.ADMIN, null)
                    .status())
            .isEqualTo(200);
      }
      ExperimentsIT.eventually(
          () -> node.manifests().current(), m -> m != null && m.experiments().size() == 2);

      // each unit asks for its assignment (which logs its exposures), then errs or not
      Map<String, String> bad = new HashMap<>();
      for (int i = 0; i < UNITS; i++) {
        var reply = node.call("GET", "/v1/assignments?unit=g-" + i, TestNode.SDK, null);
        for (JsonNode a : reply.body().get("assignments")) {
          if (a.get("experiment").asText().equals("guard-bad")) {
            bad.put("g-" + i, a.get("variant").asText());
          }
        }
      }
      assertThat(bad).hasSize(UNITS);
      Instant later = Instant.now().plusSeconds(2);
      ObjectNode body = Json.mapper().createObjectNode();
      ArrayNode events = body.putArray("events");
      int n = 0;
      for (int i = 0; i < UNITS; i++) {
        String unit = "g-" + i;
        int percent = bad.get(unit).equals("treatment") ? 20 : 5;
        if (i % 100 < percent) {
          events
              .addObject()
              .put("eventId", "err-" + i)
              .put("type", "metric")
              .put("unit", unit)
              .put("event", "error")
              .put("value", 1)
              .put("ts", later.toString());
          if (++n % 1000 == 0) {
            send(node, body);
            events.removeAll();
          }
        }
      }
      send(node, body);
      final int errorsSent = n;

      JsonNode violated =
          await("guard-bad's guardrail violated")
              .atMost(Duration.ofSeconds(90))
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  () -> results(node, "guard-bad"),
                  r -> r.at("/guardrails/0/status").asText().equals("violated"));
      JsonNode arm = violated.at("/guardrails/0/variants/0");
      System.out.printf("[guardrail] guard-bad %s%n", violated.at("/guardrails/0"));
      assertThat(arm.get("variant").asText()).isEqualTo("treatment");
      assertThat(arm.get("csLow").asDouble()).isGreaterThan(0);

      // its action: killed by the system, within seconds, with the reason in the history
      var killed =
          await("guard-bad killed by its guardrail")
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () -> node.call("GET", "/v1/experiments/guard-bad", TestNode.ADMIN, null),
                  r -> r.body().get("status").asText().equals("KILLED"));
      assertThat(killed.body().get("status").asText()).isEqualTo("KILLED");
      JsonNode history =
          node.call("GET", "/v1/experiments/guard-bad/history", TestNode.ADMIN, null).body();
      JsonNode kill = history.get("history").get(history.get("history").size() - 1);
      System.out.printf("[guardrail] %s%n", kill);
      assertThat(kill.get("action").asText()).isEqualTo("kill");
      assertThat(kill.get("actorId").asText()).isEqualTo("system");
      assertThat(kill.get("actorName").asText()).isEqualTo("guardrail");
      assertThat(kill.get("reason").asText())
          .startsWith("guardrail on errors violated")
          .contains("treatment");
      // announced on the webhook, signed with its secret: the guardrail's and the kill's
      String[] announced =
          await("the guardrail's webhook delivery")
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      deliveries.stream()
                          .filter(d -> d[0].contains("\"kind\":\"guardrail\""))
                          .filter(d -> d[0].contains("\"experiment\":\"guard-bad\""))
                          .findFirst(),
                  java.util.Optional::isPresent)
              .get();
      System.out.printf("[guardrail] webhook %s%n", announced[0]);
      assertThat(announced[1])
          .isEqualTo(
              WebhookSignature.of("it-secret", announced[0].getBytes(StandardCharsets.UTF_8)));
      await("the kill's lifecycle delivery")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  deliveries.stream()
                      .anyMatch(
                          d ->
                              d[0].contains("\"kind\":\"lifecycle\"")
                                  && d[0].contains("\"action\":\"kill\"")
                                  && d[0].contains("\"author\":\"system/guardrail\"")));
      var after = node.call("GET", "/v1/assignments?unit=g-1&log=false", TestNode.SDK, null);
      ExperimentsIT.eventually(
          () -> node.call("GET", "/v1/assignments?unit=g-1&log=false", TestNode.SDK, null),
          r -> r.body().get("assignments").size() == 1);
      assertThat(after.status()).isEqualTo(200);

      // the same units, independently split: their error rates do not differ by arm
      JsonNode aa =
          await("guard-aa's results with every error")
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofSeconds(1))
              .until(() -> results(node, "guard-aa"), r -> errors(r) == errorsSent);
      System.out.printf("[guardrail] guard-aa %s%n", aa.at("/guardrails/0"));
      assertThat(aa.at("/guardrails/0/status").asText()).isEqualTo("ok");
      assertThat(
              node.call("GET", "/v1/experiments/guard-aa", TestNode.ADMIN, null)
                  .body()
                  .get("status")
                  .asText())
          .isEqualTo("RUNNING");
    } finally {
      receiver.stop(0);
    }
  }

  private static JsonNode results(TestNode node, String key) throws Exception {
    return node.call("GET", "/v1/experiments/" + key + "/results", TestNode.ADMIN, null).body();
  }

  /** The converted units of the errors metric over both arms. */
  private static long errors(JsonNode results) {
    long sum = 0;
    for (JsonNode v : results.at("/metrics/0/variants")) {
      sum += Math.round(v.path("sum").asDouble());
    }
    return sum;
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
