package org.abtest.http.limits;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The edge's limits, read once from {@code abtest.http.rate-limits} and {@code abtest.http.streams}
 * (defaults and {@code ABTEST_*} overrides in the node's {@code http.conf}).
 *
 * @param sdkKeyPerSecond requests per second per SDK key, on each node, unless the key has its own
 * @param adminPerSecond requests per second per admin token, on each node
 * @param anonymousPerSecond requests per second per client address without a valid credential
 * @param burstSeconds how many seconds of its rate a bucket holds
 * @param maxPerSecond the highest {@code rateLimit.perSecond} a key may be given
 * @param memoryBudgetBytes what the rate-limit buckets may take, credentials and addresses together
 * @param forwardedHops 0: the client is the TCP peer; n: the n-th address from the right of {@code
 *     X-Forwarded-For} (the one our n-th proxy saw), since clients can write anything left of it
 * @param streamsPerNode open SSE and WebSocket streams on one node, all credentials together
 * @param manifestStreamsPerCredential open {@code /v1/manifest/stream} per credential on one node
 * @param resultsStreamsPerCredential open results WebSockets per credential on one node
 * @param streamRetryAfter the {@code Retry-After} of a stream refused for a full cap
 * @param streamHeartbeat how often a quiet event stream sends a comment: a closed connection is
 *     only noticed (and its place under the caps given back) when something is written to it
 */
public record EdgeSettings(
    int sdkKeyPerSecond,
    int adminPerSecond,
    int anonymousPerSecond,
    double burstSeconds,
    int maxPerSecond,
    long memoryBudgetBytes,
    int forwardedHops,
    int streamsPerNode,
    int manifestStreamsPerCredential,
    int resultsStreamsPerCredential,
    Duration streamRetryAfter,
    Duration streamHeartbeat) {

  public EdgeSettings {
    positive(sdkKeyPerSecond, "sdk-key-per-second");
    positive(adminPerSecond, "admin-per-second");
    positive(anonymousPerSecond, "anonymous-per-second");
    positive(maxPerSecond, "max-per-second");
    positive(streamsPerNode, "streams.per-node");
    positive(manifestStreamsPerCredential, "streams.manifest-per-credential");
    positive(resultsStreamsPerCredential, "streams.results-per-credential");
    if (!(burstSeconds > 0) || memoryBudgetBytes < 1 || forwardedHops < 0) {
      throw new IllegalArgumentException(
          "burst-seconds and memory-budget must be positive, forwarded-hops not negative");
    }
    if (streamHeartbeat.toMillis() < 1) {
      throw new IllegalArgumentException("streams.heartbeat must be at least a millisecond");
    }
    if (maxPerSecond > 1_000_000_000) {
      throw new IllegalArgumentException("max-per-second is beyond what a bucket can count");
    }
  }

  /**
   * No limit any client could reach: for route tests of other resources and for tools that measure
   * the routes alone. A node always runs with {@link #fromConfig}.
   */
  public static EdgeSettings unlimited() {
    int huge = 1_000_000_000;
    return new EdgeSettings(
        huge,
        huge,
        huge,
        1,
        huge,
        1L << 20,
        0,
        huge,
        huge,
        huge,
        Duration.ofSeconds(1),
        Duration.ofSeconds(10));
  }

  /** From the {@code abtest.http} block. */
  public static EdgeSettings fromConfig(Config http) {
    Config rates = http.getConfig("rate-limits");
    Config streams = http.getConfig("streams");
    return new EdgeSettings(
        rates.getInt("sdk-key-per-second"),
        rates.getInt("admin-per-second"),
        rates.getInt("anonymous-per-second"),
        rates.getDouble("burst-seconds"),
        rates.getInt("max-per-second"),
        rates.getBytes("memory-budget"),
        rates.getInt("forwarded-hops"),
        streams.getInt("per-node"),
        streams.getInt("manifest-per-credential"),
        streams.getInt("results-per-credential"),
        streams.getDuration("retry-after"),
        streams.getDuration("heartbeat"));
  }

  private static void positive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive, not " + value);
    }
  }
}
