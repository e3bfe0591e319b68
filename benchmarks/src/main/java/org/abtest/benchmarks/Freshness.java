package org.abtest.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.abtest.protocol.assignment.Bucketing;

/**
 * Freshness probes: single exposures to a second experiment, each timed from its 202 until that
 * experiment's {@code GET …/results} counts it (a 503 from the results counts as not visible yet; a
 * probe not visible after 30 s is recorded as 30 s).
 */
final class Freshness {

  private final NodeApi api;
  private final String probeKey;
  private final String salt;
  private long expected = -1;
  private long sent;

  Freshness(NodeApi api, String probeKey, String salt) {
    this.api = api;
    this.probeKey = probeKey;
    this.salt = salt;
  }

  /** One probe; its lag in milliseconds. Units are {@code <tag>-<n>}, unique per instance. */
  long probe(String tag) throws InterruptedException {
    if (expected < 0) {
      expected = api.units(probeKey);
    }
    String unit = tag + "-" + sent++;
    String variant = Bucketing.bucket(salt, unit) < Bucketing.BUCKETS / 2 ? "a" : "b";
    api.call(
        "POST",
        "/v1/events",
        api.sdk,
        """
        {"events": [{"eventId": "%s-%s", "type": "exposure", "unit": "%s", "experiment": "%s",
                     "variant": "%s", "ts": "%s"}]}"""
            .formatted(probeKey, unit, unit, probeKey, variant, Instant.now()));
    long acked = System.nanoTime();
    long deadline = acked + Duration.ofSeconds(30).toNanos();
    while (api.unitsOrZero(probeKey) <= expected && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    expected++;
    return (System.nanoTime() - acked) / 1_000_000;
  }

  /** {@code count} probes, {@code spacingMillis} apart (start to start) at least. */
  List<Long> probes(String tag, int count, long spacingMillis) throws InterruptedException {
    List<Long> lags = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      long started = System.nanoTime();
      lags.add(probe(tag));
      long wait = spacingMillis - (System.nanoTime() - started) / 1_000_000;
      if (wait > 0) {
        Thread.sleep(wait);
      }
    }
    return lags;
  }
}
