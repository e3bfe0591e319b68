package org.abtest.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.abtest.analytics.pressure.ConsumerThrottle;
import org.junit.jupiter.api.Test;

class IngestionSettingsTest {

  private static IngestionSettings parse(String consumer) {
    var abtest =
        ConfigFactory.parseString(
            """
            kafka { bootstrap = "k:9092", topic = events, group-id = g }
            aggregation {
              batch-size = 500
              batch-window = 20ms
              consumer { %s }
              dedup-window = 24h, dedup-buckets = 24, hold = 60s, hold-per-unit = 64
              hold-total = 1000
              state-budget = "50%%"
              publish-interval = 200ms, republish-interval = 30s, snapshot-interval = 10s
              snapshot-bytes-per-record = 64, snapshot-max-interval = 10m
            }
            """
                .formatted(consumer));
    return IngestionSettings.from(abtest, Duration.ofSeconds(3), ConsumerThrottle.OFF, 1000);
  }

  @Test
  void theConsumersRestartBackoffParallelismAndShutdownWaitComeFromItsSection() {
    var s =
        parse(
            """
            restart-min-backoff = 2s, restart-max-backoff = 20s, restart-random-factor = 0.5
            max-partitions = 64, applied-report-interval = 5s, admin-close-timeout = 3s
            """);

    assertThat(s.restart())
        .isEqualTo(
            new IngestionSettings.Restart(Duration.ofSeconds(2), Duration.ofSeconds(20), 0.5));
    assertThat(s.maxPartitions()).isEqualTo(64);
    assertThat(s.reportInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.adminCloseTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.batchSize()).isEqualTo(500);
    assertThat(s.batchWindow()).isEqualTo(Duration.ofMillis(20));
    assertThat(s.stateBudgetBytes()).isEqualTo(500);
  }
}
