package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.abtest.deploy.testing.RealServers;
import org.abtest.protocol.Json;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /v1/cluster} on a real node: its membership, the shards it hosts, its manifest version
 * and, after events went through Kafka into the aggregation, a consumer lag that drains to zero.
 */
@ExtendWith(RealServers.class)
class ClusterIT {

  private static final int EVENTS = 40;

  @Test
  void theClusterDocumentShowsMembersShardsVersionsAndKafkaLag() throws Exception {
    try (TestNode node = TestNode.start("cluster_it")) {
      assertThat(node.call("GET", "/v1/cluster", null, null).status()).isEqualTo(401);
      assertThat(node.call("GET", "/v1/cluster", TestNode.SDK, null).status()).isEqualTo(403);

      String experiment =
          """
          {"key": "cluster-probe", "variants": [{"key": "a", "weight": 5000},
                                                 {"key": "b", "weight": 5000}]}
          """;
      assertThat(node.call("POST", "/v1/experiments", TestNode.ADMIN, experiment).status())
          .isEqualTo(201);
      assertThat(
              node.call("POST", "/v1/experiments/cluster-probe/start", TestNode.ADMIN, null)
                  .status())
          .isEqualTo(200);

      ObjectNode body = Json.mapper().createObjectNode();
      ArrayNode events = body.putArray("events");
      for (int i = 0; i < EVENTS; i++) {
        events
            .addObject()
            .put("eventId", "c-" + i)
            .put("type", "exposure")
            .put("unit", "u-" + i)
            .put("experiment", "cluster-probe")
            .put("variant", i % 2 == 0 ? "a" : "b")
            .put("ts", Instant.now().toString());
      }
      assertThat(node.call("POST", "/v1/events", TestNode.SDK, body.toString()).status())
          .isEqualTo(202);

      JsonNode cluster =
          await(
              node,
              c ->
                  c.path("kafka").path("lag").isNumber()
                      && c.path("kafka").path("lag").asLong() == 0
                      && endOffsets(c) >= EVENTS
                      && c.path("members")
                              .path(0)
                              .path("shards")
                              .path("ExperimentAggregator")
                              .asInt()
                          > 0
                      && c.path("members").path(0).path("shards").path("unit-state").asInt() == 8
                      // created and started: the manifest has folded at least those two events
                      && c.path("manifestVersion").asLong() >= 2
                      && c.path("members").path(0).path("manifestVersion").asLong()
                          == c.path("manifestVersion").asLong());

      assertThat(cluster.get("region").asText()).isEqualTo("local");
      assertThat(cluster.get("regions")).hasSize(1);
      JsonNode local = cluster.get("regions").get(0);
      assertThat(local.get("name").asText()).isEqualTo("local");
      assertThat(local.get("local").asBoolean()).isTrue();
      assertThat(local.get("replicationLagMs").isNull()).isTrue();
      assertThat(local.get("lastSeenAt").isNull()).isTrue();

      assertThat(cluster.get("members")).hasSize(1);
      JsonNode member = cluster.get("members").get(0);
      assertThat(member.get("address").asText()).startsWith("pekko://abtest@127.0.0.1:");
      assertThat(member.get("status").asText()).isEqualTo("Up");
      assertThat(member.get("reachable").asBoolean()).isTrue();
      assertThat(member.get("leader").asBoolean()).isTrue();
      assertThat(member.get("self").asBoolean()).isTrue();
      assertThat(member.get("roles").toString()).contains("region-local");
      // the experiment entity that was created and its aggregator each live in a shard here
      assertThat(member.get("shards").get("Experiment").asInt()).isPositive();
      assertThat(member.get("shards").get("ExperimentAggregator").asInt()).isPositive();
      // the only member consumes every partition of the topic
      assertThat(member.get("shards").get("unit-state").asInt()).isEqualTo(8);
      assertThat(member.get("manifestVersion").asLong())
          .isEqualTo(cluster.get("manifestVersion").asLong());

      JsonNode kafka = cluster.get("kafka");
      assertThat(kafka.get("topic").asText()).isEqualTo("cluster_it-events");
      // the member-less group the ingestion reports its applied offsets to
      assertThat(kafka.get("group").asText()).isEqualTo("cluster_it-aggregators-applied");
      assertThat(kafka.get("partitions")).hasSize(8);
      for (JsonNode p : kafka.get("partitions")) {
        assertThat(p.get("lag").asLong()).isZero();
      }

      String metrics = metrics(node);
      assertThat(metrics).contains("abtest_kafka_consumer_lag 0.0");
    }
  }

  @Test
  void aSecondMemberReportsItsOwnShardsAndManifestVersion() throws Exception {
    try (TestNode first = TestNode.start("cluster2_it")) {
      try (TestNode second =
          TestNode.start(
              "cluster2_it", "pekko.cluster.seed-nodes = [\"" + first.clusterAddress() + "\"]")) {
        // created after the second member joined: new shards go to the member with fewer
        for (String key : new String[] {"m-1", "m-2", "m-3", "m-4"}) {
          String body =
              "{\"key\": \"%s\", \"variants\": [{\"key\": \"a\", \"weight\": 10000}]}"
                  .formatted(key);
          assertThat(first.call("POST", "/v1/experiments", TestNode.ADMIN, body).status())
              .isEqualTo(201);
        }
        JsonNode cluster =
            await(
                second,
                c -> {
                  JsonNode members = c.path("members");
                  if (members.size() != 2) {
                    return false;
                  }
                  for (JsonNode m : members) {
                    if (!m.path("status").asText().equals("Up")
                        || m.path("manifestVersion").asLong(-1)
                            != c.path("manifestVersion").asLong(-2)
                        || m.path("shards").path("Experiment").asInt() == 0) {
                      return false;
                    }
                  }
                  return true;
                });
        int self = 0;
        int leaders = 0;
        for (JsonNode m : cluster.get("members")) {
          self += m.get("self").asBoolean() ? 1 : 0;
          leaders += m.get("leader").asBoolean() ? 1 : 0;
          assertThat(m.get("reachable").asBoolean()).isTrue();
          assertThat(m.get("shards").has("unit-state")).isTrue();
        }
        assertThat(self).isEqualTo(1);
        assertThat(leaders).isEqualTo(1);
        assertThat(cluster.get("manifestVersion").asLong()).isPositive();
      }
    }
  }

  private static long endOffsets(JsonNode cluster) {
    long total = 0;
    for (JsonNode p : cluster.path("kafka").path("partitions")) {
      total += p.path("endOffset").asLong();
    }
    return total;
  }

  private static JsonNode await(TestNode node, Predicate<JsonNode> done) throws Exception {
    return Awaitility.await("the cluster document settled")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              var reply = node.call("GET", "/v1/cluster", TestNode.ADMIN, null);
              assertThat(reply.status()).isEqualTo(200);
              return reply.body();
            },
            done);
  }

  private static String metrics(TestNode node) throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    return client
        .send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.baseUrl() + "/metrics"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
