package org.abtest.analytics.ingest;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.events.TrackedEventCodec;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.kafka.ProducerSettings;

/**
 * Writes accepted events to Kafka, keyed by unit id so one unit's events stay ordered on one
 * partition. The returned stage completes only when the broker has acknowledged every record
 * (acks=all, idempotent producer), which is what lets the API answer 202. One callback counts a
 * request's acknowledgements down, instead of a future per record: a batch of 1000 events had cost
 * 1000 promises and their combination, about a twentieth of the node's CPU under load.
 */
public final class EventPublisher {

  private final Producer<String, byte[]> producer;
  private final String topic;

  private EventPublisher(Producer<String, byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /** Producer settings come from {@code pekko.kafka.producer} (see kafka.conf). */
  public static EventPublisher create(ActorSystem<?> system, String bootstrap, String topic) {
    ProducerSettings<String, byte[]> settings =
        ProducerSettings.create(system, new StringSerializer(), new ByteArraySerializer())
            .withBootstrapServers(bootstrap)
            .withProperty("acks", "all")
            .withProperty("enable.idempotence", "true");
    return new EventPublisher(settings.createKafkaProducer(), topic);
  }

  /** Completes when Kafka has acknowledged every event, or fails with the first error. */
  public CompletionStage<Done> publish(List<TrackedEvent> events) {
    CompletableFuture<Done> acked = new CompletableFuture<>();
    if (events.isEmpty()) {
      acked.complete(Done.getInstance());
      return acked;
    }
    AtomicInteger pending = new AtomicInteger(events.size());
    Callback callback =
        (metadata, error) -> {
          if (error != null) {
            acked.completeExceptionally(error);
          } else if (pending.decrementAndGet() == 0) {
            acked.complete(Done.getInstance());
          }
        };
    for (TrackedEvent event : events) {
      try {
        producer.send(
            new ProducerRecord<>(topic, event.unit(), TrackedEventCodec.write(event)), callback);
      } catch (RuntimeException e) {
        // Metadata not available in max.block.ms, a closed producer: the batch is not stored.
        acked.completeExceptionally(e);
        break;
      }
    }
    return acked;
  }

  /** Sends what is buffered and closes, off the caller's thread. */
  public CompletionStage<Done> close() {
    return CompletableFuture.supplyAsync(
        () -> {
          producer.close(Duration.ofSeconds(10));
          return Done.getInstance();
        });
  }
}
