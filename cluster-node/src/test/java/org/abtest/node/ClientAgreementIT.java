package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.abtest.client.AbTestClient;
import org.abtest.deploy.RealServers;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.assignment.CompiledManifest;
import org.abtest.protocol.manifest.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Java client and a real node give identical answers for 100k random (unit, attributes) pairs
 * on the same manifest: all 100k against the server-side evaluator on the manifest that {@code GET
 * /v1/manifest} serves, and a sample of them over HTTP against {@code POST /v1/assignments}.
 */
@ExtendWith(RealServers.class)
class ClientAgreementIT {

  private static final String[] EXPERIMENTS = {
    """
    {"key": "checkout", "name": "checkout", "coverage": 8000,
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
        var created = node.call("POST", "/v1/experiments", TestNode.ADMIN, body);
        assertThat(created.status()).isEqualTo(201);
        String key = created.body().get("key").asText();
        assertThat(
                node.call("POST", "/v1/experiments/" + key + "/start", TestNode.ADMIN, null)
                    .status())
            .isEqualTo(200);
      }
      Manifest served = awaitManifestWith(node, 2);
      CompiledManifest server = CompiledManifest.compile(served);

      try (AbTestClient client =
          AbTestClient.builder(URI.create(node.baseUrl()), TestNode.SDK)
              .logExposures(false)
              .build()) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (client.manifestVersion() < served.version() && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
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

  private static ObjectNode attributes(Random random) {
    ObjectNode a = Json.mapper().createObjectNode();
    a.put("country", List.of("US", "CA", "FR").get(random.nextInt(3)));
    a.put("age", random.nextInt(90));
    a.putObject("app").put("version", random.nextInt(4) + "." + random.nextInt(10) + ".0");
    return a;
  }

  private static Manifest awaitManifestWith(TestNode node, int experiments) throws Exception {
    // the first events-by-tag query on a fresh keyspace can take a while on a busy machine
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    JsonNode body = null;
    while (System.nanoTime() < deadline) {
      var reply = node.call("GET", "/v1/manifest", TestNode.SDK, null);
      body = reply.body();
      if (reply.status() == 200 && body.get("experiments").size() == experiments) {
        return Json.mapper().treeToValue(body, Manifest.class);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("manifest never had " + experiments + " experiments: " + body);
  }
}
