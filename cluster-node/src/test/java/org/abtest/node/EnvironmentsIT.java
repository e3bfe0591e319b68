package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.abtest.deploy.testing.RealServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Environments on the real servers: an admin adds one to the registry (stored in Cassandra); SDK
 * keys of staging and production see different manifests and assignments of an experiment enabled
 * only in staging; an exposure of it sent with the production key is refused; and the results of an
 * experiment running everywhere are each environment's own: production's count production's units
 * only, staging's (asked with {@code ?environment=staging}) staging's only.
 */
@ExtendWith(RealServers.class)
class EnvironmentsIT {

  private static final String VARIANTS =
      "\"variants\": [{\"key\": \"control\", \"weight\": 5000},"
          + " {\"key\": \"treatment\", \"weight\": 5000}]";

  @Test
  void stagingAndProductionKeysSeeTheirOwnEnvironmentsExperimentsAndResults() throws Exception {
    try (TestNode node = TestNode.start("environments_it", "abtest.events.verify-exposures = on")) {
      // the registry: the defaults, and one an admin adds (once)
      var added =
          ExperimentsIT.eventually(
              () -> node.call("POST", "/v1/environments", TestNode.ADMIN, "{\"key\": \"qa\"}"),
              r -> r.status() != 503);
      assertThat(added.status()).as(String.valueOf(added.body())).isEqualTo(201);
      assertThat(
              node.call("POST", "/v1/environments", TestNode.ADMIN, "{\"key\": \"qa\"}").status())
          .isEqualTo(409);
      assertThat(node.call("POST", "/v1/environments", TestNode.SDK, "{\"key\": \"qb\"}").status())
          .isEqualTo(403);
      List<String> keys = new ArrayList<>();
      node.call("GET", "/v1/environments", TestNode.ADMIN, null)
          .body()
          .get("environments")
          .forEach(e -> keys.add(e.get("key").asText()));
      assertThat(keys).containsExactly("development", "staging", "production", "qa");

      String staging = sdkKey(node, "staging");
      String production = sdkKey(node, "production");
      var unknownKey =
          node.call("POST", "/v1/sdk-keys", TestNode.ADMIN, "{\"environment\": \"nowhere\"}");
      assertThat(unknownKey.status()).isEqualTo(400);
      assertThat(unknownKey.body().at("/error/code").asText()).isEqualTo("unknown_environment");

      var unknownEnv =
          node.call(
              "POST",
              "/v1/experiments",
              TestNode.ADMIN,
              "{\"key\": \"env-typo\", "
                  + VARIANTS
                  + ", \"environments\": {\"prodution\": {\"enabled\": true}}}");
      assertThat(unknownEnv.status()).isEqualTo(400);
      assertThat(unknownEnv.body().at("/error/field").asText()).isEqualTo("environments.prodution");

      create(
          node,
          "{\"key\": \"env-staging\", "
              + VARIANTS
              + ", \"environments\": {\"staging\": {\"enabled\": true}, \"production\": {\"enabled\": false}}}");
      create(node, "{\"key\": \"env-everywhere\", " + VARIANTS + "}");
      ExperimentsIT.eventually(
          () -> node.manifests().current(), m -> m != null && m.experiments().size() == 2);

      // manifests: staging's has both, production's only the experiment without settings
      assertThat(manifestKeys(node, staging)).containsExactly("env-everywhere", "env-staging");
      assertThat(manifestKeys(node, production)).containsExactly("env-everywhere");
      assertThat(manifestKeys(node, TestNode.SDK)).containsExactly("env-everywhere");

      // assignments: the same unit, in both environments
      int stagingUnits = 30;
      int productionUnits = 20;
      for (int i = 0; i < stagingUnits; i++) {
        assertThat(assigned(node, staging, "s-" + i))
            .containsExactly("env-everywhere", "env-staging");
      }
      for (int i = 0; i < productionUnits; i++) {
        assertThat(assigned(node, production, "p-" + i)).containsExactly("env-everywhere");
      }

      // exposures: of an experiment off in production, refused with the production key
      String exposure =
          "{\"events\": [{\"eventId\": \"e-%s\", \"type\": \"exposure\", \"unit\": \"s-0\","
              + " \"experiment\": \"env-staging\", \"variant\": \"%s\", \"ts\": \""
              + java.time.Instant.now()
              + "\"}]}";
      String variant = variantOf(node, staging, "s-0", "env-staging");
      var refused = node.call("POST", "/v1/events", production, exposure.formatted("p", variant));
      assertThat(refused.status()).isEqualTo(202);
      assertThat(refused.body().at("/rejected/0/error/code").asText())
          .isEqualTo("unknown_experiment");
      var accepted = node.call("POST", "/v1/events", staging, exposure.formatted("s", variant));
      assertThat(accepted.body().get("accepted").asInt()).isEqualTo(1);

      // production results: production's 20 units, never staging's 30
      JsonNode results =
          await("env-everywhere's production units counted")
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  () ->
                      node.call(
                              "GET", "/v1/experiments/env-everywhere/results", TestNode.ADMIN, null)
                          .body(),
                  r -> units(r) >= productionUnits);
      Thread.sleep(3000); // staging's exposures, logged before production's, would be in by now
      results =
          node.call("GET", "/v1/experiments/env-everywhere/results", TestNode.ADMIN, null).body();
      assertThat(units(results)).isEqualTo(productionUnits);

      // staging's results: its own 30 units (the accepted exposure of s-0 is one of them)
      for (String key : List.of("env-everywhere", "env-staging")) {
        JsonNode stagingResults =
            await(key + "'s staging units counted")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                    () ->
                        node.call(
                                "GET",
                                "/v1/experiments/" + key + "/results?environment=staging",
                                TestNode.ADMIN,
                                null)
                            .body(),
                    r -> units(r) >= stagingUnits);
        assertThat(units(stagingResults)).as(key).isEqualTo(stagingUnits);
      }
      assertThat(
              node.call(
                      "GET",
                      "/v1/experiments/env-staging/results?environment=nowhere",
                      TestNode.ADMIN,
                      null)
                  .status())
          .isEqualTo(400);
    }
  }

  private static String sdkKey(TestNode node, String environment) throws Exception {
    var issued =
        node.call(
            "POST",
            "/v1/sdk-keys",
            TestNode.ADMIN,
            "{\"environment\": \"" + environment + "\", \"name\": \"" + environment + "\"}");
    assertThat(issued.status()).as(String.valueOf(issued.body())).isEqualTo(201);
    return issued.body().get("key").asText();
  }

  private static void create(TestNode node, String body) throws Exception {
    var created = node.call("POST", "/v1/experiments", TestNode.ADMIN, body);
    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
    String key = created.body().get("key").asText();
    assertThat(
            node.call("POST", "/v1/experiments/" + key + "/start", TestNode.ADMIN, null).status())
        .isEqualTo(200);
  }

  private static List<String> manifestKeys(TestNode node, String key) throws Exception {
    List<String> out = new ArrayList<>();
    node.call("GET", "/v1/manifest", key, null)
        .body()
        .get("experiments")
        .forEach(e -> out.add(e.get("key").asText()));
    return out.stream().sorted().toList();
  }

  private static List<String> assigned(TestNode node, String key, String unit) throws Exception {
    List<String> out = new ArrayList<>();
    node.call("GET", "/v1/assignments?unit=" + unit, key, null)
        .body()
        .get("assignments")
        .forEach(a -> out.add(a.get("experiment").asText()));
    return out.stream().sorted().toList();
  }

  private static String variantOf(TestNode node, String key, String unit, String experiment)
      throws Exception {
    for (JsonNode a :
        node.call("GET", "/v1/assignments?unit=" + unit + "&log=false", key, null)
            .body()
            .get("assignments")) {
      if (a.get("experiment").asText().equals(experiment)) {
        return a.get("variant").asText();
      }
    }
    throw new AssertionError(unit + " has no variant of " + experiment);
  }

  private static long units(JsonNode results) {
    long total = 0;
    for (JsonNode v : results.path("variants")) {
      total += v.get("units").asLong();
    }
    return total;
  }
}
