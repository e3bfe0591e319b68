package org.abtest.analytics.ingest;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The next offset each owned partition's actor will apply. The consumer group never commits (see
 * {@link PartitionedIngestion}); these offsets are written, for monitoring only, to a separate
 * group with no members ({@link #monitoringGroup}), whose lag GET /v1/cluster and the usual Kafka
 * tools read.
 */
final class AppliedOffsets {

  private final Map<TopicPartition, Long> next = new ConcurrentHashMap<>();
  private final String group;

  AppliedOffsets(String groupId) {
    this.group = PartitionedIngestion.monitoringGroup(groupId);
  }

  void applied(TopicPartition tp, long nextOffset) {
    next.put(tp, nextOffset);
  }

  /** The next offset to apply, or null when the partition is not owned here. */
  Long next(TopicPartition tp) {
    return next.get(tp);
  }

  void forget(TopicPartition tp) {
    next.remove(tp);
  }

  /** One write to the monitoring group; a failure (broker down) is retried by the next call. */
  void report(Admin admin) {
    if (next.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    next.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
    admin.alterConsumerGroupOffsets(group, offsets);
  }
}
