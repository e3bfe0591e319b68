package org.abtest.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.abtest.protocol.events.TrackedEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.Done;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The publisher never blocks its caller, and bounds what waits for Kafka. */
class EventPublisherTest {

  private final ExecutorService sender = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    sender.shutdownNow();
  }

  private static List<TrackedEvent> events(int n) {
    List<TrackedEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          TrackedEvent.exposure(
              "e-" + i, "unit-" + i, "exp", "a", Instant.parse("2026-11-22T10:00:00Z")));
    }
    return out;
  }

  @Test
  void aProducerThatBlocksOnSendDoesNotBlockTheCallerAndTheBatchFailsAfterMaxBlock()
      throws Exception {
    // Nothing listens there: every send waits max.block.ms for metadata, then fails.
    var producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:1",
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                1500),
            new StringSerializer(),
            new ByteArraySerializer());
    EventPublisher publisher = new EventPublisher(producer, "t", sender, 1 << 20, 1 << 20);
    try {
      long start = System.nanoTime();
      CompletableFuture<Done> stage = publisher.publish(events(100)).toCompletableFuture();
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(tookMs).isLessThan(500);
      assertThat(stage).isNotDone();
      assertThat(publisher.inflightBytes()).isPositive();
      assertThat(stage).failsWithin(Duration.ofSeconds(10));
      assertThat(publisher.inflightBytes()).isZero();
    } finally {
      producer.close(Duration.ZERO);
    }
  }

  @Test
  void pastTheInFlightBudgetABatchFailsAtOnceAndAcknowledgedBatchesFreeTheirRoom()
      throws Exception {
    var producer = new MockProducer<>(false, new StringSerializer(), new ByteArraySerializer());
    // one batch of 5 events is about 550 bytes: one fits, a second does not
    EventPublisher publisher = new EventPublisher(producer, "t", sender, 800, 1 << 20);
    CompletableFuture<Done> first = publisher.publish(events(5)).toCompletableFuture();
    long held = publisher.inflightBytes();
    assertThat(held).isBetween(400L, 800L);

    long start = System.nanoTime();
    CompletableFuture<Done> second = publisher.publish(events(5)).toCompletableFuture();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(100);
    assertThat(second).isCompletedExceptionally();
    assertThat(second.handle((d, e) -> e).get()).isInstanceOf(EventPublisher.Overloaded.class);
    assertThat(publisher.inflightBytes()).isEqualTo(held);

    // not acknowledged until the broker acknowledges every record
    waitForSends(producer, 5);
    for (int i = 0; i < 4; i++) {
      producer.completeNext();
    }
    assertThat(first).isNotDone();
    producer.completeNext();
    first.get(5, TimeUnit.SECONDS);
    assertThat(publisher.inflightBytes()).isZero();
    assertThat(publisher.publish(events(5)).toCompletableFuture()).isNotCompletedExceptionally();
  }

  @Test
  void aBatchLargerThanTheBudgetStillGoesWhenNothingElseWaits() throws Exception {
    var producer = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
    EventPublisher publisher = new EventPublisher(producer, "t", sender, 10, 1 << 20);
    publisher.publish(events(3)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(producer.history()).hasSize(3);
  }

  @Test
  void theRecordLimitIsDerivedFromTheProducersMaxRequestSize() {
    long configured = EventPublisher.producerSetting(name -> null, "max.request.size");
    assertThat(configured).isEqualTo(1024 * 1024); // Kafka's own default, not ours
    assertThat(EventPublisher.producerSetting(name -> "2000000", "max.request.size"))
        .isEqualTo(2_000_000);
    int limit = EventPublisher.recordLimit(configured);
    assertThat(limit).isLessThan(1024 * 1024).isGreaterThan(1024 * 1024 - 200);
  }

  private static void waitForSends(MockProducer<?, ?> producer, int n) {
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> producer.history().size() >= n);
    assertThat(producer.history()).hasSize(n);
  }
}
