package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.CompiledManifest;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.Lifecycle;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.junit.jupiter.api.Test;

/** One experiment that cannot be built degrades itself only, never the manifest of the others. */
class PoisonedManifestTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private static Origin at(int second) {
    return new Origin("tok", "alice", "eu", T0.plusSeconds(second));
  }

  private static JsonNode nested(int depth) {
    ObjectNode root = Json.mapper().createObjectNode();
    ObjectNode at = root;
    for (int i = 1; i < depth; i++) {
      at = at.putObject("n");
    }
    return root;
  }

  private static void running(ManifestState state, String key, JsonNode config, JsonNode target) {
    Experiment draft =
        Experiment.draft(key, key, 10_000, List.of(new Variant("on", 10_000, config)))
            .asCreated("s-" + key, T0);
    if (target != null) {
      ObjectNode node = Json.mapper().valueToTree(draft);
      node.set("targeting", target);
      draft = Json.mapper().convertValue(node, Experiment.class);
    }
    String pid = "Experiment|" + key + "|eu";
    state.applyJournalEvent(pid, 1, new ExperimentEntity.ExperimentCreated(draft, at(0)));
    state.applyJournalEvent(pid, 2, new ExperimentEntity.StatusChanged(Lifecycle.START, at(1)));
  }

  private static ManifestState withOnePoisoned(JsonNode config, JsonNode targeting) {
    ManifestState state = new ManifestState();
    running(state, "healthy", null, null);
    running(state, "poisoned", config, targeting);
    running(state, "victim", null, null);
    return state;
  }

  @Test
  void aConfigNestedNearlyAThousandLevelsIsLeftOutAndListedAsDegraded() throws Exception {
    Manifest manifest = withOnePoisoned(nested(996), null).toManifest();
    assertThat(manifest.experiments())
        .extracting(ManifestExperiment::key)
        .containsExactly("healthy", "victim");
    assertThat(manifest.degraded()).containsOnlyKeys("poisoned");
    assertThat(manifest.degraded().get("poisoned")).contains("levels deep");
    // What was unbuildable before: the whole manifest as JSON, read back.
    byte[] json = Json.mapper().writeValueAsBytes(manifest);
    assertThat(Json.mapper().readValue(json, Manifest.class)).isEqualTo(manifest);
  }

  @Test
  void aTargetingThatDoesNotCompileIsLeftOutAndTheOthersStillAssign() {
    JsonNode lookahead = Json.mapper().createObjectNode().set("ua", regex("a(?=b)"));
    Manifest manifest = withOnePoisoned(null, lookahead).toManifest();
    assertThat(manifest.degraded()).containsOnlyKeys("poisoned");
    assertThat(manifest.degraded().get("poisoned")).contains("cannot be compiled");
    assertThat(CompiledManifest.compile(manifest).evaluate("user-1", null))
        .extracting(a -> a.experiment())
        .containsExactly("healthy", "victim");
  }

  @Test
  void aKillOfAnotherExperimentLandsWhileOneIsPoisoned() {
    ManifestState state = withOnePoisoned(nested(996), null);
    long before = state.toManifest().version();
    state.applyJournalEvent(
        "Experiment|victim|eu", 3, new ExperimentEntity.StatusChanged(Lifecycle.KILL, at(2)));
    Manifest after = state.toManifest();
    assertThat(after.version()).isGreaterThan(before);
    assertThat(after.experiments()).extracting(ManifestExperiment::key).containsExactly("healthy");
    assertThat(after.degraded()).containsOnlyKeys("poisoned");
  }

  @Test
  void aDegradedExperimentThatIsKilledIsNoLongerListed() {
    ManifestState state = withOnePoisoned(nested(996), null);
    state.applyJournalEvent(
        "Experiment|poisoned|eu", 3, new ExperimentEntity.StatusChanged(Lifecycle.KILL, at(2)));
    assertThat(state.toManifest().degraded()).isEmpty();
  }

  @Test
  void aManifestWithNothingDegradedIsWrittenWithoutTheField() throws Exception {
    ManifestState state = new ManifestState();
    running(state, "healthy", null, null);
    assertThat(Json.mapper().writeValueAsString(state.toManifest())).doesNotContain("degraded");
  }

  private static JsonNode regex(String pattern) {
    return Json.mapper().createObjectNode().put("$regex", pattern);
  }
}
