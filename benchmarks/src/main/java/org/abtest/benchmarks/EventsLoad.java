package org.abtest.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.abtest.protocol.Json;

/**
 * On-demand end-to-end load of the events path against a running node (deploy/run-local.sh): {@code
 * POST /v1/events} in batches of 1000 (half exposures, half metric events) from several senders for
 * a bounded time, after a warm-up that is not counted. Three numbers:
 *
 * <ul>
 *   <li>throughput: events accepted (202, so acknowledged by Kafka) per second;
 *   <li>catch-up: how long after the last 202 the results show every exposed unit, so the accepted
 *       rate is also the rate at which aggregates keep up (and that nothing was lost);
 *   <li>freshness: single exposures to a second experiment, timed from their 202 until its {@code
 *       GET …/results} shows them, both while the senders run (spread over the load) and after.
 * </ul>
 *
 * <p>The senders share the machine with the node, Kafka and Cassandra, so they are made cheap: each
 * builds its request body once and then rewrites only the batch number in the event ids and the
 * timestamps in place (fixed-width digits), so every event id is still unique.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar org.abtest.benchmarks.EventsLoad [seconds=30]
 * [senders=4] [probes=50] [warmup-seconds=10] [events-per-second=0]} with ABTEST_ADMIN_TOKEN and
 * ABTEST_SDK_KEY set. A rate above 0 paces the senders (warm-up included) to about that many events
 * per second, for freshness at a load the node sustains; 0 sends as fast as it is answered.
 */
public final class EventsLoad {

  /** Events per second the senders aim at together; 0 for as fast as they are answered. */
  private static long rate;

  private static final String BASE =
      "http://127.0.0.1:" + System.getenv().getOrDefault("ABTEST_HTTP_PORT", "8080");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final int BATCH = 1000;
  private static final int UNITS_PER_SENDER = 200_000;
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int senders = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int probes = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    rate = args.length > 4 ? Long.parseLong(args[4]) : 0;
    String admin = System.getenv("ABTEST_ADMIN_TOKEN");
    String sdk = System.getenv("ABTEST_SDK_KEY");
    String run = Long.toHexString(System.nanoTime());
    String key = "load-" + run;
    String probeKey = "probe-" + run;
    for (String experiment : List.of(key, probeKey)) {
      call(
          "POST",
          "/v1/experiments",
          admin,
          """
          {"key": "%s", "variants": [{"key": "a", "weight": 5000}, {"key": "b", "weight": 5000}],
           "metrics": [{"key": "buy", "event": "purchase", "kind": "mean"}]}"""
              .formatted(experiment));
      call("POST", "/v1/experiments/" + experiment + "/start", admin, null);
    }
    // Exposures to an experiment the node's manifest does not hold yet are ignored by design
    // (unknownExposures), so the load starts only once the manifest the node serves has both.
    long asked = System.nanoTime();
    while (!manifestHas(sdk, key, probeKey)) {
      if (System.nanoTime() - asked > Duration.ofSeconds(60).toNanos()) {
        throw new IllegalStateException("the experiments did not reach the manifest in 60 s");
      }
      Thread.sleep(50);
    }
    System.out.printf(
        "manifest: both experiments after %d ms%n", (System.nanoTime() - asked) / 1_000_000);

    // Warm-up: the same load, not counted (the node's JIT compiles for tens of seconds).
    AtomicLong[] batchesSent = new AtomicLong[senders];
    for (int s = 0; s < senders; s++) {
      batchesSent[s] = new AtomicLong();
    }
    if (warmup > 0) {
      // Probes too: the first results requests compile their own code paths (C2 took seconds
      // of CPU for them on 2 cores), which must not land in the measured window.
      ExecutorService warmProber = Executors.newSingleThreadExecutor();
      Future<List<Long>> warmProbes =
          warmProber.submit(() -> probe(probeKey, sdk, admin, "warm", 10, warmup * 100L));
      load(key, sdk, senders, warmup, batchesSent, new AtomicLong());
      warmProbes.get(120, TimeUnit.SECONDS);
      warmProber.shutdown();
      System.out.printf("warm-up: %d s%n", warmup);
    }

    AtomicLong accepted = new AtomicLong();
    ExecutorService prober = Executors.newSingleThreadExecutor();
    Future<List<Long>> underLoad =
        prober.submit(
            () ->
                probe(probeKey, sdk, admin, "live", probes, seconds * 1000L / Math.max(1, probes)));
    long start = System.nanoTime();
    long batches = load(key, sdk, senders, seconds, batchesSent, accepted);
    double elapsed = (System.nanoTime() - start) / 1e9;
    long loadEnd = System.nanoTime();
    System.out.printf(
        "throughput: %d events accepted (202) in %.1f s = %.0f events/s (%d senders, %d batches)%n",
        accepted.get(), elapsed, accepted.get() / elapsed, senders, batches);

    long expectedUnits = 0;
    for (AtomicLong sent : batchesSent) {
      expectedUnits += Math.min(sent.get() * (BATCH / 2), UNITS_PER_SENDER);
    }
    long seen = 0;
    long deadline = loadEnd + Duration.ofSeconds(120).toNanos();
    while (seen < expectedUnits && System.nanoTime() < deadline) {
      seen = unitsOrZero(key, admin);
      if (seen < expectedUnits) {
        Thread.sleep(50);
      }
    }
    System.out.printf(
        "catch-up: results show %d of %d exposed units %.2f s after the last 202%n",
        seen, expectedUnits, (System.nanoTime() - loadEnd) / 1e9);

    List<Long> live = underLoad.get(seconds + 120L, TimeUnit.SECONDS);
    prober.shutdown();
    report("under load", live);
    report("after load", probe(probeKey, sdk, admin, "idle", probes, 0));
  }

  /** Runs the senders for {@code seconds}; returns the number of batches sent. */
  private static long load(
      String key,
      String sdk,
      int senders,
      int seconds,
      AtomicLong[] batchesSent,
      AtomicLong accepted)
      throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    List<Future<Long>> done = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      int sender = s;
      done.add(
          pool.submit(
              () -> {
                Template body = new Template(key, sender);
                long sent = 0;
                // Paced: this sender's batches of 1000 start every interval, on a fixed schedule.
                long interval = rate > 0 ? senders * 1000L * 1_000_000_000L / rate : 0;
                long next = System.nanoTime();
                while (System.nanoTime() < end) {
                  if (interval > 0) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    next += interval;
                  }
                  long n = batchesSent[sender].getAndIncrement();
                  byte[] bytes = body.render(n, TS.format(Instant.now()));
                  JsonNode reply = post("/v1/events", sdk, bytes);
                  accepted.addAndGet(reply.path("accepted").asLong());
                  sent++;
                }
                return sent;
              }));
    }
    long batches = 0;
    for (Future<Long> f : done) {
      batches += f.get(seconds + 60L, TimeUnit.SECONDS);
    }
    pool.shutdown();
    return batches;
  }

  /**
   * Sends {@code count} single exposures to the probe experiment, one at a time, each timed from
   * its 202 until the results count it; {@code spacingMillis} apart (start to start) at least.
   */
  private static List<Long> probe(
      String probeKey, String sdk, String admin, String tag, int count, long spacingMillis)
      throws InterruptedException {
    List<Long> lags = new ArrayList<>();
    long expected = units(call("GET", "/v1/experiments/" + probeKey + "/results", admin, null));
    for (int p = 0; p < count; p++) {
      long started = System.nanoTime();
      String unit = tag + "-" + p;
      call(
          "POST",
          "/v1/events",
          sdk,
          """
          {"events": [{"eventId": "%s-%s", "type": "exposure", "unit": "%s", "experiment": "%s",
                       "variant": "a", "ts": "%s"}]}"""
              .formatted(probeKey, unit, unit, probeKey, Instant.now()));
      long acked = System.nanoTime();
      long deadline = acked + Duration.ofSeconds(30).toNanos();
      // A 503 (the aggregator did not answer in time under load) counts as not visible yet.
      while (unitsOrZero(probeKey, admin) <= expected && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      lags.add((System.nanoTime() - acked) / 1_000_000);
      expected++;
      long wait = spacingMillis - (System.nanoTime() - started) / 1_000_000;
      if (wait > 0) {
        Thread.sleep(wait);
      }
    }
    return lags;
  }

  private static void report(String when, List<Long> lags) {
    if (lags.isEmpty()) {
      return;
    }
    Collections.sort(lags);
    System.out.printf(
        "freshness %s (202 → visible in results), %d probes: p50 %d ms, p99 %d ms, max %d ms%n",
        when,
        lags.size(),
        lags.get(lags.size() / 2),
        lags.get((int) Math.ceil(lags.size() * 0.99) - 1),
        lags.get(lags.size() - 1));
  }

  /**
   * One sender's batch body, built once: event {@code i} of batch {@code n} has id {@code
   * x|m<experiment>-<sender>-<n, 12 digits>-<i>} and unit {@code u<sender>-<(n·500 + i/2) mod
   * 200000>}, as before; only the batch number, the units and the timestamps are rewritten per
   * batch.
   */
  private static final class Template {
    private final byte[] bytes;
    private final int[] batchAt = new int[BATCH];
    private final int[] unitAt = new int[BATCH];
    private final int[] tsAt = new int[BATCH];

    Template(String key, int sender) {
      String ts = TS.format(Instant.EPOCH);
      StringBuilder b = new StringBuilder("{\"events\": [");
      for (int i = 0; i < BATCH; i++) {
        b.append(i == 0 ? "" : ",");
        // The run's key in every id: ids repeated from an earlier run would be dropped as
        // duplicates (dedup-window) and skip most of the work.
        b.append(i % 2 == 0 ? "{\"eventId\":\"x" : "{\"eventId\":\"m").append(key).append('-');
        b.append(sender).append('-');
        batchAt[i] = b.length();
        b.append("000000000000-").append(i);
        b.append("\",\"type\":\"").append(i % 2 == 0 ? "exposure" : "metric");
        b.append("\",\"unit\":\"u").append(sender).append('-');
        unitAt[i] = b.length();
        b.append("000000");
        if (i % 2 == 0) {
          b.append("\",\"experiment\":\"").append(key);
          b.append("\",\"variant\":\"").append(i % 4 == 0 ? "a" : "b").append("\",\"ts\":\"");
        } else {
          b.append("\",\"event\":\"purchase\",\"value\":3.5,\"ts\":\"");
        }
        tsAt[i] = b.length();
        b.append(ts).append("\"}");
      }
      bytes = b.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    byte[] render(long n, String ts) {
      byte[] time = ts.getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < BATCH; i++) {
        digits(batchAt[i], 12, n);
        digits(unitAt[i], 6, (n * (BATCH / 2) + i / 2) % UNITS_PER_SENDER);
        System.arraycopy(time, 0, bytes, tsAt[i], time.length);
      }
      return bytes;
    }

    private void digits(int at, int width, long value) {
      for (int k = at + width - 1; k >= at; k--) {
        bytes[k] = (byte) ('0' + value % 10);
        value /= 10;
      }
    }
  }

  private static boolean manifestHas(String sdk, String... keys) {
    String manifest = call("GET", "/v1/manifest", sdk, null).toString();
    for (String key : keys) {
      if (!manifest.contains("\"" + key + "\"")) {
        return false;
      }
    }
    return true;
  }

  /** The experiment's units, or 0 while the results answer 503 (a busy aggregator). */
  private static long unitsOrZero(String key, String admin) {
    try {
      return units(call("GET", "/v1/experiments/" + key + "/results", admin, null));
    } catch (IllegalStateException e) {
      if (String.valueOf(e.getMessage()).contains(" answered 503")) {
        return 0;
      }
      throw e;
    }
  }

  private static long units(JsonNode results) {
    long total = 0;
    for (JsonNode v : results.path("variants")) {
      total += v.path("units").asLong();
    }
    return total;
  }

  private static JsonNode post(String path, String token, byte[] body) {
    return send(
        HttpRequest.newBuilder(URI.create(BASE + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build());
  }

  private static JsonNode call(String method, String path, String token, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(BASE + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static JsonNode send(HttpRequest request) {
    try {
      HttpResponse<byte[]> reply = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (reply.statusCode() >= 300) {
        throw new IllegalStateException(
            request.method()
                + " "
                + request.uri().getPath()
                + " answered "
                + reply.statusCode()
                + ": "
                + new String(reply.body(), StandardCharsets.UTF_8));
      }
      return reply.body().length == 0
          ? Json.mapper().createObjectNode()
          : Json.mapper().readTree(reply.body());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
    }
  }

  private EventsLoad() {}
}
