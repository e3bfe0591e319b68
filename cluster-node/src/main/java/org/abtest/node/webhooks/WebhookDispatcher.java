package org.abtest.node.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.abtest.protocol.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers announcements to the webhooks subscribed to their kind, signed ({@link
 * WebhookSignature}), off the caller's thread: {@link #accept} never blocks and never fails. Each
 * delivery is tried up to {@link Settings#attempts} times, the waits doubling from {@link
 * Settings#firstRetry}, until a 2xx answer; what is pending (waiting or in flight) is bounded in
 * count and bytes, and an announcement over the bound is dropped and counted. At least once: a
 * receiver dedupes on the announcement's {@code id}.
 */
public final class WebhookDispatcher implements Consumer<Announcement> {

  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

  /** The bounds and the retry schedule. */
  public record Settings(
      int maxPending, long maxPendingBytes, int attempts, Duration firstRetry, Duration timeout) {
    public static final Settings DEFAULTS =
        new Settings(1000, 4L << 20, 6, Duration.ofSeconds(1), Duration.ofSeconds(5));
  }

  private final Function<String, List<CassandraWebhookStore.Target>> subscribers;
  private final Settings settings;
  private final HttpClient client;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "webhook-retries");
            t.setDaemon(true);
            return t;
          });
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final Counter deliveries;

  /** {@code subscribers}: the webhooks of a kind, as the node knows them now. */
  public WebhookDispatcher(
      Function<String, List<CassandraWebhookStore.Target>> subscribers,
      Settings settings,
      PrometheusRegistry registry) {
    this.subscribers = subscribers;
    this.settings = settings;
    this.client = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    this.deliveries =
        Counter.builder()
            .name("abtest_webhook_deliveries_total")
            .help(
                "Webhook deliveries by outcome: delivered, retried, failed (out of attempts), dropped (over the pending bound)")
            .labelNames("outcome")
            .register(registry);
    GaugeWithCallback.builder()
        .name("abtest_webhook_pending_bytes")
        .help("Bytes of webhook deliveries waiting or in flight (bounded)")
        .callback(cb -> cb.call(pendingBytes.get()))
        .register(registry);
  }

  @Override
  public void accept(Announcement announcement) {
    List<CassandraWebhookStore.Target> targets = subscribers.apply(announcement.kind());
    if (targets.isEmpty()) {
      return;
    }
    byte[] body;
    try {
      body = Json.mapper().writeValueAsBytes(announcement);
    } catch (JsonProcessingException e) {
      log.error("announcement not written", e);
      return;
    }
    for (CassandraWebhookStore.Target target : targets) {
      if (pending.incrementAndGet() > settings.maxPending()
          || pendingBytes.addAndGet(body.length) > settings.maxPendingBytes()) {
        release(body.length);
        deliveries.labelValues("dropped").inc();
        log.warn("webhook {} delivery dropped: too many pending", target.webhook().id());
        continue;
      }
      send(target, body, 1);
    }
  }

  private void send(CassandraWebhookStore.Target target, byte[] body, int attempt) {
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(target.webhook().url()))
              .timeout(settings.timeout())
              .header("Content-Type", "application/json")
              .header(WebhookSignature.HEADER, WebhookSignature.of(target.secret(), body))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
    } catch (IllegalArgumentException e) {
      finish(body, "failed", target, e.toString());
      return;
    }
    client
        .sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, failure) -> {
              if (failure == null && response.statusCode() / 100 == 2) {
                finish(body, "delivered", target, null);
              } else if (attempt >= settings.attempts()) {
                finish(
                    body,
                    "failed",
                    target,
                    failure != null ? failure.toString() : "status " + response.statusCode());
              } else {
                deliveries.labelValues("retried").inc();
                long wait = settings.firstRetry().toMillis() << (attempt - 1);
                timer.schedule(() -> send(target, body, attempt + 1), wait, TimeUnit.MILLISECONDS);
              }
            });
  }

  private void finish(
      byte[] body, String outcome, CassandraWebhookStore.Target target, String problem) {
    release(body.length);
    deliveries.labelValues(outcome).inc();
    if (problem != null) {
      log.warn("webhook {} delivery {}: {}", target.webhook().id(), outcome, problem);
    }
  }

  private void release(int bytes) {
    pending.decrementAndGet();
    pendingBytes.addAndGet(-bytes);
  }
}
