package org.abtest.node;

import com.typesafe.config.Config;
import java.time.Duration;
import org.abtest.analytics.bandit.BanditPolicy;
import org.abtest.georeplication.Regions;
import org.abtest.node.assignment.EndedExperiments;
import org.abtest.node.assignment.ExposureLog;
import org.abtest.node.status.ClusterStatusService;

/**
 * The node's own settings, parsed once from {@code abtest} (application.conf documents each key).
 * Components with settings of their own module (aggregation, the HTTP edge, load shedding,
 * credentials) parse those themselves, from the same config, once.
 */
public record NodeSettings(
    Regions regions,
    Duration askTimeout,
    Http http,
    Kafka kafka,
    ExposureLog.Settings exposureLog,
    EndedExperiments.Settings endedExperiments,
    boolean verifyExposures,
    String journalKeyspace,
    Duration releaseGaugeInterval,
    Duration evaluatorResendInterval,
    Duration regionsMergeInterval,
    Bandit bandit,
    ClusterStatus clusterStatus,
    Duration readinessTimeout) {

  public record Http(String host, int port, Duration unbindTimeout) {}

  /**
   * @param adminTimeout the Kafka Admin client's request and API timeout
   * @param closeTimeout how long closing the Kafka clients may take at shutdown
   */
  public record Kafka(
      String bootstrap,
      String topic,
      String groupId,
      int partitions,
      short replicationFactor,
      Duration adminTimeout,
      Duration closeTimeout) {}

  public record Bandit(BanditPolicy policy, Duration interval) {}

  public record ClusterStatus(
      ClusterStatusService.Settings service, Duration kafkaTimeout, Duration kafkaLagInterval) {}

  public static NodeSettings from(Config config) {
    Config abtest = config.getConfig("abtest");
    Config kafka = abtest.getConfig("kafka");
    Config node = abtest.getConfig("node");
    Config exposure = abtest.getConfig("exposure-log");
    Config bandit = abtest.getConfig("bandit");
    Config status = abtest.getConfig("cluster-status");
    return new NodeSettings(
        Regions.from(abtest),
        abtest.getDuration("ask-timeout"),
        new Http(
            abtest.getString("http.host"),
            abtest.getInt("http.port"),
            node.getDuration("http-unbind-timeout")),
        new Kafka(
            kafka.getString("bootstrap"),
            kafka.getString("topic"),
            kafka.getString("group-id"),
            kafka.getInt("partitions"),
            (short) kafka.getInt("replication-factor"),
            node.getDuration("kafka-admin-timeout"),
            node.getDuration("kafka-close-timeout")),
        new ExposureLog.Settings(
            exposure.getInt("buffer-size"),
            exposure.getInt("batch-size"),
            exposure.getDuration("batch-window")),
        new EndedExperiments.Settings(
            abtest.getDuration("events.ended-grace"), abtest.getBytes("events.ended-budget")),
        abtest.getBoolean("events.verify-exposures"),
        config.getString("pekko.persistence.cassandra.journal.keyspace"),
        abtest.getDuration("manifest.release-gauge-interval"),
        node.getDuration("evaluator-resend-interval"),
        abtest.getDuration("regions-merge-interval"),
        new Bandit(
            new BanditPolicy(
                bandit.getDouble("min-share"),
                bandit.getLong("min-units"),
                bandit.getInt("min-change")),
            bandit.getDuration("interval")),
        new ClusterStatus(
            new ClusterStatusService.Settings(
                status.getDuration("shard-stats-timeout"), status.getDuration("version-timeout")),
            status.getDuration("kafka-timeout"),
            status.getDuration("kafka-lag-interval")),
        node.getDuration("readiness-timeout"));
  }
}
