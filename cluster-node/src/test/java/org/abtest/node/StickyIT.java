package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.abtest.deploy.testing.RealServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sticky bucketing on the real servers: units assigned under 50/50 keep their variants after a
 * sticky change to 20/80, also after a restart of the node (its cache empty, their first variants
 * read back from Cassandra), while new units follow 20/80; an exposure of a unit's stored variant
 * is accepted, and one of the variant its bucket now gives is refused.
 */
@ExtendWith(RealServers.class)
class StickyIT {

  private static final String NAMESPACE = "sticky_it";
  private static final int UNITS = 1000;

  /** Reads of a cold table can take longer than the 25 ms a request waits in production. */
  private static final String PATIENT = "abtest.sticky.read-timeout = 2s\n";

  @Test
  void assignedUnitsKeepTheirVariantsThroughAStickyWeightChangeAndARestart() throws Exception {
    String key = "sticky-" + UUID.randomUUID().toString().substring(0, 8);
    String run = key.substring(7);
    Map<String, String> first = new HashMap<>();
    try (TestNode node = TestNode.start(NAMESPACE, PATIENT)) {
      var created =
          node.call(
              "POST",
              "/v1/experiments",
              TestNode.ADMIN,
              "{\"key\": \""
                  + key
                  + "\", \"stickyBucketing\": true, \"variants\": [{\"key\": \"control\","
                  + " \"weight\": 5000}, {\"key\": \"treatment\", \"weight\": 5000}]}");
      assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
      assertThat(created.body().get("stickyBucketing").asBoolean()).isTrue();
      assertThat(
              node.call("POST", "/v1/experiments/" + key + "/start", TestNode.ADMIN, null).status())
          .isEqualTo(200);
      await("the experiment in the manifest")
          .atMost(Duration.ofSeconds(30))
          .until(() -> variant(node, "probe-" + run, key) != null);
      assertThat(sdkManifestEntry(node, key).get("sticky").asBoolean()).isTrue();

      for (int i = 0; i < UNITS; i++) {
        String unit = "u-" + run + "-" + i;
        first.put(unit, variant(node, unit, key));
      }
      assertThat(first.values()).doesNotContainNull();
      assertThat(first.values().stream().filter("treatment"::equals).count()).isBetween(400L, 600L);
      // every first variant durable before the node goes (written asynchronously)
      await("first variants written")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  counter(node, "abtest_sticky_writes_total", "written")
                      + " written, "
                      + counter(node, "abtest_sticky_writes_total", "failed")
                      + " failed",
              v -> Double.parseDouble(v.substring(0, v.indexOf(' '))) >= UNITS);
      assertThat(counter(node, "abtest_sticky_writes_total", "dropped")).isZero();
      assertThat(counter(node, "abtest_sticky_reads_total", "timeout")).isZero();

      JsonNode current = node.call("GET", "/v1/experiments/" + key, TestNode.ADMIN, null).body();
      var patched =
          node.callWithHeader(
              "PATCH",
              "/v1/experiments/" + key,
              TestNode.ADMIN,
              "{\"sticky\": true, \"variants\": [{\"key\": \"control\", \"weight\": 2000},"
                  + " {\"key\": \"treatment\", \"weight\": 8000}]}",
              "If-Match",
              "\"" + current.get("version").asLong() + "\"");
      assertThat(patched.status()).as(String.valueOf(patched.body())).isEqualTo(200);
      assertThat(patched.body().get("phase").asInt()).isEqualTo(current.get("phase").asInt());
    }

    try (TestNode node =
        TestNode.start(NAMESPACE, PATIENT + "abtest.events.verify-exposures = on")) {
      await("the new weights in the manifest")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  sdkManifestEntry(node, key) != null
                      && sdkManifestEntry(node, key).at("/variants/1/weight").asInt() == 8000);
      int moved = 0;
      String kept = null;
      for (Map.Entry<String, String> e : first.entrySet()) {
        String now = variant(node, e.getKey(), key);
        if (!e.getValue().equals(now)) {
          moved++;
        }
        if (kept == null && e.getValue().equals("control") && hashMovesTo(node, e.getKey(), key)) {
          kept = e.getKey();
        }
      }
      assertThat(moved).as("already-assigned units that changed variant").isZero();
      assertThat(counter(node, "abtest_sticky_reads_total", "loaded"))
          .isGreaterThanOrEqualTo(UNITS);

      int treatment = 0;
      int fresh = 2000;
      for (int i = 0; i < fresh; i++) {
        treatment += "treatment".equals(variant(node, "new-" + run + "-" + i, key)) ? 1 : 0;
      }
      assertThat(treatment).as("new units in treatment of " + fresh).isBetween(1520, 1680);

      // exposures: the stored variant of a unit the new weights would move is its variant
      assertThat(kept).as("a stored control unit whose bucket now says treatment").isNotNull();
      var accepted = exposure(node, kept, key, "control", run + "-a");
      assertThat(accepted.body().get("accepted").asInt())
          .as(accepted.body().toString())
          .isEqualTo(1);
      var refused = exposure(node, kept, key, "treatment", run + "-b");
      assertThat(refused.body().at("/rejected/0/error/code").asText()).isEqualTo("invalid_variant");
    }
  }

  @Test
  void aSlowStoreAndFullWriteBudgetsLeaveTheHashAnswerAndAreCounted() throws Exception {
    String key = "sticky-limits-" + UUID.randomUUID().toString().substring(0, 8);
    String limits =
        "abtest.sticky.read-timeout = 0ms\nabtest.sticky.max-writes-in-flight = 0\n"
            + "abtest.sticky.max-writes-per-second = 1\n";
    try (TestNode node = TestNode.start(NAMESPACE, limits)) {
      var created =
          node.call(
              "POST",
              "/v1/experiments",
              TestNode.ADMIN,
              "{\"key\": \""
                  + key
                  + "\", \"stickyBucketing\": true, \"variants\": [{\"key\": \"control\","
                  + " \"weight\": 2000}, {\"key\": \"treatment\", \"weight\": 8000}]}");
      assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
      node.call("POST", "/v1/experiments/" + key + "/start", TestNode.ADMIN, null);
      await("the experiment in the manifest")
          .atMost(Duration.ofSeconds(30))
          .until(() -> sdkManifestEntry(node, key) != null);
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 100; i++) {
          String unit = "slow-" + key + "-" + i;
          // the answer never waits past the timeout and is the bucket's
          assertThat(variant(node, unit, key))
              .isEqualTo(node.manifests().compiled().variantOf(key, unit, null).variant());
        }
        // the reads land after their callers stopped waiting (on a fresh keyspace, once the table
        // exists): the second round finds the units in memory and writes their first variants
        await("the first round's reads landed")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> counter(node, "abtest_sticky_reads_total", "loaded") >= 100);
      }
      assertThat(counter(node, "abtest_sticky_reads_total", "timeout")).isPositive();
      assertThat(counter(node, "abtest_sticky_writes_total", "dropped")).isPositive();
      assertThat(counter(node, "abtest_sticky_writes_total", "throttled"))
          .as(stickyMetrics(node))
          .isPositive();
      assertThat(counter(node, "abtest_sticky_writes_total", "written")).isZero();
    }
  }

  /** The node's sticky metrics, for a failure's message. */
  private static String stickyMetrics(TestNode node) throws Exception {
    StringBuilder out = new StringBuilder();
    for (String line : metrics(node).split("\n")) {
      if (line.startsWith("abtest_sticky")) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  /** Whether the unit's bucket alone (no stored variant) would now give treatment. */
  private static boolean hashMovesTo(TestNode node, String unit, String key) {
    var a = node.manifests().compiled().variantOf(key, unit, null);
    return a != null && a.variant().equals("treatment");
  }

  private static TestNode.Reply exposure(
      TestNode node, String unit, String key, String variant, String id) throws Exception {
    String body =
        "{\"events\": [{\"eventId\": \"sticky-"
            + id
            + "\", \"type\": \"exposure\", \"unit\": \""
            + unit
            + "\", \"experiment\": \""
            + key
            + "\", \"variant\": \""
            + variant
            + "\", \"ts\": \""
            + Instant.now()
            + "\"}]}";
    var reply = node.call("POST", "/v1/events", TestNode.SDK, body);
    assertThat(reply.status()).isEqualTo(202);
    return reply;
  }

  private static String variant(TestNode node, String unit, String key) throws Exception {
    var reply =
        node.call(
            "POST",
            "/v1/assignments",
            TestNode.SDK,
            "{\"unit\": \"" + unit + "\", \"log\": false}");
    assertThat(reply.status()).isEqualTo(200);
    for (JsonNode a : reply.body().get("assignments")) {
      if (a.get("experiment").asText().equals(key)) {
        return a.get("variant").asText();
      }
    }
    return null;
  }

  private static JsonNode sdkManifestEntry(TestNode node, String key) throws Exception {
    for (JsonNode e :
        node.call("GET", "/v1/manifest", TestNode.SDK, null).body().get("experiments")) {
      if (e.get("key").asText().equals(key)) {
        return e;
      }
    }
    return null;
  }

  private static String metrics(TestNode node) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.baseUrl() + "/metrics"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static double counter(TestNode node, String name, String outcome) throws Exception {
    String text = metrics(node);
    String prefix = name + "{outcome=\"" + outcome + "\"} ";
    for (String line : text.split("\n")) {
      if (line.startsWith(prefix)) {
        return Double.parseDouble(line.substring(prefix.length()).trim());
      }
    }
    return 0;
  }
}
