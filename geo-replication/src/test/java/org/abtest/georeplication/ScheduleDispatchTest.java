package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.Lifecycle;
import org.abtest.protocol.experiment.RampPlan;
import org.abtest.protocol.experiment.Variant;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Due schedules reach the runner once, and again only after {@code RESCHEDULE_AFTER}. */
class ScheduleDispatchTest {

  private static final Instant T0 = Instant.parse("2026-12-02T12:00:00Z");

  private final List<ExperimentScheduler.Due> ran = new CopyOnWriteArrayList<>();
  private final List<ExperimentScheduler.Advance> advanced = new CopyOnWriteArrayList<>();
  private final ScheduleDispatch dispatch =
      new ScheduleDispatch(
          new ManifestPublisher.Settings(
              "eu",
              "eu",
              Duration.ofMillis(10),
              Duration.ofSeconds(1),
              new SlotReleases.Retry(Duration.ofSeconds(1), Duration.ofSeconds(10)),
              "unused"),
          new ManifestPublisher.ScheduleRunner() {
            @Override
            public void run(ExperimentScheduler.Due due) {
              ran.add(due);
            }

            @Override
            public void release(ExperimentScheduler.Release release) {}

            @Override
            public void advance(ExperimentScheduler.Advance advance) {
              advanced.add(advance);
            }
          },
          LoggerFactory.getLogger(ScheduleDispatchTest.class));

  private static Experiment startingAt(String key, Instant at) {
    return Experiment.draft(
            key,
            key,
            10_000,
            List.of(new Variant("control", 5000, null), new Variant("treatment", 5000, null)))
        .with(Map.of(ExperimentField.START_AT, at));
  }

  @Test
  void aDueStartIsSentOnceAndNotAgainAtEveryTickWhileTheEntityHasNotStartedIt() {
    var experiments = List.of(startingAt("a", T0), startingAt("b", T0.plusSeconds(3600)));
    dispatch.tick(experiments, List.of(), List.of(), T0);
    dispatch.tick(experiments, List.of(), List.of(), T0.plusSeconds(1));
    dispatch.tick(experiments, List.of(), List.of(), T0.plus(ScheduleDispatch.RESCHEDULE_AFTER));
    assertThat(ran).containsExactly(new ExperimentScheduler.Due("a", Lifecycle.START));
  }

  @Test
  void aDueStartStillNotCarriedOutIsSentAgainOnceRescheduleAfterHasPassed() {
    var experiments = List.of(startingAt("a", T0));
    dispatch.tick(experiments, List.of(), List.of(), T0);
    dispatch.tick(
        experiments,
        List.of(),
        List.of(),
        T0.plus(ScheduleDispatch.RESCHEDULE_AFTER).plusMillis(1));
    assertThat(ran)
        .containsExactly(
            new ExperimentScheduler.Due("a", Lifecycle.START),
            new ExperimentScheduler.Due("a", Lifecycle.START));
  }

  @Test
  void nothingIsDueNothingIsSent() {
    dispatch.tick(List.of(startingAt("later", T0.plusSeconds(60))), List.of(), List.of(), T0);
    assertThat(ran).isEmpty();
    assertThat(dispatch.pending().home()).isTrue();
    assertThat(dispatch.pending().releases()).isEmpty();
  }

  @Test
  void aDueRampStepIsSentOnceUntilRescheduleAfterHasPassed() {
    Experiment draft =
        Experiment.draft(
                "r",
                "r",
                100,
                List.of(new Variant("control", 5000, null), new Variant("treatment", 5000, null)))
            .with(
                Map.of(
                    ExperimentField.RAMP_PLAN,
                    new RampPlan(List.of(new RampPlan.Step(100, 1), new RampPlan.Step(500, 0)))))
            .asCreated("salt", T0);
    Origin by = new Origin("tok", "alice", "eu", T0);
    ExperimentState s =
        ExperimentEntity.apply(
            ExperimentEntity.apply(
                ExperimentState.EMPTY, new ExperimentEntity.ExperimentCreated(draft, by)),
            new ExperimentEntity.StatusChanged(
                Lifecycle.START, new Origin("tok", "alice", "eu", T0.plusMillis(1))));
    Instant due = T0.plusSeconds(60).plusMillis(1);
    dispatch.tick(List.of(s.experiment()), List.of(s), List.of(), due);
    dispatch.tick(List.of(s.experiment()), List.of(s), List.of(), due.plusSeconds(1));
    assertThat(advanced)
        .containsExactly(new ExperimentScheduler.Advance("r", s.experiment().version(), 100, 500));
    dispatch.tick(
        List.of(s.experiment()),
        List.of(s),
        List.of(),
        due.plus(ScheduleDispatch.RESCHEDULE_AFTER).plusSeconds(2));
    assertThat(advanced).hasSize(2);
  }
}
