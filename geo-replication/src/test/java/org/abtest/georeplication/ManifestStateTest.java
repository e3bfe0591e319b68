package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.Lifecycle;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Holdout;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.junit.jupiter.api.Test;

class ManifestStateTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private static Experiment draft(String key) {
    return Experiment.draft(key, key, 10_000, List.of(new Variant("on", 10_000, null)))
        .asCreated("s-" + key, T0);
  }

  private static Origin at(int second) {
    return new Origin("tok", "alice", "eu", T0.plusSeconds(second));
  }

  private static String pid(String key) {
    return "Experiment|" + key + "|eu";
  }

  @Test
  void onlyRunningExperimentsReachTheManifestAndEveryEventRaisesTheVersion() {
    ManifestState state = new ManifestState();
    state.applyJournalEvent(pid("a"), 1, new ExperimentEntity.ExperimentCreated(draft("a"), at(0)));
    state.applyJournalEvent(pid("b"), 1, new ExperimentEntity.ExperimentCreated(draft("b"), at(0)));
    assertThat(state.toManifest().experiments()).isEmpty();
    state.applyJournalEvent(
        pid("b"), 2, new ExperimentEntity.StatusChanged(Lifecycle.START, at(1)));
    var manifest = state.toManifest();
    assertThat(manifest.version()).isEqualTo(3);
    assertThat(manifest.experiments()).extracting(ManifestExperiment::key).containsExactly("b");
    assertThat(manifest.experiments().get(0).salt()).isEqualTo("s-b");
  }

  @Test
  void aShippedConcludeLeavesTheLiveSetAndServesItsVariantAloneToEveryoneUntilAKill() {
    Experiment layered =
        Experiment.draft(
                "a",
                "a",
                4000,
                List.of(
                    new Variant("control", 5000, null),
                    new Variant("green", 5000, Json.mapper().createObjectNode().put("c", "g"))))
            .with(
                Map.of(
                    ExperimentField.LAYER,
                    "checkout",
                    ExperimentField.LAYER_SLOTS,
                    new SlotRange(0, 5000),
                    ExperimentField.OVERRIDES,
                    Map.of("qa-1", "control"),
                    ExperimentField.HOLDOUT,
                    true))
            .asCreated("s-a", T0);
    ManifestState state = new ManifestState();
    state.applyJournalEvent(pid("a"), 1, new ExperimentEntity.ExperimentCreated(layered, at(0)));
    state.applyJournalEvent(
        pid("a"), 2, new ExperimentEntity.StatusChanged(Lifecycle.START, at(1)));
    state.applyJournalEvent(
        pid("a"), 3, new ExperimentEntity.StatusChanged(Lifecycle.CONCLUDE, at(2), "green"));

    var manifest = state.toManifest();
    assertThat(manifest.experiments()).isEmpty();
    assertThat(manifest.shipped()).hasSize(1);
    ManifestExperiment shipped = manifest.shipped().get(0);
    assertThat(shipped.key()).isEqualTo("a");
    assertThat(shipped.coverage()).isEqualTo(10_000);
    assertThat(shipped.variants())
        .containsExactly(
            new Variant("green", 10_000, Json.mapper().createObjectNode().put("c", "g")));
    assertThat(shipped.layer()).isNull();
    assertThat(shipped.layerSlots()).isNull();
    assertThat(shipped.overrides()).isEmpty();
    assertThat(shipped.metrics()).isEmpty();
    assertThat(shipped.holdout()).isTrue();

    state.applyJournalEvent(pid("a"), 4, new ExperimentEntity.StatusChanged(Lifecycle.KILL, at(3)));
    assertThat(state.toManifest().shipped()).isEmpty();
    assertThat(state.toManifest().experiments()).isEmpty();
  }

  @Test
  void aConcludeWithoutShipLeavesNothingInTheManifest() {
    ManifestState state = new ManifestState();
    state.applyJournalEvent(pid("a"), 1, new ExperimentEntity.ExperimentCreated(draft("a"), at(0)));
    state.applyJournalEvent(
        pid("a"), 2, new ExperimentEntity.StatusChanged(Lifecycle.START, at(1)));
    state.applyJournalEvent(
        pid("a"), 3, new ExperimentEntity.StatusChanged(Lifecycle.CONCLUDE, at(2)));
    assertThat(state.toManifest().experiments()).isEmpty();
    assertThat(state.toManifest().shipped()).isEmpty();
  }

  @Test
  void aJournalEventAlreadyCoveredByTheFastPathCountsOnce() {
    ManifestState state = new ManifestState();
    var created = new ExperimentEntity.ExperimentCreated(draft("a"), at(0));
    var started = new ExperimentEntity.StatusChanged(Lifecycle.START, at(1));
    ExperimentState fast =
        ExperimentEntity.apply(ExperimentEntity.apply(ExperimentState.EMPTY, created), started);
    assertThat(state.offerExperiment("a", fast)).isTrue();
    state.applyJournalEvent(pid("a"), 1, created);
    state.applyJournalEvent(pid("a"), 2, started);
    assertThat(state.version()).isEqualTo(2);
    assertThat(state.offerExperiment("a", fast)).isFalse();
    assertThat(state.toManifest().experiments()).hasSize(1);
  }

  @Test
  void layerSaltsAndTheGlobalHoldoutTravelInTheManifest() {
    ManifestState state = new ManifestState();
    state.applyJournalEvent("Layer|checkout", 1, new LayerEntity.LayerCreated("salt-c", T0));
    state.applyJournalEvent("Layer|global", 1, new LayerEntity.LayerCreated("salt-g", T0));
    state.applyJournalEvent(
        "Layer|global",
        2,
        new LayerEntity.RangeAllocated(LayerState.HOLDOUT_OWNER, new SlotRange(0, 500)));
    var manifest = state.toManifest();
    assertThat(manifest.layerSalts()).containsEntry("checkout", "salt-c");
    assertThat(manifest.holdout()).isEqualTo(new Holdout("salt-g", new SlotRange(0, 500)));
    assertThat(manifest.version()).isEqualTo(3);
  }

  @Test
  void theManifestCarriesTheStartOfTheCurrentPhase() {
    ManifestState state = new ManifestState();
    state.applyJournalEvent(pid("a"), 1, new ExperimentEntity.ExperimentCreated(draft("a"), at(0)));
    state.applyJournalEvent(
        pid("a"), 2, new ExperimentEntity.StatusChanged(Lifecycle.START, at(1)));
    assertThat(state.toManifest().experiments().get(0).phaseStartedAt()).isEqualTo(T0);

    var changes = org.abtest.protocol.Json.mapper().createObjectNode();
    changes.put("salt", "s-a2");
    changes.put("phase", 2);
    state.applyJournalEvent(
        pid("a"),
        3,
        new ExperimentEntity.ExperimentChanged(
            changes,
            new org.abtest.protocol.experiment.Phase(2, "s-a2", T0.plusSeconds(60)),
            at(60)));
    var entry = state.toManifest().experiments().get(0);
    assertThat(entry.phase()).isEqualTo(2);
    assertThat(entry.phaseStartedAt()).isEqualTo(T0.plusSeconds(60));
  }
}
