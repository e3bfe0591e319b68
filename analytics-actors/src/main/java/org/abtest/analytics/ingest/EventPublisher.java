package org.abtest.analytics.ingest;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.events.TrackedEventCodec;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.kafka.ProducerSettings;
import org.apache.pekko.kafka.javadsl.SendProducer;

/**
 * Writes accepted events to Kafka, keyed by unit id so one unit's events stay ordered on one
 * partition. The returned stage completes only when the broker has acknowledged every record
 * (acks=all, idempotent producer), which is what lets the API answer 202.
 */
public final class EventPublisher {

  private final SendProducer<String, byte[]> producer;
  private final String topic;

  private EventPublisher(SendProducer<String, byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /** Producer settings come from {@code abtest.kafka.producer} (see kafka.conf). */
  public static EventPublisher create(ActorSystem<?> system, String bootstrap, String topic) {
    ProducerSettings<String, byte[]> settings =
        ProducerSettings.create(system, new StringSerializer(), new ByteArraySerializer())
            .withBootstrapServers(bootstrap)
            .withProperty("acks", "all")
            .withProperty("enable.idempotence", "true");
    return new EventPublisher(new SendProducer<>(settings, system), topic);
  }

  public CompletionStage<Done> publish(List<TrackedEvent> events) {
    CompletableFuture<?>[] acks = new CompletableFuture<?>[events.size()];
    for (int i = 0; i < events.size(); i++) {
      TrackedEvent event = events.get(i);
      acks[i] =
          producer
              .send(new ProducerRecord<>(topic, event.unit(), TrackedEventCodec.write(event)))
              .toCompletableFuture();
    }
    return CompletableFuture.allOf(acks).thenApply(ignored -> Done.getInstance());
  }

  public CompletionStage<Done> close() {
    return producer.close();
  }
}
