package org.abtest.multijvm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Layers are written in their home region (A) only; a conclude or kill in region B frees the
 * experiment's slots there through the replicated experiment event, also when A was lost at the
 * time and comes back later. Real Cassandra (one data center per region) and Kafka.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LayerSlotsAcrossRegionsIT {

  private static final int BASE = Integer.getInteger("abtest.mjvm.layerRegionsBasePort", 32000);
  private static final String A = TwoRegions.A;
  private static final String B = TwoRegions.B;
  private static final String LAYER = "regions-layer";
  private static final String PENDING = "abtest_layer_releases_pending";
  // units probed for an assignment: all of them in one half of the layer happens once in 2^39 runs
  private static final int PROBES = 40;

  private static TwoRegions regions;

  @BeforeAll
  static void startRegions() throws Exception {
    regions = TwoRegions.start("layer-regions", BASE, "mjvm_layer_regions");
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

  private static String layered(String key, int from, int to) {
    return """
        {"key": "%s", "name": "%s", "layer": "%s", "layerSlots": [%d, %d],
         "variants": [{"key": "control", "weight": 5000}, {"key": "treatment", "weight": 5000}],
         "metrics": [{"key": "bought", "event": "purchase", "kind": "proportion"}],
         "primaryMetric": "bought"}
        """
        .formatted(key, key, LAYER, from, to);
  }

  /**
   * A write as a client makes it: a 503 (the first writes after a start wait for Cassandra) is
   * retried; a retry may then find the first attempt done, so {@code done} also lists that answer.
   */
  private static void write(String region, String path, String body, Integer... done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    Http.Reply reply = http(region).call("POST", path, NodeJvm.ADMIN, body);
    while ((reply.status() == 503 || reply.status() == -1) && System.nanoTime() < deadline) {
      Thread.sleep(1000); // a client's pause before it retries the write
      reply = http(region).call("POST", path, NodeJvm.ADMIN, body);
    }
    assertThat(done)
        .as("POST " + path + " in " + region + ": " + reply.body())
        .contains(reply.status());
  }

  private static void createAndStart(String key, int from, int to) throws InterruptedException {
    write(A, "/v1/experiments", layered(key, from, to), 201, 409);
    write(A, "/v1/experiments/" + key + "/start", null, 200, 409);
    JsonNode stored = http(A).call("GET", "/v1/experiments/" + key, NodeJvm.ADMIN, null).body();
    assertThat(stored.path("status").asText()).isEqualTo("RUNNING");
  }

  /** The experiments holding slots of the layer, as GET /v1/layers/{key} in a region shows them. */
  private static List<String> holders(String region) {
    JsonNode layer = http(region).call("GET", "/v1/layers/" + LAYER, NodeJvm.ADMIN, null).body();
    List<String> used = new ArrayList<>();
    if (layer == null || !layer.has("used")) {
      used.add("(no answer: " + layer + ")");
      return used;
    }
    layer.path("used").forEach(u -> used.add(u.path("experiment").asText()));
    return used;
  }

  /**
   * Some unit of {@link #PROBES} is assigned {@code key} in the region. Which half of the layer a
   * unit falls in depends on the layer's random salt, so two fixed units (u-1, u-2 before) land in
   * the same half one run in two, and the experiment of the other half is then never seen.
   */
  private static void awaitRunningIn(String region, String key) throws InterruptedException {
    Await.until(
        region + " to run " + key,
        Duration.ofSeconds(90),
        () -> {
          for (int u = 0; u < PROBES; u++) {
            if (http(region).assigns("u-" + u, key)) {
              return true;
            }
          }
          return false;
        });
  }

  /** The gauge's value on a region's node, or -1 when it cannot be read. */
  private static double pending(String region) {
    String text = http(region).text("/metrics", null);
    if (text == null) {
      return -1;
    }
    for (String line : text.split("\n")) {
      if (line.startsWith(PENDING + " ")) {
        return Double.parseDouble(line.substring(PENDING.length() + 1).trim());
      }
    }
    return -1;
  }

  @Test
  @Order(1)
  void aConcludeInTheOtherRegionFreesTheSlotsInTheHomeRegion() throws Exception {
    write(A, "/v1/layers", "{\"key\": \"" + LAYER + "\"}", 201, 409);
    createAndStart("slots-concluded-in-b", 0, 5000);
    createAndStart("slots-killed-in-b", 5000, 10_000);
    awaitRunningIn(B, "slots-concluded-in-b");
    awaitRunningIn(B, "slots-killed-in-b");
    assertThat(holders(B)).containsExactlyInAnyOrder("slots-concluded-in-b", "slots-killed-in-b");

    long start = System.nanoTime();
    write(B, "/v1/experiments/slots-concluded-in-b/conclude", null, 200);
    Await.until(
        () -> "A's layer to free the slots concluded in B; A shows " + holders(A),
        Duration.ofSeconds(60),
        () -> holders(A).equals(List.of("slots-killed-in-b")));
    double seconds = (System.nanoTime() - start) / 1e9;
    Await.until(
        () -> "B to read the freed slots; B shows " + holders(B),
        Duration.ofSeconds(30),
        () -> holders(B).equals(List.of("slots-killed-in-b")));
    System.out.printf(
        "[layer-regions] a conclude in B freed its slots in A %.1f s later%n", seconds);
    // The freed range can be taken again, in the home region.
    write(A, "/v1/experiments", layered("slots-reused", 0, 5000), 201);
  }

  @Test
  @Order(2)
  void aKillInTheOtherRegionWhileTheHomeRegionIsLostFreesTheSlotsWhenItReturns() throws Exception {
    regions.lose(A);
    write(B, "/v1/experiments/slots-killed-in-b/kill", null, 200);
    // B knows the release is owed, and that only A can make it.
    Await.until(
        () -> "B's gauge to count the pending release; it reads " + pending(B),
        Duration.ofSeconds(60),
        () -> pending(B) == 1);
    assertThat(holders(B)).contains("slots-killed-in-b");

    long back = System.nanoTime();
    regions.restore(A);
    Await.until(
        () -> "A to free the slots killed in B; A shows " + holders(A),
        Duration.ofSeconds(180),
        () -> !holders(A).contains("slots-killed-in-b") && !holders(A).get(0).startsWith("("));
    double seconds = (System.nanoTime() - back) / 1e9;
    Await.until(
        () -> "B to see the release; B shows " + holders(B) + ", gauge " + pending(B),
        Duration.ofSeconds(60),
        () -> !holders(B).contains("slots-killed-in-b") && pending(B) == 0);
    assertThat(holders(A)).containsExactly("slots-reused");
    System.out.printf(
        "[layer-regions] A lost during a kill in B: slots free %.1f s after A's restart began%n",
        seconds);
  }
}
