package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abtest.deploy.testing.RealServers;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two nodes of one cluster (each its own JVM) on real Kafka and Cassandra. The sequential state is
 * the experiment aggregator's persisted state: both nodes show the same always-valid p-value,
 * confidence sequence and O'Brien–Fleming look state, before and after both restart, and the
 * running minimum survives although the current look alone would give a larger p-value. The time
 * series equals the live totals within one interval of the last change.
 */
@ExtendWith(RealServers.class)
class SequentialStateIT {

  private static final String MSPRT =
      """
      {"key": "seq-msprt", "name": "mSPRT",
       "variants": [{"key": "control", "weight": 5000}, {"key": "treatment", "weight": 5000}],
       "metrics": [{"key": "converted", "event": "purchase", "kind": "proportion"}],
       "sequential": "msprt", "sampleSizeTarget": 40000}
      """;
  private static final String OBF =
      """
      {"key": "seq-obf", "name": "OBF",
       "variants": [{"key": "control", "weight": 5000}, {"key": "treatment", "weight": 5000}],
       "metrics": [{"key": "converted", "event": "purchase", "kind": "proportion"}],
       "sequential": "obf", "looks": 4, "sampleSizeTarget": 16000}
      """;
  private static final long SERIES_INTERVAL_MS = 2000;

  @Test
  void twoNodesShowTheSamePersistedSequentialStateBeforeAndAfterBothRestart() throws Exception {
    File log = new File("target/sequential_it-nodes.log");
    int remoteA = freePort();
    int remoteB = freePort();
    String seeds = "pekko://abtest@127.0.0.1:" + remoteA + ",pekko://abtest@127.0.0.1:" + remoteB;
    Map<String, String> envA = env(remoteA, seeds);
    Map<String, String> envB = env(remoteB, seeds);

    NodeProcess a = start(envA, log);
    NodeProcess b;
    try {
      b = start(envB, log);
    } catch (Exception e) {
      a.stop();
      throw e;
    }
    JsonNode msprtBefore;
    JsonNode obfBefore;
    try {
      for (String body : List.of(MSPRT, OBF)) {
        var created = a.call("POST", "/v1/experiments", TestNode.ADMIN, body);
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        String key = created.body().get("key").asText();
        // the entity of a just-created experiment may be on the other node and answer 404 for a
        // moment (its replica has not read the create yet): retried as a client would
        EventsFixture.eventually(
            () -> a.call("POST", "/v1/experiments/" + key + "/start", TestNode.ADMIN, null),
            r -> r.status() == 200 || r.status() == 409);
      }
      // a strong effect first (8 % against 16 %), 2000 units an arm: look 1 of 4 for OBF
      send(a, events(0, 4000, 8, 16));
      JsonNode strong = awaitResults(a, "seq-msprt", 4000);
      Double minimum = strong.at("/metrics/0/comparisons/0/alwaysValidPValue").doubleValue();
      assertThat(minimum).as(strong.toString()).isLessThan(1e-6);

      // then no effect at all (10 % both), 6000 more units an arm: the effect fades
      send(b, events(4000, 16000, 10, 10));
      long lag = seriesLag(b, "seq-msprt", 16000);
      System.out.printf(
          "[sequential] time series equal to the live totals %d ms after them%n", lag);
      assertThat(lag).isLessThanOrEqualTo(SERIES_INTERVAL_MS + 1000);
      msprtBefore = sameOnBoth(a, b, "seq-msprt", 16000);
      obfBefore = sameOnBoth(a, b, "seq-obf", 16000);
      JsonNode c = msprtBefore.at("/metrics/0/comparisons/0");
      // the running minimum: never above phase one's, whatever the looks while phase two came in
      assertThat(c.get("alwaysValidPValue").doubleValue()).isLessThanOrEqualTo(minimum);
      assertThat(thisLookAlone(a, msprtBefore))
          .as("the current look alone")
          .isGreaterThan(1000 * minimum);
      assertThat(c.get("csLow").isNumber()).isTrue();
      JsonNode looks = obfBefore.at("/metrics/0/comparisons/0/sequential");
      System.out.printf("[sequential] msprt %s%n[sequential] obf %s%n", c, looks);
      assertThat(looks.get("look").asInt()).isEqualTo(4);
      assertThat(looks.get("history").size()).isGreaterThanOrEqualTo(2);
      assertThat(looks.get("crossed").asBoolean()).isTrue(); // crossed at look 1 (z ≈ 8.8)
    } finally {
      a.stop();
      b.stop();
    }

    NodeProcess a2 = start(envA, log);
    NodeProcess b2 = null;
    try {
      b2 = start(envB, log);
      JsonNode msprtAfter = sameOnBoth(a2, b2, "seq-msprt", 16000);
      JsonNode obfAfter = sameOnBoth(a2, b2, "seq-obf", 16000);
      assertThat(msprtAfter.at("/metrics/0/comparisons/0"))
          .isEqualTo(msprtBefore.at("/metrics/0/comparisons/0"));
      assertThat(obfAfter.at("/metrics/0/comparisons/0"))
          .isEqualTo(obfBefore.at("/metrics/0/comparisons/0"));
    } finally {
      a2.stop();
      if (b2 != null) {
        b2.stop();
      }
    }
  }

  /** Three minutes to get ready: joining a restarted seed took over two on a loaded machine. */
  private static NodeProcess start(Map<String, String> env, File log) throws Exception {
    return NodeProcess.start("sequential_it", env, log, List.of("-Xmx512m"));
  }

  private static Map<String, String> env(int remotePort, String seeds) {
    return Map.of(
        "ABTEST_REMOTE_PORT",
        String.valueOf(remotePort),
        "ABTEST_SEED_NODES",
        seeds,
        "ABTEST_TIMESERIES_INTERVAL",
        SERIES_INTERVAL_MS + "ms");
  }

  /** Units {@code from} to {@code to}, alternating arms; converting percentages per arm. */
  private static List<ObjectNode> events(int from, int to, int controlPct, int treatmentPct) {
    Instant now = Instant.now();
    List<ObjectNode> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String unit = "u-" + i;
      boolean treatment = i % 2 == 1;
      for (String experiment : List.of("seq-msprt", "seq-obf")) {
        out.add(
            Json.mapper()
                .createObjectNode()
                .put("eventId", "x-" + experiment + "-" + i)
                .put("type", "exposure")
                .put("unit", unit)
                .put("experiment", experiment)
                .put("variant", treatment ? "treatment" : "control")
                .put("ts", now.toString()));
      }
      // every 100 units of an arm (i / 2), the first pct convert
      if ((i / 2) % 100 < (treatment ? treatmentPct : controlPct)) {
        out.add(
            Json.mapper()
                .createObjectNode()
                .put("eventId", "m-" + i)
                .put("type", "metric")
                .put("unit", unit)
                .put("event", "purchase")
                .put("value", 1)
                .put("ts", now.plusSeconds(1).toString()));
      }
    }
    return out;
  }

  private static void send(NodeProcess node, List<ObjectNode> events) throws Exception {
    for (int from = 0; from < events.size(); from += 1000) {
      ObjectNode body = Json.mapper().createObjectNode();
      ArrayNode array = body.putArray("events");
      events.subList(from, Math.min(events.size(), from + 1000)).forEach(array::add);
      var reply = node.call("POST", "/v1/events", TestNode.SDK, body.toString());
      assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(202);
      assertThat(reply.body().get("rejected")).isEmpty();
    }
  }

  private static long units(JsonNode results) {
    long units = 0;
    for (JsonNode v : results.path("variants")) {
      units += v.path("units").asLong();
    }
    return units;
  }

  /** The results once they count {@code units} and their conversions have settled. */
  private static JsonNode awaitResults(NodeProcess node, String key, long units) throws Exception {
    JsonNode[] previous = {null};
    return await("results of " + key + " reaching " + units + " units, settled")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                node.call("GET", "/v1/experiments/" + key + "/results", TestNode.ADMIN, null)
                    .body(),
            last -> {
              boolean settled =
                  last != null && units(last) == units && last.path("metrics").equals(previous[0]);
              previous[0] = last == null ? null : last.path("metrics");
              return settled;
            });
  }

  /** Both nodes' results once settled: the same comparisons, field for field. */
  private static JsonNode sameOnBoth(NodeProcess a, NodeProcess b, String key, long units)
      throws Exception {
    JsonNode fromA = awaitResults(a, key, units);
    JsonNode fromB = awaitResults(b, key, units);
    assertThat(fromB.at("/metrics/0/comparisons/0"))
        .isEqualTo(fromA.at("/metrics/0/comparisons/0"));
    return fromA;
  }

  /** The always-valid p-value of the current totals alone (POST /v1/analysis, no history). */
  private static double thisLookAlone(NodeProcess node, JsonNode results) throws Exception {
    JsonNode variants = results.at("/metrics/0/variants");
    long n = 0;
    double sum = 0;
    ObjectNode request = Json.mapper().createObjectNode().put("kind", "proportion");
    ArrayNode arms = request.putArray("variants");
    for (JsonNode v : variants) {
      n += v.get("n").asLong();
      sum += v.get("sum").asDouble();
      arms.addObject()
          .put("key", v.get("variant").asText())
          .put("n", v.get("n").asLong())
          .put("conversions", Math.round(v.get("sum").asDouble()));
    }
    // ResultsBuilder's τ²: (0.1 σ̂)² with σ̂² the pooled per-unit variance
    double variance = (sum - sum * sum / n) / (n - 1);
    request.putObject("sequential").put("method", "msprt").put("tau2", 0.01 * variance);
    var reply = node.call("POST", "/v1/analysis", TestNode.ADMIN, request.toString());
    assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(200);

    // the same numbers as two segments through the node: each is the whole's test, and the two
    // equal p-values stay equal under BH across the segments
    ArrayNode segments = request.putArray("segments");
    for (String value : List.of("first", "second")) {
      segments.addObject().put("value", value).set("variants", arms.deepCopy());
    }
    request.put("correction", "bh");
    var segmented = node.call("POST", "/v1/analysis", TestNode.ADMIN, request.toString());
    assertThat(segmented.status()).as(String.valueOf(segmented.body())).isEqualTo(200);
    double whole = reply.body().at("/comparisons/0/pValue").doubleValue();
    for (int i = 0; i < 2; i++) {
      assertThat(segmented.body().at("/segments/" + i + "/comparisons/0/pValue").doubleValue())
          .isEqualTo(whole);
      assertThat(
              segmented.body().at("/segments/" + i + "/comparisons/0/adjustedPValue").doubleValue())
          .isEqualTo(whole);
    }
    return reply.body().at("/comparisons/0/alwaysValidPValue").doubleValue();
  }

  /** Units and each variant's metric sums: what "the same totals" means for a row. */
  private static JsonNode numbers(JsonNode doc) {
    ObjectNode out = Json.mapper().createObjectNode();
    out.set("variants", doc.path("variants"));
    ArrayNode sums = out.putArray("sums");
    for (JsonNode v : doc.at("/metrics/0/variants")) {
      sums.add(v.path("sum").asDouble());
    }
    return out;
  }

  /**
   * Polls the live results and the series together until both hold {@code units}: how long after
   * the live totals the series' last row had the same numbers (to the polling step, 100 ms).
   */
  private static long seriesLag(NodeProcess node, String key, long units) throws Exception {
    Long[] liveAt = {null};
    JsonNode[] live = {null};
    return await("the series reaching the live results of " + key)
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              JsonNode now =
                  node.call("GET", "/v1/experiments/" + key + "/results", TestNode.ADMIN, null)
                      .body();
              if (live[0] == null || !numbers(now).equals(numbers(live[0]))) {
                live[0] = now;
                liveAt[0] = units(now) == units ? System.nanoTime() : null;
              }
              JsonNode points =
                  node.call(
                          "GET",
                          "/v1/experiments/" + key + "/results/timeseries",
                          TestNode.ADMIN,
                          null)
                      .body()
                      .path("points");
              JsonNode last = points.size() == 0 ? null : points.get(points.size() - 1);
              boolean caughtUp =
                  liveAt[0] != null && last != null && numbers(last).equals(numbers(live[0]));
              return caughtUp ? (System.nanoTime() - liveAt[0]) / 1_000_000 : null;
            },
            java.util.Objects::nonNull);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
