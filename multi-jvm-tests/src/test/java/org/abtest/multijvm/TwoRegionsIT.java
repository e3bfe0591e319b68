package org.abtest.multijvm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two regions on one machine, each its own Pekko cluster, Kafka broker and Cassandra data center
 * (127.0.0.2 and 127.0.0.3, keyspaces replicated to both with NetworkTopologyStrategy): changes
 * cross through Cassandra only, results merge, and a region survives the other's loss.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoRegionsIT {

  private static final int BASE = Integer.getInteger("abtest.mjvm.regionsBasePort", 31000);
  private static final String A = TwoRegions.A;
  private static final String B = TwoRegions.B;

  private static TwoRegions regions;

  @BeforeAll
  static void startRegions() throws Exception {
    regions = TwoRegions.start("two-regions", BASE, "mjvm_regions");
  }

  @AfterAll
  static void stopRegions() {
    if (regions != null) {
      regions.close();
    }
  }

  private static Http http(String region) {
    return regions.http(region);
  }

  private static boolean assigned(String region, String unit, String key) {
    return http(region).assigns(unit, key);
  }

  private static JsonNode experiment(String region, String key) {
    return http(region).call("GET", "/v1/experiments/" + key, NodeJvm.ADMIN, null).body();
  }

  private static void create(String region, String key) {
    var created =
        http(region).call("POST", "/v1/experiments", NodeJvm.ADMIN, EventLoad.experimentJson(key));
    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
  }

  private static double percentile(List<Long> sorted, double p) {
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  @Test
  @Order(1)
  void aChangeInOneRegionReachesTheOtherRegionsEvaluators() throws Exception {
    String key = "regions-propagation";
    http(A).createAndStart(key);
    Await.until(
        "the experiment in B's evaluator", Duration.ofSeconds(60), () -> assigned(B, "u", key));
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      boolean pause = i % 2 == 0;
      long start = System.nanoTime();
      assertThat(
              http(A)
                  .status(
                      "POST",
                      "/v1/experiments/" + key + (pause ? "/pause" : "/resume"),
                      NodeJvm.ADMIN,
                      null))
          .isEqualTo(200);
      Await.until(
          "B's evaluator to see the " + (pause ? "pause" : "resume"),
          Duration.ofSeconds(30),
          () -> assigned(B, "u", key) != pause);
      millis.add((System.nanoTime() - start) / 1_000_000);
    }
    JsonNode cluster = http(B).call("GET", "/v1/cluster", NodeJvm.ADMIN, null).body();
    JsonNode fromA = null;
    for (JsonNode r : cluster.path("regions")) {
      if (A.equals(r.path("name").asText())) {
        fromA = r;
      }
    }
    System.out.printf("[regions] B's /v1/cluster: %s%n", cluster.path("regions"));
    assertThat(fromA).as("region-a in B's /v1/cluster").isNotNull();
    assertThat(fromA.path("replicationLagMs").isNumber())
        .as("B measured its lag behind A")
        .isTrue();
    List<Long> sorted = millis.stream().sorted().toList();
    System.out.printf(
        "[regions] A→B evaluator propagation over %d changes: p50 %.0f ms, p99 %.0f ms, max %d ms%n",
        sorted.size(),
        percentile(sorted, 0.5),
        percentile(sorted, 0.99),
        sorted.get(sorted.size() - 1));
  }

  @Test
  @Order(2)
  void concurrentConflictingEditsInBothRegionsConverge() throws Exception {
    String key = "regions-conflict";
    create(A, key);
    Await.until(
        "B to know the experiment", Duration.ofSeconds(60), () -> experiment(B, key).has("key"));
    for (int round = 0; round < 3; round++) {
      long versionA = experiment(A, key).get("version").asLong();
      long versionB = experiment(B, key).get("version").asLong();
      int r = round;
      var inA =
          CompletableFuture.supplyAsync(
              () -> patchRetrying(A, key, versionA, "{\"name\": \"from A " + r + "\"}"));
      var inB =
          CompletableFuture.supplyAsync(
              () ->
                  patchRetrying(
                      B, key, versionB, "{\"name\": \"from B " + r + "\", \"hypothesis\": \"B\"}"));
      assertThat(inA.get()).isEqualTo(200);
      assertThat(inB.get()).isEqualTo(200);
      Await.until(
          "both regions to agree after round " + round,
          Duration.ofSeconds(60),
          () -> {
            JsonNode a = experiment(A, key);
            JsonNode b = experiment(B, key);
            return a.path("name").equals(b.path("name"))
                && a.path("hypothesis").equals(b.path("hypothesis"))
                && a.path("status").equals(b.path("status"));
          });
    }
    JsonNode a = experiment(A, key);
    System.out.printf(
        "[regions] converged on name=%s hypothesis=%s%n", a.get("name"), a.get("hypothesis"));
  }

  /** As a client does: on 409 (a change from the other region got in first), read and retry. */
  private static int patchRetrying(String region, String key, long version, String body) {
    int status = patch(region, key, version, body);
    for (int i = 0; i < 3 && status == 409; i++) {
      status = patch(region, key, experiment(region, key).get("version").asLong(), body);
    }
    return status;
  }

  private static int patch(String region, String key, long version, String body) {
    var reply =
        http(region)
            .call(
                "PATCH",
                "/v1/experiments/" + key,
                NodeJvm.ADMIN,
                body,
                "If-Match",
                "\"" + version + "\"");
    if (reply.status() != 200) {
      System.out.printf(
          "[regions] PATCH in %s at version %d: %d %s%n",
          region, version, reply.status(), reply.body());
    }
    return reply.status();
  }

  @Test
  @Order(3)
  void resultsMergeTheCountsOfBothRegions() throws Exception {
    String key = "regions-results";
    http(A).createAndStart(key);
    Await.until("B to run it", Duration.ofSeconds(60), () -> assigned(B, "u", key));
    EventLoad load = new EventLoad(key);
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    load.sendUntilAcked(EventLoad.units("ra", 0, 300), () -> http(A), deadline, 200);
    load.sendUntilAcked(EventLoad.units("rb", 0, 200), () -> http(B), deadline, 200);
    Map<String, Object> expected = load.expected();
    for (String region : List.of(A, B)) {
      Map<String, Object> live =
          Await.value(
              Duration.ofSeconds(90),
              expected,
              () ->
                  EventLoad.live(
                      http(region)
                          .call("GET", "/v1/experiments/" + key + "/results", NodeJvm.ADMIN, null)
                          .body()));
      System.out.printf("[regions] %s results %s (expected %s)%n", region, live, expected);
      assertThat(live).isEqualTo(expected);
    }
  }

  @Test
  @Order(4)
  void whenRegionAIsLostBServesEverythingAndBothConvergeWhenAReturns() throws Exception {
    String key = "regions-loss";
    http(A).createAndStart(key);
    Await.until("B to run it", Duration.ofSeconds(60), () -> assigned(B, "u", key));

    long lostAt = System.nanoTime();
    regions.lose(A);

    int answered = 0;
    int asked = 0;
    long firstServed = -1;
    while (asked < 500) {
      asked++;
      if (assigned(B, "loss-" + asked, key)) {
        answered++;
        if (firstServed < 0) {
          firstServed = System.nanoTime();
        }
      }
    }
    String created = "regions-created-in-b";
    long writeStart = System.nanoTime();
    var write =
        http(B).call("POST", "/v1/experiments", NodeJvm.ADMIN, EventLoad.experimentJson(created));
    long writeMillis = (System.nanoTime() - writeStart) / 1_000_000;
    int paused = http(B).status("POST", "/v1/experiments/" + key + "/pause", NodeJvm.ADMIN, null);
    System.out.printf(
        "[regions] A lost: B answered %d/%d assignments (first %.0f ms after the loss); a create in B"
            + " took %d ms (status %d), a pause %d%n",
        answered, asked, (firstServed - lostAt) / 1e6, writeMillis, write.status(), paused);
    assertThat(answered).isEqualTo(asked);
    assertThat(write.status()).as(String.valueOf(write.body())).isEqualTo(201);
    assertThat(paused).isEqualTo(200);

    long backAt = System.nanoTime();
    regions.restore(A);
    Await.until(
        "A to see what B did while it was gone",
        Duration.ofSeconds(180),
        () ->
            experiment(A, created).has("key")
                && "PAUSED".equals(experiment(A, key).path("status").asText())
                && !assigned(A, "u", key));
    System.out.printf(
        "[regions] A back and converged %.1f s after its restart began%n",
        (System.nanoTime() - backAt) / 1e9);
    assertThat(experiment(A, key).path("status")).isEqualTo(experiment(B, key).path("status"));
  }
}
