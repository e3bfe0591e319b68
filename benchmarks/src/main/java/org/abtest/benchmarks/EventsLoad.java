package org.abtest.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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
 * <p>The senders ({@link Senders}, {@link EventBatch}) are made cheap, since they share the machine
 * with the node, Kafka and Cassandra. {@link Soak} runs the same senders for long.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar org.abtest.benchmarks.EventsLoad [seconds=30]
 * [senders=4] [probes=50] [warmup-seconds=10] [events-per-second=0]} with ABTEST_ADMIN_TOKEN and
 * ABTEST_SDK_KEY set. A rate above 0 paces the senders (warm-up included) to about that many events
 * per second, for freshness at a load the node sustains; 0 sends as fast as it is answered.
 */
public final class EventsLoad {

  private static final int UNITS_PER_SENDER = 200_000;

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int senderCount = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int probes = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    long rate = args.length > 4 ? Long.parseLong(args[4]) : 0;
    NodeApi api = NodeApi.fromEnvironment();
    String run = Long.toHexString(System.nanoTime());
    String key = "load-" + run;
    String probeKey = "probe-" + run;
    String salt = api.createStarted(key);
    Freshness freshness = new Freshness(api, probeKey, api.createStarted(probeKey));
    api.awaitManifest(List.of(key, probeKey));

    Senders senders = new Senders(api, key, salt, senderCount, UNITS_PER_SENDER, rate);
    ExecutorService prober = Executors.newSingleThreadExecutor();
    if (warmup > 0) {
      // Probes too: the first results requests compile their own code paths (C2 took seconds
      // of CPU for them on 2 cores), which must not land in the measured window.
      Future<List<Long>> warm = prober.submit(() -> freshness.probes("warm", 10, warmup * 100L));
      Thread.sleep(warmup * 1000L);
      warm.get(120, TimeUnit.SECONDS);
      System.out.printf("warm-up: %d s%n", warmup);
    }

    Future<List<Long>> underLoad =
        prober.submit(
            () -> freshness.probes("live", probes, seconds * 1000L / Math.max(1, probes)));
    long accepted0 = senders.accepted.get();
    long batches0 = senders.batches();
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    senders.close();
    long loadEnd = System.nanoTime();
    double elapsed = (loadEnd - start) / 1e9;
    long accepted = senders.accepted.get() - accepted0;
    System.out.printf(
        "throughput: %d events accepted (202) in %.1f s = %.0f events/s (%d senders, %d batches,"
            + " %d shed with 503, %d events rejected)%n",
        accepted,
        elapsed,
        accepted / elapsed,
        senderCount,
        senders.batches() - batches0,
        senders.shedBatches.get(),
        senders.rejected.get());

    long expectedUnits = senders.unitsUsed();
    long seen = 0;
    long deadline = loadEnd + Duration.ofSeconds(120).toNanos();
    while (seen < expectedUnits && System.nanoTime() < deadline) {
      seen = api.unitsOrZero(key);
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
    report("after load", freshness.probes("idle", probes, 0));
  }

  private static void report(String when, List<Long> lags) {
    if (lags.isEmpty()) {
      return;
    }
    System.out.printf(
        "freshness %s (202 → visible in results), %d probes: p50 %d ms, p99 %d ms, max %d ms%n",
        when,
        lags.size(),
        lags.stream().sorted().toList().get(lags.size() / 2),
        SoakStats.percentile(lags, 0.99),
        SoakStats.percentile(lags, 1.0));
  }

  private EventsLoad() {}
}
