package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.abtest.http.ports.ClusterService.KafkaStatus;
import org.abtest.node.status.KafkaConsumerLag;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

class KafkaConsumerLagTest {

  @Test
  void aKafkaThatDoesNotAnswerGivesAnUnknownLagInTimeNotAnError() throws Exception {
    // nothing listens on port 1: every admin call waits until the lag's own timeout
    Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 30000));
    try {
      var lag =
          new KafkaConsumerLag(
              admin, "events", "group", Duration.ofMillis(300), new PrometheusRegistry());
      long start = System.nanoTime();
      KafkaStatus status = lag.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(status).isEqualTo(new KafkaStatus("events", "group", null, java.util.List.of()));
    } finally {
      admin.close(Duration.ZERO);
    }
  }
}
