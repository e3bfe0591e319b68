package org.abtest.node.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.abtest.node.assignment.ManifestHolder;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.junit.jupiter.api.Test;

/** Which event types unit state keeps as pre-exposure history: those some experiment uses. */
class ManifestDefinitionsTest {

  private static Manifest manifest(long version, ManifestExperiment... experiments) {
    return new Manifest(version, List.of(experiments), Map.of(), null);
  }

  private static ManifestExperiment experiment(String key, MetricDefinition... metrics) {
    return new ManifestExperiment(
        key,
        ExperimentType.EXPERIMENT,
        1,
        "salt-" + key,
        null,
        null,
        false,
        null,
        10000,
        List.of(new Variant("a", 5000, null), new Variant("b", 5000, null)),
        Map.of(),
        List.of(metrics));
  }

  @Test
  void metricAndFunnelEventsOfEveryExperimentSeenAreUsedAndStayUsed() {
    var holder = new ManifestHolder();
    var definitions = new ManifestDefinitions(holder);
    assertThat(definitions.usesEvent("buy")).isFalse();

    holder.offer(
        manifest(
            1,
            experiment(
                "checkout",
                new MetricDefinition("conv", "buy", MetricKind.PROPORTION, 24),
                new MetricDefinition("f", null, null, 2, List.of("view", "cart", "buy")))));
    assertThat(definitions.usesEvent("buy")).isTrue();
    assertThat(definitions.usesEvent("view")).isTrue();
    assertThat(definitions.usesEvent("cart")).isTrue();
    assertThat(definitions.usesEvent("scroll")).isFalse();

    // the experiment left the manifest (paused): its events are still kept, like its definition
    holder.offer(
        manifest(
            2, experiment("search", new MetricDefinition("clicks", "click", MetricKind.MEAN, 2))));
    assertThat(definitions.usesEvent("click")).isTrue();
    assertThat(definitions.usesEvent("buy")).isTrue();
    assertThat(definitions.apply("checkout")).isNotNull();
  }
}
