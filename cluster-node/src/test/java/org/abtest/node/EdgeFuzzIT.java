package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.abtest.deploy.testing.RealServers;
import org.abtest.http.routes.OfrepRoutes;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13's fuzz test: seeded generated requests over every operation of docs/openapi.yaml with
 * every credential kind, against a node on real Kafka and Cassandra. No 5xx but HTTP's own 501/505,
 * every 4xx with the JSON error body, the node ready at the end and a baseline experiment's results
 * unchanged. Replay with {@code -Dabtest.fuzz.seed=}.
 */
@ExtendWith(RealServers.class)
class EdgeFuzzIT {

  private static final long DEFAULT_SEED = 7_327_560_561_947L;

  private static final int MIN_REQUESTS = Integer.getInteger("abtest.fuzz.requests", 10_000);
  private static final Duration CAP =
      Duration.ofSeconds(Integer.getInteger("abtest.fuzz.seconds", 240));
  private static final int CLIENTS = Integer.getInteger("abtest.fuzz.clients", 3);
  private static final String BASELINE = "fuzz-baseline";

  private static final int RESET_AFTER_OVERSIZED_BODY = -2;

  /** Bodies smaller than this are sent whole before any answer can come. */
  private static final long UPLOAD_RESET_FROM = 8 * 1024;

  private static boolean isReset(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  /** Targeting on a value the fuzzer never sends keeps its assignments out of the baseline. */
  private static final String COHORT = "cohort-" + Long.toHexString(new Random().nextLong());

  private static final String LIMITS =
      """
      abtest.http.rate-limits.sdk-key-per-second = 100000
      abtest.http.rate-limits.admin-per-second = 100000
      abtest.http.rate-limits.anonymous-per-second = 100000
      abtest.events.max-lateness = 7d
      abtest.events.verify-exposures = on
      """;

  record Outcome(
      String credential, String method, String path, int status, String body, String sent) {
    @Override
    public String toString() {
      String excerpt = body.length() > 200 ? body.substring(0, 200) + "…" : body;
      return credential
          + " "
          + method
          + " "
          + path
          + " ("
          + sent
          + ") -> "
          + status
          + " "
          + excerpt;
    }
  }

  @Test
  void generatedRequestsOverEveryOperationGetNo5xxAndLeaveTheBaselineUnchanged() throws Exception {
    // A fixed seed by default, so that the build's run is the same each time (a failure replays
    // as is); -Dabtest.fuzz.seed=<n> explores others, and every run prints its seed.
    long seed = Long.getLong("abtest.fuzz.seed", DEFAULT_SEED);
    System.out.println("EdgeFuzzIT seed " + seed + " (replay: -Dabtest.fuzz.seed=" + seed + ")");
    try (TestNode node = TestNode.start("edge_fuzz_it", LIMITS)) {
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> node.call("POST", "/v1/layers", TestNode.ADMIN, "{\"key\": \"fz-layer\"}"),
              r -> r.status() != 503);
      Map<String, Object> baseline = baseline(node);
      Map<String, String> credentials = credentials(node);
      List<String> keys = fuzzKeys(node);

      rawSocket(node, "BREW / HTTP/1.1", 501);
      rawSocket(node, "GET /v1/me HTTP/3.0", 505);
      // java.net.URI refuses to build these, so they go over the socket
      rawSocket(node, "GET /v1/assignments?unit=%zz HTTP/1.1", 400);
      rawSocket(node, "GET /v1/me%zz HTTP/1.1", 400);

      OpenApiOperations api = OpenApiOperations.load();
      List<OpenApiOperations.Operation> operations = api.operations();
      assertThat(operations).hasSizeGreaterThan(30);
      Map<String, LongAdder> byClass = new ConcurrentHashMap<>();
      Map<String, LongAdder> byCredential = new ConcurrentHashMap<>();
      Map<String, LongAdder> byOperation = new ConcurrentHashMap<>();
      ConcurrentLinkedQueue<Outcome> bad = new ConcurrentLinkedQueue<>();
      AtomicInteger sent = new AtomicInteger();
      long start = System.nanoTime();
      long deadline = start + CAP.toNanos();
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      List<java.util.concurrent.Future<?>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        Random random = new Random(seed + c);
        FuzzRequests requests = new FuzzRequests(random, node.baseUrl(), api, credentials, keys);
        clients.add(
            pool.submit(
                () -> {
                  HttpClient http =
                      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                  while (sent.get() < MIN_REQUESTS && System.nanoTime() < deadline) {
                    sent.incrementAndGet();
                    FuzzRequests.Fuzzed f = requests.next();
                    Outcome o = send(http, f);
                    byClass
                        .computeIfAbsent(statusClass(o.status()), k -> new LongAdder())
                        .increment();
                    byCredential.computeIfAbsent(f.credential(), k -> new LongAdder()).increment();
                    byOperation.computeIfAbsent(f.operation(), k -> new LongAdder()).increment();
                    if (!acceptable(o)) {
                      bad.add(o);
                    }
                  }
                  return null;
                }));
      }
      for (var client : clients) {
        client.get();
      }
      pool.shutdown();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "EdgeFuzzIT seed %d: %d requests in %.1f s by %d clients; by status %s; by credential %s;"
              + " operations %d/%d%n",
          seed,
          sent.get(),
          seconds,
          CLIENTS,
          byClass,
          byCredential,
          byOperation.size(),
          operations.size());

      List<Outcome> offending = bad.stream().limit(15).toList();
      assertThat(bad)
          .as("seed %d: %d bad responses, the first: %s", seed, bad.size(), offending)
          .isEmpty();
      assertThat(sent.get())
          .as("requests sent in %s (seed %d)", CAP, seed)
          .isGreaterThanOrEqualTo(MIN_REQUESTS);
      assertThat(byOperation.size()).as("operations fuzzed").isEqualTo(operations.size());
      assertThat(byCredential.keySet()).containsAll(credentials.keySet());

      var ready = node.call("GET", "/health/ready", null, null);
      assertThat(ready.status()).as(String.valueOf(ready.body())).isEqualTo(200);
      assertThat(EventsFixture.live(node::call, BASELINE))
          .as("baseline results after the fuzz")
          .isEqualTo(baseline);
    }
  }

  private static String statusClass(int status) {
    if (status == RESET_AFTER_OVERSIZED_BODY) {
      return "reset-while-uploading";
    }
    return status < 0 ? "transport-error" : status / 100 + "xx";
  }

  private static boolean acceptable(Outcome o) {
    if (o.status() == RESET_AFTER_OVERSIZED_BODY) {
      return true;
    }
    if (o.status() < 0) {
      return false;
    }
    if (o.status() >= 500) {
      return o.status() == 501 || o.status() == 505;
    }
    if (o.status() >= 400) {
      try {
        JsonNode body = Json.mapper().readTree(o.body());
        if (o.path().startsWith(OfrepRoutes.PREFIX) && body.path("errorCode").isTextual()) {
          // OFREP's own error shape is its contract: {errorCode, errorDetails}
          return body.path("errorDetails").isTextual();
        }
        JsonNode error = body.path("error");
        return error.path("code").isTextual() && error.path("message").isTextual();
      } catch (Exception notJson) {
        return false;
      }
    }
    return true;
  }

  private static Outcome send(HttpClient http, FuzzRequests.Fuzzed f) {
    String path = f.request().uri().getRawPath();
    try {
      HttpResponse<InputStream> response =
          http.send(f.request(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        // a stream that opened is the answer; its events would never end
        String body =
            type.startsWith("text/event-stream")
                ? ""
                : new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
        return new Outcome(
            f.credential(), f.request().method(), path, response.statusCode(), body, f.note());
      }
    } catch (Exception e) {
      // A request refused before its body is read (401, 403, 404, 413, ...) is answered and the
      // connection closed while the client may still be uploading: its reset is counted apart
      // and printed (docs/security.md, Known gaps); a request without a body must never lose
      // its answer.
      int status =
          f.bodyBytes() > UPLOAD_RESET_FROM && isReset(e) ? RESET_AFTER_OVERSIZED_BODY : -1;
      return new Outcome(
          f.credential(), f.request().method(), path, status, e.toString(), f.note());
    }
  }

  /**
   * Creates the baseline, gives it known exposures and metric events, returns its settled numbers.
   */
  private static Map<String, Object> baseline(TestNode node) throws Exception {
    String definition =
        """
        {"key": "%s", "variants": [{"key": "control", "weight": 5000}, {"key": "b", "weight": 5000}],
         "targeting": {"fuzzCohort": "%s"},
         "metrics": [{"key": "revenue", "event": "purchase", "kind": "mean"},
                     {"key": "bought", "event": "purchase", "kind": "proportion"}]}
        """
            .formatted(BASELINE, COHORT);
    var created = node.call("POST", "/v1/experiments", TestNode.ADMIN, definition);
    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
    assertThat(
            node.call("POST", "/v1/experiments/" + BASELINE + "/start", TestNode.ADMIN, null)
                .status())
        .isEqualTo(200);
    String probe =
        "{\"unit\": \"baseline-probe\", \"log\": false, \"attributes\": {\"fuzzCohort\": \"%s\"}}"
            .formatted(COHORT);
    EventsFixture.eventually(
        () -> node.call("POST", "/v1/assignments", TestNode.SDK, probe),
        r -> r.status() == 200 && r.body().get("assignments").size() == 1);
    int units = 40;
    double revenue = 0;
    StringBuilder events = new StringBuilder("{\"events\": [");
    for (int i = 0; i < units; i++) {
      var assigned =
          node.call(
              "POST",
              "/v1/assignments",
              TestNode.SDK,
              "{\"unit\": \"baseline-u%d\", \"attributes\": {\"fuzzCohort\": \"%s\"}}"
                  .formatted(i, COHORT));
      assertThat(assigned.body().get("assignments")).hasSize(1);
      if (i % 2 == 0) {
        revenue += i;
        events.append(
            "%s{\"eventId\": \"baseline-m%d\", \"type\": \"metric\", \"unit\": \"baseline-u%d\", \"event\": \"purchase\", \"value\": %d, \"ts\": \"%s\"}"
                .formatted(i == 0 ? "" : ",", i, i, i, Instant.now()));
      }
    }
    Thread.sleep(1000); // not a poll: the exposures logged above are ingested before their metrics
    var reply = node.call("POST", "/v1/events", TestNode.SDK, events.append("]}").toString());
    assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(202);
    assertThat(reply.body().get("rejected")).as(reply.body().toString()).isEmpty();
    double expectedRevenue = revenue;
    Map<String, Object> numbers =
        await("baseline of " + units + " units settled")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> EventsFixture.live(node::call, BASELINE),
                n -> settled(n, units, expectedRevenue));
    System.out.println("EdgeFuzzIT baseline " + numbers);
    return numbers;
  }

  private static boolean settled(Map<String, Object> numbers, int units, double revenue) {
    long seen = 0;
    double sum = 0;
    for (var e : numbers.entrySet()) {
      if (e.getKey().startsWith("units.")) {
        seen += (Long) e.getValue();
      }
      if (e.getKey().startsWith("metric.revenue.") && e.getKey().endsWith(".sum")) {
        sum += (Double) e.getValue();
      }
    }
    return seen == units && sum == revenue;
  }

  /** Every credential kind: none, garbage, the SDK key, each role's token and a revoked one. */
  private static Map<String, String> credentials(TestNode node) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("none", null);
    out.put("garbage", "not-a-token-" + Long.toHexString(new Random().nextLong()));
    out.put("sdk", TestNode.SDK);
    for (String role : List.of("viewer", "experimenter", "admin")) {
      out.put(role, issue(node, role).get("token").asText());
    }
    JsonNode revoked = issue(node, "viewer");
    assertThat(
            node.call("DELETE", "/v1/tokens/" + revoked.get("id").asText(), TestNode.ADMIN, null)
                .status())
        .isEqualTo(204);
    out.put("revoked", revoked.get("token").asText());
    String revokedToken = revoked.get("token").asText();
    EventsFixture.eventually(
        () -> node.call("GET", "/v1/me", revokedToken, null), r -> r.status() == 401);
    return out;
  }

  private static JsonNode issue(TestNode node, String role) throws Exception {
    var issued =
        node.call(
            "POST",
            "/v1/tokens",
            TestNode.ADMIN,
            "{\"role\": \"%s\", \"name\": \"fz\"}".formatted(role));
    assertThat(issued.status()).as(String.valueOf(issued.body())).isEqualTo(201);
    return issued.body();
  }

  /** Experiments and a layer of the fuzzer's own, so that path keys hit existing entities too. */
  private static List<String> fuzzKeys(TestNode node) throws Exception {
    List<String> keys = new ArrayList<>(List.of("fz-layer", "fz-exp-0", "fz-exp-1", "fz-exp-2"));
    for (int i = 0; i < 3; i++) {
      String body =
          "{\"key\": \"fz-exp-%d\", \"variants\": [{\"key\": \"control\", \"weight\": 5000}, {\"key\": \"b\", \"weight\": 5000}]}"
              .formatted(i);
      assertThat(node.call("POST", "/v1/experiments", TestNode.ADMIN, body).status())
          .isEqualTo(201);
    }
    node.call("POST", "/v1/experiments/fz-exp-1/start", TestNode.ADMIN, null);
    keys.add(URLEncoder.encode("ü/..%00", StandardCharsets.UTF_8));
    keys.add("k".repeat(3000));
    return keys;
  }

  private static void rawSocket(TestNode node, String requestLine, int expected) throws Exception {
    URI base = URI.create(node.baseUrl());
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              (requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      ByteArrayOutputStream read = new ByteArrayOutputStream();
      socket.getInputStream().transferTo(read);
      String reply = read.toString(StandardCharsets.UTF_8);
      assertThat(reply).as(requestLine).startsWith("HTTP/1.1 " + expected);
      String body = reply.substring(reply.indexOf("\r\n\r\n") + 4);
      JsonNode error = Json.mapper().readTree(body).path("error");
      assertThat(error.path("code").isTextual()).as("%s: %s", requestLine, reply).isTrue();
    }
  }
}
