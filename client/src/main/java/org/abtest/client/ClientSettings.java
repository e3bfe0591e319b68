package org.abtest.client;

import java.net.URI;
import java.time.Duration;

/**
 * How an {@link AbTestClient} talks to the server. Build it with {@link AbTestClient#builder}.
 *
 * @param pollInterval how often the manifest is polled (with ETag) while the stream is down
 * @param streamIdleTimeout a stream silent this long (the server sends heartbeats) is reconnected
 * @param flushInterval how often queued events are sent
 * @param batchSize events per {@code POST /v1/events} (the server takes up to 1000)
 * @param queueCapacity events waiting to be sent; beyond it new events are dropped and counted
 * @param maxRetries attempts per batch on 503 or a network error before it is dropped
 * @param retryBackoff the first wait between attempts; it doubles each time
 */
public record ClientSettings(
    URI baseUrl,
    String sdkKey,
    Duration requestTimeout,
    Duration pollInterval,
    boolean stream,
    Duration streamIdleTimeout,
    boolean logExposures,
    Duration flushInterval,
    int batchSize,
    int queueCapacity,
    int maxRetries,
    Duration retryBackoff) {

  public ClientSettings {
    if (baseUrl == null || sdkKey == null || sdkKey.isBlank()) {
      throw new IllegalArgumentException("a base URL and an SDK key are required");
    }
    if (batchSize < 1 || batchSize > 1000 || queueCapacity < 1) {
      throw new IllegalArgumentException("batchSize must be 1..1000 and queueCapacity positive");
    }
  }

  URI resolve(String path) {
    String base = baseUrl.toString();
    return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
  }
}
