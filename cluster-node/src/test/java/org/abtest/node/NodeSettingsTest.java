package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The node's settings come from its config once, with the values it used to hard-code. */
class NodeSettingsTest {

  private static Config load(String overrides) {
    return NodeConfigs.load(overrides);
  }

  @Test
  void theDefaultsAreTheTimingsTheNodeUsedToHardCode() {
    NodeSettings settings = NodeSettings.from(load(""));
    assertThat(settings.evaluatorResendInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.readinessTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.kafka().adminTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(settings.kafka().closeTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.http().unbindTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void regionsAreComputedOnceFromTheConfig() {
    NodeSettings settings = NodeSettings.from(load("abtest { region = us, regions = [eu, us] }"));
    assertThat(settings.regions().self()).isEqualTo("us");
    assertThat(settings.regions().all()).containsExactly("eu", "us");
    assertThat(settings.regions().layerHome()).isEqualTo("eu");
  }

  @Test
  void everyDurationCanBeSetInConfig() {
    NodeSettings settings =
        NodeSettings.from(
            load("abtest.node { readiness-timeout = 5s, evaluator-resend-interval = 250ms }"));
    assertThat(settings.readinessTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.evaluatorResendInterval()).isEqualTo(Duration.ofMillis(250));
  }
}
