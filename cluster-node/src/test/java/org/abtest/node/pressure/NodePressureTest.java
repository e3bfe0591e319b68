package org.abtest.node.pressure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.time.Duration;
import org.abtest.analytics.pressure.ShedThresholds;
import org.abtest.node.NodeConfigs;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

class NodePressureTest {

  private static Config load(String overrides) {
    return NodeConfigs.load(overrides);
  }

  @Test
  void byDefaultEventsAreShedFrom85PercentUntilBelow75WithRetryAfterFiveSeconds() {
    ShedThresholds t = NodePressure.thresholds(load("").getConfig("abtest.events.shed"));
    assertThat(t.enabled()).isTrue();
    assertThat(t.shedAt()).isEqualTo(0.85);
    assertThat(t.resumeBelow()).isEqualTo(0.75);
    assertThat(t.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    assertThat(t.recheckInterval()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aResumeThresholdAboveTheShedThresholdStopsTheNodeFromStarting() {
    Config config = load("abtest.events.shed { shed-at = 0.7, resume-below = 0.8 }");
    assertThatThrownBy(() -> NodePressure.thresholds(config.getConfig("abtest.events.shed")))
        .hasMessageContaining("resume-below");
  }

  @Test
  void theGaugeAndTheReadinessDetailShowTheHeapAfterACollection() throws Exception {
    ActorTestKit kit =
        ActorTestKit.create(
            load("pekko.actor.provider = local\npekko.coordinated-shutdown.exit-jvm = off"));
    try {
      PrometheusRegistry registry = new PrometheusRegistry();
      NodePressure pressure = NodePressure.start(kit.system(), registry);
      System.gc();
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> pressure.pressure().reading().heapUsedAfterGcBytes() != 0);
      assertThat(pressure.detail())
          .containsKeys("pressure", "heapAfterGc", "heapUsedAfterGcBytes", "heapMaxBytes")
          .containsEntry("shedAt", 0.85)
          .containsEntry("resumeBelow", 0.75);
      assertThat((long) pressure.detail().get("heapUsedAfterGcBytes")).isPositive();
      assertThat(pressure.sheddingEvents()).isFalse();
      double gauge =
          registry.scrape().stream()
              .filter(m -> m.getMetadata().getName().equals("abtest_memory_pressure"))
              .map(m -> ((GaugeSnapshot) m).getDataPoints().get(0).getValue())
              .findFirst()
              .orElseThrow();
      assertThat(gauge).isBetween(0.0, 1.0).isPositive();
    } finally {
      kit.shutdownTestKit();
    }
  }
}
