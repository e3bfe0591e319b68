package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import java.time.Duration;
import org.abtest.http.limits.EdgeSettings;
import org.junit.jupiter.api.Test;

/** The node's edge limits come from http.conf, and a setting no limit could work with stops it. */
class EdgeConfigTest {

  private static Config load(String overrides) {
    return NodeConfigs.load(overrides);
  }

  @Test
  void theNodesDefaultsAreTheDocumentedOnes() {
    Config config = load("");
    EdgeSettings edge = EdgeSettings.fromConfig(config.getConfig("abtest.http"));
    assertThat(edge.sdkKeyPerSecond()).isEqualTo(10_000);
    assertThat(edge.adminPerSecond()).isEqualTo(100);
    assertThat(edge.anonymousPerSecond()).isEqualTo(20);
    assertThat(edge.burstSeconds()).isEqualTo(2.0);
    assertThat(edge.maxPerSecond()).isEqualTo(100_000);
    assertThat(edge.memoryBudgetBytes()).isEqualTo(16L << 20);
    assertThat(edge.forwardedHops()).isZero();
    assertThat(edge.streamsPerNode()).isEqualTo(512);
    assertThat(edge.manifestStreamsPerCredential()).isEqualTo(256);
    assertThat(edge.resultsStreamsPerCredential()).isEqualTo(16);
    assertThat(edge.streamHeartbeat()).isEqualTo(Duration.ofSeconds(10));
    // the per-address limit needs the TCP peer on every request
    assertThat(config.getString("pekko.http.server.remote-address-attribute")).isEqualTo("on");
  }

  @Test
  void streamsNeverTakeEveryConnectionOfTheNode() {
    Config config = load("");
    assertThat(EdgeSettings.fromConfig(config.getConfig("abtest.http")).streamsPerNode())
        .isLessThan(config.getInt("pekko.http.server.max-connections"));
  }

  @Test
  void aZeroRateIsRefusedAtStartup() {
    Config config = load("abtest.http.rate-limits.sdk-key-per-second = 0");
    assertThatThrownBy(() -> EdgeSettings.fromConfig(config.getConfig("abtest.http")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sdk-key-per-second");
  }
}
