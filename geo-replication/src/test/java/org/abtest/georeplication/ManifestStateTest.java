package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.junit.jupiter.api.Test;

class ManifestStateTest {

  private static Experiment draft(String key) {
    return Experiment.draft(key, key, 10_000, List.of(new Variant("on", 10_000, null)))
        .asCreated("s-" + key, Instant.EPOCH);
  }

  @Test
  void onlyRunningExperimentsReachTheManifestAndEveryEventRaisesTheVersion() {
    ManifestState state = new ManifestState();
    state.apply("a", new ExperimentEntity.ExperimentCreated(draft("a")));
    state.apply("b", new ExperimentEntity.ExperimentCreated(draft("b")));
    assertThat(state.toManifest().experiments()).isEmpty();
    state.apply("b", new ExperimentEntity.ExperimentStarted(Instant.EPOCH));
    var manifest = state.toManifest();
    assertThat(manifest.version()).isEqualTo(3);
    assertThat(manifest.experiments()).extracting(ManifestExperiment::key).containsExactly("b");
    assertThat(manifest.experiments().get(0).salt()).isEqualTo("s-b");
  }
}
