package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.abtest.client.AbTestClient;
import org.abtest.deploy.testing.RealServers;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.assignment.CompiledManifest;
import org.abtest.protocol.manifest.SdkManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Java client and a real node give identical answers for 100k random (unit, attributes) pairs
 * on the same manifest: all 100k against the evaluation of the SDK view that {@code GET
 * /v1/manifest} serves, and a sample of them over HTTP against {@code POST /v1/assignments} (the
 * server's evaluation of its internal manifest). Then the same with QA override units and an
 * obfuscated SDK key, every unit over HTTP.
 */
@ExtendWith(RealServers.class)
class ClientAgreementIT {

  private static final String[] EXPERIMENTS = {
    """
    {"key": "checkout", "name": "checkout", "coverage": 8000,
     "overrides": {"qa-1": "blue", "qa-2": "green", "qa-3": "control", "qa-4": "blue"},
     "variants": [{"key": "control", "weight": 3000}, {"key": "green", "weight": 3000,
                   "config": {"color": "green"}}, {"key": "blue", "weight": 4000}]}
    """,
    """
    {"key": "search-flag", "name": "search flag", "coverage": 2500,
     "variants": [{"key": "on", "weight": 10000, "config": {"value": true}}]}
    """
  };

  @Test
  void clientAndServerAgreeOnAHundredThousandRandomUnits() throws Exception {
    try (TestNode node = TestNode.start("client_agreement_it")) {
      for (String body : EXPERIMENTS) {
        String key = Json.mapper().readTree(body).get("key").asText();
        untilNot503(() -> node.call("POST", "/v1/experiments", TestNode.ADMIN, body));
        assertThat(
                untilNot503(
                        () ->
                            node.call(
                                "POST", "/v1/experiments/" + key + "/start", TestNode.ADMIN, null))
                    .status())
            .isEqualTo(200);
      }
      SdkManifest served = awaitManifestWith(node, 2, TestNode.SDK);
      CompiledManifest server = CompiledManifest.compile(served);

      try (AbTestClient client =
          AbTestClient.builder(URI.create(node.baseUrl()), TestNode.SDK)
              .logExposures(false)
              .build()) {
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> client.manifestVersion() >= served.version());
        assertThat(client.manifestVersion()).isEqualTo(served.version());

        Random random = new Random(20261122);
        int inAny = 0;
        for (int i = 0; i < 100_000; i++) {
          String unit = "user-" + random.nextInt(10_000_000);
          ObjectNode attributes = attributes(random);
          List<Assignment> local = client.assign(unit, attributes);
          assertThat(local).as("unit %s", unit).isEqualTo(server.evaluate(unit, attributes));
          inAny += local.isEmpty() ? 0 : 1;
          if (i % 50 == 0) {
            ObjectNode request =
                Json.mapper().createObjectNode().put("unit", unit).put("log", false);
            request.set("attributes", attributes);
            var reply = node.call("POST", "/v1/assignments", TestNode.SDK, request.toString());
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body().get("manifestVersion").asLong()).isEqualTo(served.version());
            assertThat(reply.body().get("assignments"))
                .as("unit %s over HTTP", unit)
                .isEqualTo(Json.mapper().valueToTree(local));
          }
        }
        assertThat(inAny).isBetween(70_000, 95_000);
      }
    }
  }

  @Test
  void overrideUnitsAndAnObfuscatedKeyGetTheServersAnswersOverThousandsOfUnits() throws Exception {
    try (TestNode node = TestNode.start("client_agreement_obfuscated_it")) {
      for (String body : EXPERIMENTS) {
        String key = Json.mapper().readTree(body).get("key").asText();
        // the first writes on a fresh keyspace can time out (503) on a busy machine: retry them
        untilNot503(() -> node.call("POST", "/v1/experiments", TestNode.ADMIN, body));
        untilNot503(
            () -> node.call("POST", "/v1/experiments/" + key + "/start", TestNode.ADMIN, null));
      }
      var issued =
          untilNot503(
              () ->
                  node.call(
                      "POST",
                      "/v1/sdk-keys",
                      TestNode.ADMIN,
                      "{\"environment\": \"production\", \"obfuscated\": true}"));
      assertThat(issued.status()).isEqualTo(201);
      String hashedKey = issued.body().get("key").asText();
      SdkManifest plainView = awaitManifestWith(node, 2, TestNode.SDK);
      SdkManifest hashedView = awaitManifestWith(node, 2, hashedKey);
      assertThat(hashedView.obfuscated()).isTrue();
      assertThat(Json.mapper().writeValueAsString(hashedView))
          .doesNotContain("\"checkout\"", "search-flag", "\"key\":\"green\"", "qa-1");
      try (AbTestClient plain = client(node, TestNode.SDK);
          AbTestClient hashed = client(node, hashedKey)) {
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () ->
                    plain.manifestVersion() >= plainView.version()
                        && hashed.manifestVersion() >= plainView.version());
        Random random = new Random(20261201);
        int forced = 0;
        for (int i = 0; i < 3000; i++) {
          String unit = i < 4 ? "qa-" + (i + 1) : "user-" + random.nextInt(10_000_000);
          ObjectNode attributes = attributes(random);
          ObjectNode request = Json.mapper().createObjectNode().put("unit", unit).put("log", false);
          request.set("attributes", attributes);
          var server = node.call("POST", "/v1/assignments", TestNode.SDK, request.toString());
          var serverHashed = node.call("POST", "/v1/assignments", hashedKey, request.toString());
          assertThat(server.body().get("assignments"))
              .as("unit %s", unit)
              .isEqualTo(Json.mapper().valueToTree(plain.assign(unit, attributes)));
          assertThat(serverHashed.body().get("assignments"))
              .as("unit %s, obfuscated", unit)
              .isEqualTo(Json.mapper().valueToTree(hashed.assign(unit, attributes)));
          if (i < 4) {
            String expected = List.of("blue", "green", "control", "blue").get(i);
            assertThat(plain.variant(unit, "checkout", null)).contains(expected);
            assertThat(hashed.inVariant(unit, "checkout", expected, null)).isTrue();
            forced++;
          }
        }
        assertThat(forced).isEqualTo(4);

        // the hashed keys the obfuscated client sends are accepted; a made-up hash is not
        Assignment shown = hashed.assign("qa-1", (JsonNode) null).get(0);
        String events =
            """
            {"events": [
              {"eventId": "agree-1", "type": "exposure", "unit": "qa-1",
               "experiment": "%s", "variant": "%s"},
              {"eventId": "agree-2", "type": "exposure", "unit": "qa-1",
               "experiment": "0123456789abcdef0123456789abcdef", "variant": "%s"}]}
            """
                .formatted(shown.experiment(), shown.variant(), shown.variant());
        var accepted = node.call("POST", "/v1/events", hashedKey, events);
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.body().get("accepted").asInt()).isEqualTo(1);
        assertThat(accepted.body().at("/rejected/0/index").asInt()).isEqualTo(1);
        assertThat(accepted.body().at("/rejected/0/error/field").asText()).isEqualTo("experiment");
      }
    }
  }

  private interface Call {
    TestNode.Reply call() throws Exception;
  }

  private static TestNode.Reply untilNot503(Call call) throws Exception {
    TestNode.Reply reply =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(call::call, r -> r.status() != 503);
    assertThat(reply.status()).isIn(200, 201, 409);
    return reply;
  }

  private static AbTestClient client(TestNode node, String key) {
    return AbTestClient.builder(URI.create(node.baseUrl()), key).logExposures(false).build();
  }

  private static ObjectNode attributes(Random random) {
    ObjectNode a = Json.mapper().createObjectNode();
    a.put("country", List.of("US", "CA", "FR").get(random.nextInt(3)));
    a.put("age", random.nextInt(90));
    a.putObject("app").put("version", random.nextInt(4) + "." + random.nextInt(10) + ".0");
    return a;
  }

  private static SdkManifest awaitManifestWith(TestNode node, int experiments, String key)
      throws Exception {
    // the first events-by-tag query on a fresh keyspace can take a while on a busy machine
    JsonNode body =
        await("manifest with " + experiments + " experiments")
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> node.call("GET", "/v1/manifest", key, null),
                r -> r.status() == 200 && r.body().get("experiments").size() == experiments)
            .body();
    return Json.mapper().treeToValue(body, SdkManifest.class);
  }
}
