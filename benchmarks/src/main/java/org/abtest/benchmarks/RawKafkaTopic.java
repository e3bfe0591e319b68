package org.abtest.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;

/**
 * For the soak's raw Kafka ceilings: creates a topic like the live events topic (its partitions,
 * replication and every config set on it, read from the broker) and writes the producer properties
 * the node uses (pekko.kafka.producer.kafka-clients in the node's kafka.conf, plus the acks=all and
 * idempotence that EventPublisher sets) for kafka-tools' ProducerPerformance.
 *
 * <p>{@code RawKafkaTopic <bootstrap> <producer.properties>}; prints {@code topic <name>} and what
 * it copied.
 */
public final class RawKafkaTopic {

  private static final List<String> OUTAGE_BOUNDS =
      List.of("max.block.ms", "delivery.timeout.ms", "request.timeout.ms");

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    Config kafka =
        ConfigFactory.parseResourcesAnySyntax("kafka.conf")
            .resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
    String events = kafka.getString("abtest.kafka.topic");
    String raw = events + "-raw-" + Long.toHexString(System.currentTimeMillis());
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      TopicDescription d = admin.describeTopics(List.of(events)).allTopicNames().get().get(events);
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, events);
      Collection<ConfigEntry> entries =
          admin.describeConfigs(List.of(resource)).all().get().get(resource).entries();
      Map<String, String> overrides =
          entries.stream()
              .filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
              .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value));
      int partitions = d.partitions().size();
      short replication = (short) d.partitions().get(0).replicas().size();
      admin
          .createTopics(List.of(new NewTopic(raw, partitions, replication).configs(overrides)))
          .all()
          .get();
      String effective =
          entries.stream()
              .filter(
                  e ->
                      List.of("min.insync.replicas", "compression.type", "cleanup.policy")
                          .contains(e.name()))
              .map(e -> e.name() + "=" + e.value())
              .collect(Collectors.joining(" "));
      System.out.printf(
          "topic %s%nlike %s: %d partitions, replication %d, overrides %s, effective %s%n",
          raw, events, partitions, replication, overrides, effective);
    }
    Properties producer = new Properties();
    for (Map.Entry<String, ConfigValue> e :
        kafka.getConfig("pekko.kafka.producer.kafka-clients").entrySet()) {
      // The node's timeouts bound a broker outage (503 instead of a hung request); on a busy
      // machine they only made the tool's first send give up before the topic's metadata came.
      if (!OUTAGE_BOUNDS.contains(e.getKey())) {
        producer.setProperty(e.getKey(), String.valueOf(e.getValue().unwrapped()));
      }
    }
    producer.setProperty("acks", "all");
    producer.setProperty("enable.idempotence", "true");
    producer.setProperty("bootstrap.servers", bootstrap);
    try (var out = Files.newBufferedWriter(Path.of(args[1]))) {
      producer.store(out, "the node's producer settings (kafka.conf, EventPublisher)");
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + args[1], e);
    }
    System.out.println("producer " + producer);
  }

  private RawKafkaTopic() {}
}
