package org.abtest.analytics.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.abtest.analytics.aggregate.ExposureAggregator;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.protocol.Json;
import org.abtest.protocol.events.TrackedEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.kafka.CommitterSettings;
import org.apache.pekko.kafka.ConsumerMessage.CommittableMessage;
import org.apache.pekko.kafka.ConsumerMessage.CommittableOffset;
import org.apache.pekko.kafka.ConsumerSettings;
import org.apache.pekko.kafka.Subscriptions;
import org.apache.pekko.kafka.javadsl.Committer;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the events topic into the aggregators. An offset is committed only after the aggregator has
 * persisted what the record changed, so a crash replays records (harmless: aggregators are
 * idempotent per unit) and never skips one.
 */
public final class EventConsumer {

  private static final Logger log = LoggerFactory.getLogger(EventConsumer.class);

  private EventConsumer() {}

  public record Settings(
      String bootstrap, String topic, String groupId, Duration askTimeout, int parallelism) {}

  public static void start(ActorSystem<?> system, Settings settings, UnitHasher hasher) {
    ConsumerSettings<String, String> consumerSettings =
        ConsumerSettings.create(system, new StringDeserializer(), new StringDeserializer())
            .withBootstrapServers(settings.bootstrap())
            .withGroupId(settings.groupId())
            .withProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
            .withStopTimeout(Duration.ZERO);
    CommitterSettings committerSettings = CommitterSettings.create(system);
    ClusterSharding sharding = ClusterSharding.get(system);
    AtomicReference<Consumer.Control> control = new AtomicReference<>(Consumer.createNoopControl());

    RestartSettings restart =
        RestartSettings.create(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.2);
    RestartSource.onFailuresWithBackoff(
            restart,
            () ->
                Consumer.committableSource(consumerSettings, Subscriptions.topics(settings.topic()))
                    .mapMaterializedValue(
                        c -> {
                          control.set(c);
                          return c;
                        })
                    .mapAsync(
                        settings.parallelism(),
                        message -> handle(message, sharding, hasher, settings.askTimeout()))
                    .via(Committer.flow(committerSettings)))
        .run(system);

    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseServiceStop(),
            "stop-event-consumer",
            () -> control.get().shutdown());
  }

  private static CompletionStage<CommittableOffset> handle(
      CommittableMessage<String, String> message,
      ClusterSharding sharding,
      UnitHasher hasher,
      Duration timeout) {
    TrackedEvent event;
    try {
      event = Json.mapper().readValue(message.record().value(), TrackedEvent.class);
    } catch (JsonProcessingException e) {
      // Only the API writes this topic and it validates first; a record we cannot read is logged
      // and skipped rather than blocking the partition forever.
      log.warn("skipping unreadable record at offset {}", message.record().offset(), e);
      return CompletableFuture.completedFuture(message.committableOffset());
    }
    if (!event.isExposure()) {
      return CompletableFuture.completedFuture(message.committableOffset());
    }
    CompletionStage<Done> recorded =
        sharding
            .entityRefFor(ExposureAggregator.ENTITY_TYPE_KEY, event.experiment())
            .ask(
                replyTo ->
                    new ExposureAggregator.RecordExposure(
                        hasher.hash(event.unit()), event.variant(), replyTo),
                timeout);
    return recorded.thenApply(done -> message.committableOffset());
  }
}
