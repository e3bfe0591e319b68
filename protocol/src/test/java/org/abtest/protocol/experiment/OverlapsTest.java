package org.abtest.protocol.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.Overlaps.Overlap;
import org.junit.jupiter.api.Test;

class OverlapsTest {

  private static final List<Variant> VARIANTS =
      List.of(new Variant("control", 5000, null), new Variant("treatment", 5000, null));

  private static Experiment experiment(
      String key, ExperimentStatus status, String layer, String... events) {
    Map<ExperimentField, Object> fields = new HashMap<>();
    fields.put(ExperimentField.STATUS, status);
    if (layer != null) {
      fields.put(ExperimentField.LAYER, layer);
      fields.put(ExperimentField.LAYER_SLOTS, new SlotRange(0, 5000));
    }
    List<MetricDefinition> metrics = new java.util.ArrayList<>();
    for (String event : events) {
      metrics.add(new MetricDefinition(event + "-metric", event, MetricKind.PROPORTION, null));
    }
    fields.put(ExperimentField.METRICS, metrics);
    return Experiment.draft(key, key, 10_000, VARIANTS).with(fields);
  }

  private static JsonNode json(String text) throws Exception {
    return Json.mapper().readTree(text);
  }

  @Test
  void aRunningExperimentInAnotherLayerOnTheSameEventsOverlapsNamingTheSharedEvents() {
    Experiment candidate =
        experiment("new", ExperimentStatus.DRAFT, "checkout", "purchase", "view");
    List<Overlap> found =
        Overlaps.of(
            candidate,
            List.of(
                experiment("other-layer", ExperimentStatus.RUNNING, "search", "purchase", "click"),
                experiment("no-layer", ExperimentStatus.RUNNING, null, "view", "purchase"),
                experiment("same-layer", ExperimentStatus.RUNNING, "checkout", "purchase"),
                experiment("paused", ExperimentStatus.PAUSED, null, "purchase"),
                experiment("draft", ExperimentStatus.DRAFT, null, "purchase"),
                experiment("other-events", ExperimentStatus.RUNNING, null, "click"),
                experiment("new", ExperimentStatus.RUNNING, null, "purchase")));
    assertThat(found)
        .containsExactly(
            new Overlap("other-layer", List.of("purchase")),
            new Overlap("no-layer", List.of("purchase", "view")));
  }

  @Test
  void differentTargetingConditionsAreNotTakenForAnOverlapButNoneOrTheSameAre() throws Exception {
    Map<ExperimentField, Object> us =
        Map.of(ExperimentField.TARGETING, json("{\"country\": \"US\"}"));
    Map<ExperimentField, Object> de =
        Map.of(ExperimentField.TARGETING, json("{\"country\": \"DE\"}"));
    Experiment candidate = experiment("new", ExperimentStatus.DRAFT, null, "purchase").with(us);
    assertThat(
            Overlaps.of(
                candidate,
                List.of(
                    experiment("de", ExperimentStatus.RUNNING, null, "purchase").with(de),
                    experiment("us", ExperimentStatus.RUNNING, null, "purchase").with(us),
                    experiment("all", ExperimentStatus.RUNNING, null, "purchase"))))
        .extracting(Overlap::experiment)
        .containsExactly("us", "all");
  }

  @Test
  void experimentsNoEnvironmentEnablesBothDoNotOverlap() {
    var staging = Map.of("staging", new EnvironmentSetting(true, null));
    var production = Map.of("production", new EnvironmentSetting(true, null));
    var off = Map.of("production", new EnvironmentSetting(false, null));
    assertThat(Overlaps.environmentsMeet(staging, production)).isFalse();
    assertThat(Overlaps.environmentsMeet(production, production)).isTrue();
    assertThat(Overlaps.environmentsMeet(null, staging)).isTrue();
    assertThat(Overlaps.environmentsMeet(off, null)).isFalse();
    assertThat(Overlaps.environmentsMeet(null, null)).isTrue();
  }
}
