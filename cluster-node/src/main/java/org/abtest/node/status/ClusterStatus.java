package org.abtest.node.status;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import org.abtest.analytics.aggregate.ExperimentAggregator;
import org.abtest.analytics.ingest.PartitionedIngestion;
import org.abtest.georeplication.ExperimentEntity;
import org.abtest.georeplication.LayerEntity;
import org.abtest.georeplication.ReplicationLag;
import org.abtest.node.NodeSettings;
import org.abtest.node.assignment.ManifestHolder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.pekko.actor.typed.ActorSystem;

/** {@code GET /v1/cluster} on a node, and the consumer-lag gauge kept current between requests. */
public final class ClusterStatus {

  private ClusterStatus() {}

  public static ClusterStatusService init(
      ActorSystem<?> system,
      NodeSettings settings,
      ManifestHolder manifests,
      Admin admin,
      PrometheusRegistry registry) {
    NodeSettings.ClusterStatus status = settings.clusterStatus();
    KafkaConsumerLag kafkaLag =
        new KafkaConsumerLag(
            admin,
            settings.kafka().topic(),
            // the offsets the unit-state actors applied, reported by the ingestion for monitoring
            PartitionedIngestion.monitoringGroup(settings.kafka().groupId()),
            status.kafkaTimeout(),
            registry);
    system
        .scheduler()
        .scheduleWithFixedDelay(
            status.kafkaLagInterval(),
            status.kafkaLagInterval(),
            kafkaLag::status,
            system.executionContext());
    return new ClusterStatusService(
        system,
        settings.regions().self(),
        // in the configured order, the same in every region (the console lists them so)
        settings.regions().all(),
        List.of(
            ExperimentEntity.ENTITY_TYPE_KEY,
            LayerEntity.ENTITY_TYPE_KEY,
            ExperimentAggregator.ENTITY_TYPE_KEY),
        manifests,
        ReplicationLag.get(system),
        kafkaLag,
        status.service());
  }
}
