package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.abtest.georeplication.ExperimentScheduler.Release;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.experiment.Variant;
import org.junit.jupiter.api.Test;

/** Ended experiments give their layer ranges back, whichever way they ended. */
class StrandedSlotsTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private static Experiment in(String key, ExperimentStatus status) {
    return Experiment.draft(key, key, 10_000, List.of(new Variant("on", 10_000, null)))
        .asCreated("s", T0)
        .withStatus(status, T0);
  }

  private static LayerState layer(String key, String... owners) {
    LayerState layer = LayerState.empty(key).created("salt", T0);
    for (int i = 0; i < owners.length; i++) {
      layer = layer.allocated(owners[i], new SlotRange(i * 100, i * 100 + 100));
    }
    return layer;
  }

  @Test
  void aConcludedExperimentsRangeIsReleasedAsAKilledOnesIs() {
    var experiments =
        List.of(
            in("concluded", ExperimentStatus.CONCLUDED),
            in("killed", ExperimentStatus.KILLED),
            in("running", ExperimentStatus.RUNNING),
            in("paused", ExperimentStatus.PAUSED));
    var layers = List.of(layer("checkout", "concluded", "running", "killed", "paused"));
    assertThat(ExperimentScheduler.stranded(experiments, layers))
        .containsExactlyInAnyOrder(
            new Release("checkout", "concluded"), new Release("checkout", "killed"));
  }

  @Test
  void aDeletedDraftsRangeGoesBackToItsLayerWhileADraftKeepsIts() {
    var experiments =
        List.of(in("deleted", ExperimentStatus.DELETED), in("draft", ExperimentStatus.DRAFT));
    var layers = List.of(layer("checkout", "deleted", "draft"));
    assertThat(ExperimentScheduler.stranded(experiments, layers))
        .containsExactly(new Release("checkout", "deleted"));
  }

  @Test
  void theHoldoutAndOwnersWithNoKnownExperimentKeepTheirRanges() {
    var layers =
        List.of(layer(LayerEntity.GLOBAL, LayerState.HOLDOUT_OWNER), layer("l", "being-created"));
    assertThat(ExperimentScheduler.stranded(List.of(), layers)).isEmpty();
  }

  @Test
  void aScheduledConclusionLeavesARangeThatIsThenReleased() {
    Experiment running =
        in("ends", ExperimentStatus.RUNNING).withStatus(ExperimentStatus.RUNNING, T0);
    var layers = List.of(layer("checkout", "ends"));
    assertThat(ExperimentScheduler.stranded(List.of(running), layers)).isEmpty();
    Experiment concluded = running.withStatus(ExperimentStatus.CONCLUDED, T0.plusSeconds(1));
    assertThat(ExperimentScheduler.stranded(List.of(concluded), layers))
        .containsExactly(new Release("checkout", "ends"));
    LayerState released = layers.get(0).released("ends");
    assertThat(ExperimentScheduler.stranded(List.of(concluded), List.of(released))).isEmpty();
  }
}
