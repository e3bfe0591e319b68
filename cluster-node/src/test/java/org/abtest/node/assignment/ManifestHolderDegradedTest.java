package org.abtest.node.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.junit.jupiter.api.Test;

/**
 * A manifest that reaches a node with an unbuildable experiment in it (from an older publisher,
 * say) serves the others, takes the next version, and says which one it serves as off.
 */
class ManifestHolderDegradedTest {

  private static JsonNode nested(int depth) {
    ObjectNode root = Json.mapper().createObjectNode();
    ObjectNode at = root;
    for (int i = 1; i < depth; i++) {
      at = at.putObject("n");
    }
    return root;
  }

  private static ManifestExperiment experiment(String key, JsonNode config) {
    return new ManifestExperiment(
        key,
        ExperimentType.EXPERIMENT,
        1,
        "salt-" + key,
        null,
        null,
        false,
        null,
        10_000,
        List.of(new Variant("on", 10_000, config)),
        Map.of(),
        List.of(),
        null,
        null);
  }

  private static List<String> assigned(ManifestHolder holder) {
    return holder.compiled().evaluate("user-1", null).stream().map(Assignment::experiment).toList();
  }

  @Test
  void aPoisonedExperimentIsServedAsOffAndAKillOfAnotherLands() throws Exception {
    ManifestHolder holder = new ManifestHolder();
    var poisoned = experiment("poisoned", nested(996));
    var victim = experiment("victim", null);
    var healthy = experiment("healthy", null);
    assertThat(holder.offer(new Manifest(5, List.of(poisoned, victim, healthy), Map.of(), null)))
        .isTrue();
    assertThat(assigned(holder)).containsExactly("victim", "healthy");
    assertThat(holder.degraded()).containsOnlyKeys("poisoned");
    assertThat(holder.served()).isPresent();
    assertThat(new String(holder.served().get().json())).doesNotContain("\"key\":\"poisoned\"");

    // the kill of "victim": the next version leaves it out, and is taken
    assertThat(holder.offer(new Manifest(6, List.of(poisoned, healthy), Map.of(), null))).isTrue();
    assertThat(holder.current().version()).isEqualTo(6);
    assertThat(assigned(holder)).containsExactly("healthy");
  }

  @Test
  void theDegradedGaugeCountsTheExperimentsServedAsOff() throws Exception {
    ManifestHolder holder = new ManifestHolder();
    PrometheusRegistry registry = new PrometheusRegistry();
    ManifestHealth.register(registry, holder);
    holder.offer(
        new Manifest(
            1, List.of(experiment("ok", null)), Map.of(), null, Map.of("gone", "too deep")));
    var gauge =
        (GaugeSnapshot)
            registry.scrape().stream()
                .filter(
                    m -> m.getMetadata().getPrometheusName().equals(ManifestHealth.DEGRADED_GAUGE))
                .findFirst()
                .orElseThrow();
    assertThat(gauge.getDataPoints().get(0).getValue()).isEqualTo(1.0);
    assertThat(holder.degraded()).containsEntry("gone", "too deep");
  }
}
