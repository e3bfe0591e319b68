package org.abtest.node.status;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.abtest.http.ports.ClusterService.KafkaStatus;
import org.abtest.http.ports.ClusterService.PartitionLag;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The events consumer group's lag per partition: the topic's latest offsets against the offsets the
 * unit-state actors applied (PartitionedIngestion writes them to a member-less monitoring group
 * once a second; the consuming group itself never commits). Uses the node's one AdminClient; the
 * total is also the {@code abtest_kafka_consumer_lag} gauge.
 */
public final class KafkaConsumerLag {

  private final Admin admin;
  private final String topic;
  private final String group;
  private final Duration timeout;
  private final Gauge gauge;

  public KafkaConsumerLag(
      Admin admin, String topic, String group, Duration timeout, PrometheusRegistry registry) {
    this.admin = admin;
    this.topic = topic;
    this.group = group;
    this.timeout = timeout;
    this.gauge =
        Gauge.builder()
            .name("abtest_kafka_consumer_lag")
            .help("Events in the topic that the aggregation's consumer group has not yet applied")
            .register(registry);
  }

  /** Never fails: when Kafka does not answer in time, the lag is null and no partition listed. */
  public CompletionStage<KafkaStatus> status() {
    CompletionStage<KafkaStatus> answer =
        admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .toCompletionStage()
            .thenCompose(
                topics -> {
                  Map<TopicPartition, OffsetSpec> latest =
                      topics.get(topic).partitions().stream()
                          .collect(
                              Collectors.toMap(
                                  p -> new TopicPartition(topic, p.partition()),
                                  p -> OffsetSpec.latest()));
                  return admin
                      .listOffsets(latest)
                      .all()
                      .toCompletionStage()
                      .thenCombine(
                          admin
                              .listConsumerGroupOffsets(group)
                              .partitionsToOffsetAndMetadata()
                              .toCompletionStage(),
                          this::combine);
                });
    // A plain future of our own: the stages Kafka hands out ignore orTimeout
    CompletableFuture<KafkaStatus> result = new CompletableFuture<>();
    answer.whenComplete(
        (status, failure) -> {
          if (failure == null) {
            result.complete(status);
          } else {
            result.completeExceptionally(failure);
          }
        });
    return result
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(failure -> new KafkaStatus(topic, group, null, List.of()));
  }

  private KafkaStatus combine(
      Map<TopicPartition, ListOffsetsResultInfo> ends,
      Map<TopicPartition, OffsetAndMetadata> committed) {
    List<PartitionLag> partitions = new ArrayList<>();
    long total = 0;
    for (var end : ends.entrySet()) {
      OffsetAndMetadata at = committed.get(end.getKey());
      long endOffset = end.getValue().offset();
      Long committedOffset = at == null ? null : at.offset();
      // a partition never committed is behind by everything in it (reading starts at 0)
      long lag = Math.max(0, endOffset - (committedOffset == null ? 0 : committedOffset));
      partitions.add(new PartitionLag(end.getKey().partition(), endOffset, committedOffset, lag));
      total += lag;
    }
    partitions.sort(Comparator.comparingInt(PartitionLag::partition));
    gauge.set(total);
    return new KafkaStatus(topic, group, total, List.copyOf(partitions));
  }
}
