package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.abtest.georeplication.ManifestPublisher.KeyStatus;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The publisher's index of keys, which lets a read of a made-up key answer 404 entity-free. */
class KeyIndexTest {

  @ParameterizedTest(name = "known={0} complete={1} -> may exist {2}")
  @CsvSource({"true, true, true", "true, false, true", "false, false, true", "false, true, false"})
  void onlyAKeyUnknownToACompleteIndexCertainlyDoesNotExist(
      boolean known, boolean complete, boolean mayExist) {
    assertThat(new KeyStatus(known, complete).mayExist()).isEqualTo(mayExist);
  }

  @Test
  void theStateKnowsEveryKeyItHasSeenAnEventOfAndNoOther() {
    ManifestState state = new ManifestState();
    Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
    Experiment draft =
        Experiment.draft("real", "real", 10_000, List.of(new Variant("on", 10_000, null)))
            .asCreated("s", t0);
    state.applyJournalEvent(
        "Experiment|real|eu",
        1,
        new ExperimentEntity.ExperimentCreated(draft, new Origin("t", "a", "eu", t0)));
    assertThat(state.knows("real")).isTrue();
    assertThat(state.knows("made-up")).isFalse();
  }

  @Test
  void aStateFromTheFastPathIsKnownBeforeTheJournalDeliversIt() {
    ManifestState state = new ManifestState();
    Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
    Experiment draft =
        Experiment.draft("fresh", "fresh", 10_000, List.of(new Variant("on", 10_000, null)))
            .asCreated("s", t0);
    state.offerExperiment(
        "fresh", ExperimentState.EMPTY.created(draft, new Origin("t", "a", "eu", t0)));
    assertThat(state.knows("fresh")).isTrue();
  }
}
