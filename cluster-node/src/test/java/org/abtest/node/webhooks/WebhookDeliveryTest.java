package org.abtest.node.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.abtest.http.ports.WebhookService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Signed deliveries to a local receiver: retried with backoff, bounded, never blocking. */
class WebhookDeliveryTest {

  private HttpServer server;
  private final List<String[]> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger failFirst = new AtomicInteger();

  @BeforeEach
  void receiver() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          int status = failFirst.getAndDecrement() > 0 ? 503 : 204;
          if (status == 204) {
            received.add(
                new String[] {
                  new String(body, StandardCharsets.UTF_8),
                  exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER)
                });
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private CassandraWebhookStore.Target target(String kind) {
    return new CassandraWebhookStore.Target(
        new WebhookService.Webhook(
            "whk_1",
            "http://127.0.0.1:" + server.getAddress().getPort() + "/hook",
            Set.of(kind),
            Instant.EPOCH),
        "topsecret");
  }

  private static Announcement announcement(String kind) {
    return new Announcement(
        "a-1", kind, "checkout", "kill", "KILLED", "errors up", "system/guardrail", Instant.EPOCH);
  }

  /** Expected value: {@code printf '%s' '{"id":"1"}' | openssl dgst -sha256 -hmac topsecret}. */
  @Test
  void theSignatureIsTheHexHmacSha256OfTheBodyWithTheSecret() {
    assertThat(WebhookSignature.of("topsecret", "{\"id\":\"1\"}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("sha256=b978efb9b468cf10b2d7ec69e80520b7e8fa2c81b9a18092b44829b352702a94");
  }

  @Test
  void aDeliveryIsSignedAndRetriedUntilTheReceiverAnswers2xx() {
    failFirst.set(2);
    var settings =
        new WebhookDispatcher.Settings(
            10, 1 << 20, 5, Duration.ofMillis(50), Duration.ofSeconds(2));
    var dispatcher =
        new WebhookDispatcher(
            kind -> kind.equals("guardrail") ? List.of(target("guardrail")) : List.of(),
            settings,
            new PrometheusRegistry());
    dispatcher.accept(announcement("guardrail"));
    dispatcher.accept(announcement("lifecycle")); // nobody subscribed
    // accepted without waiting: two refusals and their backoff are still ahead
    assertThat(received).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    String[] got = received.get(0);
    assertThat(got[0]).contains("\"experiment\":\"checkout\"").contains("\"kind\":\"guardrail\"");
    assertThat(got[1])
        .isEqualTo(WebhookSignature.of("topsecret", got[0].getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void overThePendingBoundAnAnnouncementIsDroppedAndCounted() throws Exception {
    failFirst.set(1_000); // the receiver keeps failing: deliveries stay pending
    var registry = new PrometheusRegistry();
    var settings =
        new WebhookDispatcher.Settings(2, 1 << 20, 3, Duration.ofSeconds(5), Duration.ofSeconds(2));
    var dispatcher =
        new WebhookDispatcher(kind -> List.of(target("guardrail")), settings, registry);
    for (int i = 0; i < 5; i++) {
      dispatcher.accept(announcement("guardrail"));
    }
    assertThat(dropped(registry)).isEqualTo(3.0);
  }

  private static double dropped(PrometheusRegistry registry) {
    return registry.scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals("abtest_webhook_deliveries"))
        .flatMap(m -> ((CounterSnapshot) m).getDataPoints().stream())
        .filter(d -> d.getLabels().get("outcome").equals("dropped"))
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
        .sum();
  }
}
