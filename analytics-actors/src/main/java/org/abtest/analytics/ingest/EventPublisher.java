package org.abtest.analytics.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.protocol.Json;
import org.abtest.protocol.events.TrackedEvent;
import org.apache.kafka.clients.producer.ProducerRecord;
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

  private final SendProducer<String, String> producer;
  private final String topic;

  private EventPublisher(SendProducer<String, String> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /** Producer settings come from {@code abtest.kafka.producer} (see kafka.conf). */
  public static EventPublisher create(ActorSystem<?> system, String bootstrap, String topic) {
    ProducerSettings<String, String> settings =
        ProducerSettings.create(system, new StringSerializer(), new StringSerializer())
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
              .send(new ProducerRecord<>(topic, event.unit(), toJson(event)))
              .toCompletableFuture();
    }
    return CompletableFuture.allOf(acks).thenApply(ignored -> Done.getInstance());
  }

  public CompletionStage<Done> close() {
    return producer.close();
  }

  private static String toJson(TrackedEvent event) {
    try {
      return Json.mapper().writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event cannot be written as JSON", e);
    }
  }
}
