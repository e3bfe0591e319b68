package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.abtest.deploy.testing.RealServers;
import org.abtest.georeplication.ExperimentEntity;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.Author;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Manifest;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The attacks of issue 13 against a real node: hostile definitions are refused, a hostile regex
 * costs milliseconds, made-up keys start no entity, and an experiment that got in anyway (written
 * straight to its entity, as an older node would have accepted it) degrades itself only: a kill of
 * another experiment still lands within a second.
 */
@ExtendWith(RealServers.class)
class HostileDefinitionIT {

  private static final String EXPERIMENT =
      """
      {"key": "%s", "variants": [{"key": "control", "weight": 5000}, {"key": "b", "weight": 5000}]%s}
      """;

  private static ObjectNode nested(int depth) {
    ObjectNode root = Json.mapper().createObjectNode();
    ObjectNode at = root;
    for (int i = 1; i < depth; i++) {
      at = at.putObject("n");
    }
    return root;
  }

  @Test
  void hostileDefinitionsAreRefusedAndCannotStallOrPoisonTheNode() throws Exception {
    try (TestNode node = TestNode.start("hostile_definition_it")) {
      // The first write on a fresh keyspace creates the journal's tables: on a busy machine that
      // takes longer than one eventually() allows.
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> node.call("POST", "/v1/layers", TestNode.ADMIN, "{\"key\": \"warm-up\"}"),
              r -> r.status() != 503);

      // Refused at the door, each naming its field.
      ObjectNode deep = Json.mapper().createObjectNode().put("key", "deep");
      deep.putArray("variants")
          .addObject()
          .put("key", "on")
          .put("weight", 10_000)
          .set("config", nested(996));
      assertThat(node.call("POST", "/v1/experiments", TestNode.ADMIN, deep.toString()).status())
          .isEqualTo(400);
      long start = System.nanoTime();
      var huge =
          node.call(
              "POST",
              "/v1/experiments",
              TestNode.ADMIN,
              EXPERIMENT.formatted(
                  "huge-regex",
                  ", \"targeting\": {\"ua\": {\"$regex\": \"" + "a".repeat(1 << 20) + "\"}}"));
      assertThat(huge.status()).isIn(400, 413);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      var lookahead =
          node.call(
              "POST",
              "/v1/experiments",
              TestNode.ADMIN,
              EXPERIMENT.formatted(
                  "lookahead", ", \"targeting\": {\"ua\": {\"$regex\": \"a(?=b)\"}}"));
      assertThat(lookahead.status()).isEqualTo(400);
      assertThat(lookahead.body().at("/error/field").asText()).isEqualTo("targeting.ua.$regex");

      // A catastrophic pattern on the longest value a regex is applied to answers in milliseconds.
      assertThat(
              node.call(
                      "POST",
                      "/v1/experiments",
                      TestNode.ADMIN,
                      EXPERIMENT.formatted(
                          "catastrophic", ", \"targeting\": {\"ua\": {\"$regex\": \"(a+)+$\"}}"))
                  .status())
          .isEqualTo(201);
      started(node, "catastrophic");
      String body =
          "{\"unit\": \"u1\", \"log\": false, \"attributes\": {\"ua\": \""
              + "a".repeat(8000)
              + "!\"}}";
      long slowest = 0;
      for (int i = 0; i < 8; i++) {
        long t = System.nanoTime();
        assertThat(
                node.callWithHeader("POST", "/v1/assignments", TestNode.SDK, body, null, null)
                    .status())
            .isEqualTo(200);
        slowest = Math.max(slowest, System.nanoTime() - t);
      }
      System.out.printf("(a+)+$ on 8,000 chars: slowest of 8 assignments %.1f ms%n", slowest / 1e6);
      assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofMillis(500));

      // Made-up keys: 404, and no entity started for them, once the publisher has replayed the
      // journal (until then every key may exist and the entity answers; the IT keyspace holds the
      // journals of the ITs before this one, so that replay can take a while on a busy machine).
      awaitKeyIndexComplete(node);
      int before = experimentEntities(node);
      for (int i = 0; i < 20; i++) {
        assertThat(node.call("GET", "/v1/experiments/made-up-" + i, TestNode.ADMIN, null).status())
            .isEqualTo(404);
        assertThat(
                node.call("GET", "/v1/experiments/made-up-" + i + "/history", TestNode.ADMIN, null)
                    .status())
            .isEqualTo(404);
      }
      assertThat(experimentEntities(node)).isEqualTo(before);

      // One that got in anyway degrades itself only.
      Experiment poisoned =
          Experiment.draft(
              "poisoned", "poisoned", 10_000, List.of(new Variant("on", 10_000, nested(500))));
      ExperimentEntity.Reply created =
          ClusterSharding.get(node.system())
              .entityRefFor(ExperimentEntity.ENTITY_TYPE_KEY, "poisoned")
              .<ExperimentEntity.Reply>ask(
                  r -> new ExperimentEntity.Create(poisoned, new Author("it", "it"), r),
                  Duration.ofSeconds(10))
              .toCompletableFuture()
              .get();
      assertThat(created).isInstanceOf(ExperimentEntity.Accepted.class);
      started(node, "poisoned");
      ExperimentsIT.eventually(
          () -> node.manifests().degraded(), degraded -> degraded.containsKey("poisoned"));
      var ready = node.call("GET", "/health/ready", null, null);
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.body().at("/degradedExperiments/poisoned").isTextual()).isTrue();

      assertThat(
              node.call(
                      "POST", "/v1/experiments", TestNode.ADMIN, EXPERIMENT.formatted("victim", ""))
                  .status())
          .isEqualTo(201);
      started(node, "victim");
      ExperimentsIT.eventually(() -> node.manifests().current(), m -> contains(m, "victim"));
      long kill = System.nanoTime();
      assertThat(node.call("POST", "/v1/experiments/victim/kill", TestNode.ADMIN, null).status())
          .isEqualTo(200);
      while (contains(node.manifests().current(), "victim")
          && System.nanoTime() - kill < 5_000_000_000L) {
        Thread.onSpinWait();
      }
      double millis = (System.nanoTime() - kill) / 1e6;
      System.out.printf(
          "kill beside a degraded experiment reached the evaluator in %.1f ms%n", millis);
      assertThat(millis).isLessThan(1000.0);
    }
  }

  private static void started(TestNode node, String key) throws Exception {
    assertThat(
            node.call("POST", "/v1/experiments/" + key + "/start", TestNode.ADMIN, null).status())
        .isEqualTo(200);
  }

  private static boolean contains(Manifest manifest, String key) {
    return manifest != null && manifest.experiments().stream().anyMatch(e -> e.key().equals(key));
  }

  /** Probes made-up keys until one no longer starts an entity: the key index answers. */
  private static void awaitKeyIndexComplete(TestNode node) throws Exception {
    int[] probe = {0};
    await("the publisher's key index complete")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              int before = experimentEntities(node);
              assertThat(
                      node.call(
                              "GET",
                              "/v1/experiments/index-probe-" + probe[0]++,
                              TestNode.ADMIN,
                              null)
                          .status())
                  .isEqualTo(404);
              return experimentEntities(node) == before;
            });
  }

  private static int experimentEntities(TestNode node) throws Exception {
    ShardRegion.CurrentShardRegionState state =
        AskPattern.<GetShardRegionState, ShardRegion.CurrentShardRegionState>ask(
                ClusterSharding.get(node.system()).shardState().narrow(),
                r -> new GetShardRegionState(ExperimentEntity.ENTITY_TYPE_KEY, r),
                Duration.ofSeconds(5),
                node.system().scheduler())
            .toCompletableFuture()
            .get();
    return state.getShards().stream().mapToInt(s -> s.getEntityIds().size()).sum();
  }
}
