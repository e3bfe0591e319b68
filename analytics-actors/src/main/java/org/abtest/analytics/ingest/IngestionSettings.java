package org.abtest.analytics.ingest;

import com.typesafe.config.Config;
import java.time.Duration;
import org.abtest.analytics.pressure.ConsumerThrottle;
import org.abtest.analytics.units.UnitStateSettings;

/**
 * Everything {@link PartitionedIngestion} reads, parsed once from {@code abtest.kafka} and {@code
 * abtest.aggregation} ({@link #from}).
 *
 * @param batchSize records per batch handed to a partition's actor, or fewer after {@code
 *     batchWindow}
 * @param restart the consumer stream's restart backoff after a failure
 * @param maxPartitions partition streams run at once (the most partitions one node may own)
 * @param reportInterval how often the applied offsets go to the monitoring group
 * @param adminCloseTimeout how long the node's shutdown waits for the Kafka admin client (the
 *     monitoring group's last write) to close
 * @param stateBudgetBytes the node-wide unit-state budget ({@link UnitStateBoard})
 */
public record IngestionSettings(
    String bootstrap,
    String topic,
    String groupId,
    Duration askTimeout,
    int batchSize,
    Duration batchWindow,
    Restart restart,
    int maxPartitions,
    Duration reportInterval,
    Duration adminCloseTimeout,
    UnitStateSettings unitState,
    long stateBudgetBytes,
    ConsumerThrottle throttle,
    UnitStateActor.Settings actor) {

  /** Exponential backoff between restarts of the consumer stream. */
  public record Restart(Duration minBackoff, Duration maxBackoff, double randomFactor) {}

  /**
   * @param abtest the {@code abtest} section of the config
   * @param maxHeapBytes the JVM's {@code -Xmx}, for a state budget given as a share
   */
  public static IngestionSettings from(
      Config abtest, Duration askTimeout, ConsumerThrottle throttle, long maxHeapBytes) {
    Config kafka = abtest.getConfig("kafka");
    Config agg = abtest.getConfig("aggregation");
    Config consumer = agg.getConfig("consumer");
    return new IngestionSettings(
        kafka.getString("bootstrap"),
        kafka.getString("topic"),
        kafka.getString("group-id"),
        askTimeout,
        agg.getInt("batch-size"),
        agg.getDuration("batch-window"),
        new Restart(
            consumer.getDuration("restart-min-backoff"),
            consumer.getDuration("restart-max-backoff"),
            consumer.getDouble("restart-random-factor")),
        consumer.getInt("max-partitions"),
        consumer.getDuration("applied-report-interval"),
        consumer.getDuration("admin-close-timeout"),
        AggregationConfig.unitState(agg),
        AggregationConfig.stateBudgetBytes(agg, maxHeapBytes),
        throttle,
        new UnitStateActor.Settings(
            agg.getDuration("publish-interval"),
            agg.getDuration("republish-interval"),
            agg.getDuration("snapshot-interval"),
            new SnapshotPolicy(
                agg.getBytes("snapshot-bytes-per-record"),
                agg.getDuration("snapshot-max-interval"))));
  }
}
