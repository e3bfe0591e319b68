package org.abtest.node.events;

import com.typesafe.config.Config;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import org.abtest.analytics.ingest.EventPublisher;
import org.abtest.http.ports.EventLimits;
import org.abtest.node.NodeSettings;
import org.abtest.node.assignment.ExposureLog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The events path's Kafka side on a node: the topic (created when missing), the producer every
 * accepted event and exposure goes through, the limits events are checked against, and the exposure
 * log of assignments. Closes its Kafka clients when the node stops.
 *
 * @param admin also used by readiness and the consumer-lag status
 */
public record EventsPath(
    Admin admin, EventPublisher publisher, EventLimits limits, ExposureLog exposures) {

  public static EventsPath init(
      ActorSystem<?> system, NodeSettings settings, PrometheusRegistry registry) {
    NodeSettings.Kafka kafka = settings.kafka();
    int timeoutMs = (int) kafka.adminTimeout().toMillis();
    Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs));
    KafkaTopics.ensure(system, admin, kafka.topic(), kafka.partitions(), kafka.replicationFactor());
    EventPublisher publisher = EventPublisher.create(system, kafka.bootstrap(), kafka.topic());
    Config events = system.settings().config().getConfig("abtest.events");
    EventLimits limits = EventLimits.from(events, publisher.maxRecordBytes());
    ExposureLog exposures = new ExposureLog(system, publisher, settings.exposureLog(), registry);
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseServiceStop(),
            "close-kafka-clients",
            () -> {
              admin.close(kafka.closeTimeout());
              return publisher.close();
            });
    return new EventsPath(admin, publisher, limits, exposures);
  }
}
