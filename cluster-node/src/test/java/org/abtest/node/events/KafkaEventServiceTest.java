package org.abtest.node.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.abtest.analytics.ingest.EventPublisher;
import org.abtest.http.ApiError;
import org.abtest.http.ports.EventLimits;
import org.abtest.http.ports.PortFailure;
import org.abtest.node.assignment.ManifestExposureCheck;
import org.abtest.node.assignment.ManifestHolder;
import org.abtest.protocol.events.TrackedEvent;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A producer that cannot reach Kafka holds its batch; the next batch past the budget (half the
 * configured buffer.memory) is a 503 at once, and the held one a 503 once max.block.ms is over.
 */
class KafkaEventServiceTest {

  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit =
        ActorTestKit.create(
            ConfigFactory.parseString(
                    """
                    pekko.kafka.producer.kafka-clients {
                      buffer.memory = 8192
                      max.block.ms = 2000
                    }
                    abtest.events {
                      max-lateness = 7d
                      max-skew = 10m
                      max-event-id-length = 128
                      max-unit-length = 256
                      max-key-length = 128
                      max-attributes = 64
                      max-attributes-depth = 8
                      max-attributes-bytes = 16KiB
                      max-body-bytes = 4MiB
                    }
                    """)
                .withFallback(ConfigFactory.defaultReference()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static double gauge(PrometheusRegistry registry) {
    return registry.scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals("abtest_events_inflight_bytes"))
        .map(m -> ((GaugeSnapshot) m).getDataPoints().get(0).getValue())
        .findFirst()
        .orElseThrow();
  }

  private static List<TrackedEvent> events(int n) {
    List<TrackedEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(TrackedEvent.exposure("e-" + i, "unit-" + i, "exp", "a", Instant.now()));
    }
    return out;
  }

  @Test
  void aFullProducerIsA503AtOnceAndTheRecordLimitComesFromTheProducerConfig() throws Exception {
    EventPublisher publisher = EventPublisher.create(testKit.system(), "127.0.0.1:1", "t");
    try {
      var registry = new PrometheusRegistry();
      var limits =
          EventLimits.from(
              testKit.system().settings().config().getConfig("abtest.events"),
              publisher.maxRecordBytes());
      var service =
          new KafkaEventService(
              publisher, limits, new ManifestExposureCheck(new ManifestHolder(), false), registry);
      assertThat(service.limits().maxRecordBytes()).isBetween(1024 * 1024 - 200, 1024 * 1024);

      CompletableFuture<Void> held = service.publish(events(30)).toCompletableFuture();
      assertThat(held).isNotDone();
      assertThat(publisher.inflightBytes()).isPositive();
      assertThat(gauge(registry)).isEqualTo(publisher.inflightBytes());

      long start = System.nanoTime();
      CompletableFuture<Void> refused = service.publish(events(30)).toCompletableFuture();
      Throwable failure = refused.handle((v, e) -> e).get();
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(200);
      assertThat(failure).isInstanceOf(java.util.concurrent.CompletionException.class);
      assertThat(failure.getCause()).isInstanceOf(PortFailure.class);
      assertThat(ApiError.of((PortFailure) failure.getCause()).status()).isEqualTo(503);
      assertThat(failure.getCause()).hasMessageContaining("retry it shortly");

      Throwable later = held.handle((v, e) -> e).get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(ApiError.of((PortFailure) later.getCause()).status()).isEqualTo(503);
      assertThat(publisher.inflightBytes()).isZero();
    } finally {
      publisher.close().toCompletableFuture().get(15, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
