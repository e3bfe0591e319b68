package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentPatch;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.Lifecycle;
import org.abtest.protocol.experiment.Variant;
import org.junit.jupiter.api.Test;

class ExperimentSchedulerTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private static Experiment with(
      String key, ExperimentStatus status, String startAt, String endAt) {
    ExperimentState s =
        ExperimentState.EMPTY.created(
            Experiment.draft(key, key, 10_000, List.of(new Variant("on", 10_000, null)))
                .asCreated("salt", NOW.minusSeconds(3600)),
            new Origin("t", "n", "eu", NOW.minusSeconds(3600)));
    ObjectNode changes = ExperimentEntityTest.changes("{}");
    if (startAt != null) {
      changes.put("startAt", startAt);
    }
    if (endAt != null) {
      changes.put("endAt", endAt);
    }
    s =
        s.changed(
            ExperimentPatch.fromJson(changes),
            null,
            new Origin("t", "n", "eu", NOW.minusSeconds(3000)));
    if (status != ExperimentStatus.DRAFT) {
      s = s.statusChanged(status, null, new Origin("t", "n", "eu", NOW.minusSeconds(2000)));
    }
    return s.experiment();
  }

  @Test
  void aDraftStartsWhenItsStartHasComeAndALiveOneConcludesAtItsEnd() {
    var due =
        ExperimentScheduler.due(
            List.of(
                with("due", ExperimentStatus.DRAFT, "2026-11-22T09:59:59Z", null),
                with("later", ExperimentStatus.DRAFT, "2026-11-22T10:00:01Z", null),
                with(
                    "over", ExperimentStatus.DRAFT, "2026-11-22T09:00:00Z", "2026-11-22T09:30:00Z"),
                with("ending", ExperimentStatus.PAUSED, null, "2026-11-22T10:00:00Z"),
                with("killed", ExperimentStatus.KILLED, null, "2026-11-22T09:00:00Z")),
            NOW);
    assertThat(due)
        .containsExactly(
            new ExperimentScheduler.Due("due", Lifecycle.START),
            new ExperimentScheduler.Due("ending", Lifecycle.CONCLUDE));
  }
}
