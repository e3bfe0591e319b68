package org.abtest.node.events;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the events topic with its planned partition count (auto-creation would take the broker's
 * default). Retries in the background while Kafka is not yet reachable.
 */
public final class KafkaTopics {

  private static final Logger log = LoggerFactory.getLogger(KafkaTopics.class);

  private KafkaTopics() {}

  public static CompletionStage<Done> ensure(
      ActorSystem<?> system, Admin admin, String topic, int partitions, short replication) {
    return Patterns.retry(
        () -> create(admin, topic, partitions, replication),
        30,
        Duration.ofSeconds(2),
        system.classicSystem().scheduler(),
        system.executionContext());
  }

  private static CompletionStage<Done> create(
      Admin admin, String topic, int partitions, short replication) {
    return admin
        .createTopics(List.of(new NewTopic(topic, partitions, replication)))
        .all()
        .toCompletionStage()
        .handle(
            (ok, error) -> {
              Throwable cause =
                  error != null && error.getCause() != null ? error.getCause() : error;
              if (error == null || cause instanceof TopicExistsException) {
                return Done.getInstance();
              }
              log.info("topic {} not created yet: {}", topic, cause.toString());
              throw new IllegalStateException("topic " + topic + " not created", cause);
            });
  }
}
