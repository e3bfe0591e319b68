package org.abtest.node.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.abtest.analytics.units.ExperimentDefinition;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;

/** The replay command reads the phase history from the admin document (its {@code phases}). */
class ReplayPhasesTest {

  @Test
  void everyPhaseOfTheAdminDocumentIsReplayedWithItsStart() throws Exception {
    var document =
        Json.mapper()
            .readTree(
                """
                {"key": "checkout", "name": "checkout", "coverage": 10000, "phase": 2,
                 "variants": [{"key": "a", "weight": 5000}, {"key": "b", "weight": 5000}],
                 "metrics": [{"key": "rev", "event": "buy", "kind": "mean"}],
                 "phases": [
                   {"number": 2, "salt": "s2", "startedAt": "2026-11-22T12:00:00Z"},
                   {"number": 1, "salt": "s1", "startedAt": "2026-11-22T10:00:00Z"}]}
                """);
    var phases = Replay.phases(document, Replay.experiment(document));
    assertThat(phases)
        .extracting(ExperimentDefinition::phase, ExperimentDefinition::startedAt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, Instant.parse("2026-11-22T10:00:00Z")),
            org.assertj.core.groups.Tuple.tuple(2, Instant.parse("2026-11-22T12:00:00Z")));
    assertThat(phases.get(0).metrics()).isEqualTo(phases.get(1).metrics()).hasSize(1);
  }
}
