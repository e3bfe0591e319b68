package org.abtest.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.abtest.protocol.Json;

/**
 * On-demand end-to-end load of the events path against a running node (deploy/run-local.sh):
 * throughput of {@code POST /v1/events} in batches of 1000 from several senders for a bounded time,
 * then freshness: single exposures timed from their 202 until {@code GET …/results} shows them.
 * Loopback only; every loop is bounded in count and time.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar org.abtest.benchmarks.EventsLoad [seconds=30]
 * [senders=4] [probes=50]} with ABTEST_ADMIN_TOKEN and ABTEST_SDK_KEY set.
 */
public final class EventsLoad {

  private static final String BASE =
      "http://127.0.0.1:" + System.getenv().getOrDefault("ABTEST_HTTP_PORT", "8080");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int senders = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int probes = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    String admin = System.getenv("ABTEST_ADMIN_TOKEN");
    String sdk = System.getenv("ABTEST_SDK_KEY");
    String key = "load-" + Long.toHexString(System.nanoTime());
    call(
        "POST",
        "/v1/experiments",
        admin,
        """
        {"key": "%s", "variants": [{"key": "a", "weight": 5000}, {"key": "b", "weight": 5000}],
         "metrics": [{"key": "buy", "event": "purchase", "kind": "mean"}]}"""
            .formatted(key));
    call("POST", "/v1/experiments/" + key + "/start", admin, null);
    Thread.sleep(2000);

    AtomicLong accepted = new AtomicLong();
    AtomicLong batches = new AtomicLong();
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    for (int s = 0; s < senders; s++) {
      int sender = s;
      pool.submit(
          () -> {
            long n = 0;
            while (System.nanoTime() < end) {
              String body = batch(key, sender, n++);
              JsonNode reply = call("POST", "/v1/events", sdk, body);
              accepted.addAndGet(reply.path("accepted").asLong());
              batches.incrementAndGet();
            }
            return null;
          });
    }
    pool.shutdown();
    pool.awaitTermination(seconds + 60L, java.util.concurrent.TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "throughput: %d events accepted (202) in %.1f s = %.0f events/s (%d senders, %d batches)%n",
        accepted.get(), elapsed, accepted.get() / elapsed, senders, batches.get());

    long expected = units(call("GET", "/v1/experiments/" + key + "/results", admin, null));
    List<Long> lags = new ArrayList<>();
    for (int p = 0; p < probes; p++) {
      String unit = "probe-" + p;
      call(
          "POST",
          "/v1/events",
          sdk,
          """
          {"events": [{"eventId": "%s-%s", "type": "exposure", "unit": "%s", "experiment": "%s",
                       "variant": "a", "ts": "%s"}]}"""
              .formatted(key, unit, unit, key, Instant.now()));
      long acked = System.nanoTime();
      long deadline = acked + Duration.ofSeconds(30).toNanos();
      while (units(call("GET", "/v1/experiments/" + key + "/results", admin, null)) <= expected
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      lags.add((System.nanoTime() - acked) / 1_000_000);
      expected++;
    }
    Collections.sort(lags);
    System.out.printf(
        "freshness (202 → visible in results), %d probes: p50 %d ms, p99 %d ms, max %d ms%n",
        lags.size(),
        lags.get(lags.size() / 2),
        lags.get((int) Math.ceil(lags.size() * 0.99) - 1),
        lags.get(lags.size() - 1));
  }

  private static String batch(String key, int sender, long n) {
    StringBuilder b = new StringBuilder("{\"events\": [");
    String ts = Instant.now().toString();
    for (int i = 0; i < 1000; i++) {
      String unit = "u" + sender + "-" + ((n * 500 + i / 2) % 200_000);
      b.append(i == 0 ? "" : ",");
      if (i % 2 == 0) {
        b.append("{\"eventId\":\"x")
            .append(sender)
            .append('-')
            .append(n)
            .append('-')
            .append(i)
            .append("\",\"type\":\"exposure\",\"unit\":\"")
            .append(unit)
            .append("\",\"experiment\":\"")
            .append(key)
            .append("\",\"variant\":\"")
            .append(i % 4 == 0 ? "a" : "b")
            .append("\",\"ts\":\"")
            .append(ts)
            .append("\"}");
      } else {
        b.append("{\"eventId\":\"m")
            .append(sender)
            .append('-')
            .append(n)
            .append('-')
            .append(i)
            .append("\",\"type\":\"metric\",\"unit\":\"")
            .append(unit)
            .append("\",\"event\":\"purchase\",\"value\":3.5,\"ts\":\"")
            .append(ts)
            .append("\"}");
      }
    }
    return b.append("]}").toString();
  }

  private static long units(JsonNode results) {
    long total = 0;
    for (JsonNode v : results.path("variants")) {
      total += v.path("units").asLong();
    }
    return total;
  }

  private static JsonNode call(String method, String path, String token, String body) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(BASE + path))
              .timeout(Duration.ofSeconds(30))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body))
              .build();
      String reply = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
      return reply.isEmpty() ? Json.mapper().createObjectNode() : Json.mapper().readTree(reply);
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    }
  }

  private EventsLoad() {}
}
