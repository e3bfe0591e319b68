package org.abtest.analytics.replay;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.TotalsMerge;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.analytics.units.ExperimentDefinition;
import org.abtest.analytics.units.PartitionState;
import org.abtest.analytics.units.PhaseDefinitions;
import org.abtest.analytics.units.PhaseRule;
import org.abtest.analytics.units.UnitStateSettings;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.events.TrackedEventCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Recomputes one experiment's totals from the events topic, from the first offset to the end
 * offsets as they are when it starts, into fresh unit state with the same pure core the live
 * pipeline uses, one state per partition, merged in partition order as the aggregator merges. No
 * actor, no Cassandra: what it gets is what the log says. Given every phase of the experiment (with
 * their starts), it gives each exposure its phase by the same {@link PhaseRule} as live.
 */
public final class LogReplay {

  private LogReplay() {}

  /** The totals of {@code definition}'s phase, knowing that phase only (no phase history). */
  public static ExperimentTotals replay(
      String bootstrap,
      String topic,
      ExperimentDefinition definition,
      UnitHasher hasher,
      UnitStateSettings settings) {
    return replay(bootstrap, topic, List.of(definition), definition.phase(), hasher, settings);
  }

  /**
   * The totals of one phase of an experiment, from {@code phases}: every phase of it known (as the
   * live definitions hold them), so that a late exposure of an earlier phase counts there.
   */
  public static ExperimentTotals replay(
      String bootstrap,
      String topic,
      List<ExperimentDefinition> phases,
      int phase,
      UnitHasher hasher,
      UnitStateSettings settings) {
    String key = phases.get(0).key();
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic, Duration.ofSeconds(10))
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<Integer, PartitionState> states = new TreeMap<>();
      for (TopicPartition tp : partitions) {
        states.put(tp.partition(), state(phases, hasher, settings));
      }
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (r.offset() >= end.get(tp)) {
            continue;
          }
          TrackedEvent event;
          try {
            event = TrackedEventCodec.read(r.value());
          } catch (IOException | RuntimeException e) {
            continue; // skipped live as well
          }
          states.get(r.partition()).apply(event, r.timestamp());
        }
      }
      return totals(states.values(), key, phase);
    }
  }

  /**
   * The fresh state of one partition that replay applies the log to: it knows every phase given
   * from the first record on, and keeps pre-exposure history of the types their metrics use.
   */
  public static PartitionState state(
      List<ExperimentDefinition> phases, UnitHasher hasher, UnitStateSettings settings) {
    return new PartitionState(
        hasher,
        PhaseDefinitions.fixed(phases),
        type -> phases.stream().anyMatch(d -> d.uses(type)),
        settings);
  }

  /** One phase's totals, merged over the partitions' states in partition order. */
  public static ExperimentTotals totals(Collection<PartitionState> states, String key, int phase) {
    List<ExperimentTotals> partials = new ArrayList<>();
    states.stream()
        .flatMap(s -> s.partials(key).stream())
        .filter(t -> t.phase() == phase)
        .forEach(partials::add);
    return TotalsMerge.merge(key, phase, partials);
  }
}
