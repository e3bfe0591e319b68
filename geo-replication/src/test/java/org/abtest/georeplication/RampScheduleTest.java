package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.Lifecycle;
import org.abtest.protocol.experiment.RampPlan;
import org.abtest.protocol.experiment.Variant;
import org.junit.jupiter.api.Test;

/** {@link ExperimentScheduler#rampsDue}: each step's minutes of running time, then the next. */
class RampScheduleTest {

  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
  private static final RampPlan PLAN =
      new RampPlan(
          List.of(
              new RampPlan.Step(100, 10),
              new RampPlan.Step(1000, 30),
              new RampPlan.Step(10_000, 0)));

  private static Origin at(Instant when) {
    return new Origin("tok", "alice", "eu", when);
  }

  private static ExperimentState created(RampPlan plan, int coverage) {
    Experiment draft =
        Experiment.draft(
                "ramp",
                "Ramp",
                coverage,
                List.of(new Variant("control", 5000, null), new Variant("green", 5000, null)))
            .asCreated("salt", T0);
    if (plan != null) {
      draft = draft.with(Map.of(ExperimentField.RAMP_PLAN, plan));
    }
    return ExperimentEntity.apply(
        ExperimentState.EMPTY, new ExperimentEntity.ExperimentCreated(draft, at(T0)));
  }

  private static ExperimentState status(ExperimentState s, Lifecycle action, Instant when) {
    return ExperimentEntity.apply(s, new ExperimentEntity.StatusChanged(action, at(when)));
  }

  private static ExperimentState coverage(ExperimentState s, int coverage, Instant when) {
    Experiment revised = s.experiment().with(Map.of(ExperimentField.COVERAGE, coverage));
    return ExperimentEntity.apply(
        s,
        new ExperimentEntity.ExperimentRevised(
            List.of(ExperimentField.COVERAGE), revised, null, at(when)));
  }

  private static List<ExperimentScheduler.Advance> due(ExperimentState s, Instant now) {
    return ExperimentScheduler.rampsDue(List.of(s), now);
  }

  @Test
  void eachStepWidensAfterItsMinutesOfRunningTimeAndTheLastStaysForGood() {
    Instant started = T0.plusSeconds(60);
    ExperimentState s = status(created(PLAN, 100), Lifecycle.START, started);
    assertThat(due(s, started.plusSeconds(10 * 60 - 1))).isEmpty();
    assertThat(due(s, started.plusSeconds(10 * 60)))
        .containsExactly(
            new ExperimentScheduler.Advance("ramp", s.experiment().version(), 100, 1000));

    Instant widened = started.plusSeconds(10 * 60 + 2);
    s = coverage(s, 1000, widened);
    assertThat(due(s, widened.plusSeconds(30 * 60 - 1))).isEmpty();
    assertThat(due(s, widened.plusSeconds(30 * 60)))
        .extracting(ExperimentScheduler.Advance::coverage)
        .containsExactly(10_000);

    s = coverage(s, 10_000, widened.plusSeconds(30 * 60 + 1));
    assertThat(due(s, widened.plusSeconds(365L * 24 * 3600))).isEmpty();
  }

  @Test
  void aPauseStopsTheClockAndAResumeStartsTheStepsTimeAgain() {
    ExperimentState s = status(created(PLAN, 100), Lifecycle.START, T0);
    s = status(s, Lifecycle.PAUSE, T0.plusSeconds(9 * 60));
    assertThat(due(s, T0.plusSeconds(60 * 60))).as("paused").isEmpty();
    Instant resumed = T0.plusSeconds(61 * 60);
    s = status(s, Lifecycle.RESUME, resumed);
    assertThat(due(s, resumed.plusSeconds(9 * 60))).isEmpty();
    assertThat(due(s, resumed.plusSeconds(10 * 60))).hasSize(1);
  }

  @Test
  void draftsEndedExperimentsAndExperimentsWithoutAPlanNeverRamp() {
    Instant later = T0.plusSeconds(24 * 3600);
    assertThat(due(created(PLAN, 100), later)).as("draft").isEmpty();
    assertThat(due(status(created(null, 100), Lifecycle.START, T0), later)).isEmpty();
    ExperimentState running = status(created(PLAN, 100), Lifecycle.START, T0);
    assertThat(due(status(running, Lifecycle.CONCLUDE, T0.plusSeconds(1)), later)).isEmpty();
    assertThat(due(status(running, Lifecycle.KILL, T0.plusSeconds(1)), later)).isEmpty();
  }

  @Test
  void aRampAGuardrailHaltedWidensNoFurther() {
    ExperimentState s = status(created(PLAN, 100), Lifecycle.START, T0);
    Experiment halted = s.experiment().with(Map.of(ExperimentField.RAMP_HALTED, "guardrail"));
    s =
        ExperimentEntity.apply(
            s,
            new ExperimentEntity.ExperimentRevised(
                List.of(ExperimentField.RAMP_HALTED), halted, null, at(T0.plusSeconds(1))));
    assertThat(due(s, T0.plusSeconds(24 * 3600))).isEmpty();
  }

  @Test
  void aCoverageOffThePlanIsLeftAlone() {
    // only a concurrent write from another region can leave the coverage off the plan's steps
    ExperimentState s = coverage(status(created(PLAN, 100), Lifecycle.START, T0), 500, T0);
    assertThat(due(s, T0.plusSeconds(24 * 3600))).isEmpty();
  }

  @Test
  void aPlanIsCheckedStepByStep() {
    assertThat(PLAN.problem()).isEmpty();
    assertThat(new RampPlan(List.of()).problem())
        .hasValueSatisfying(p -> assertThat(p).contains("1 to"));
    assertThat(
            new RampPlan(List.of(new RampPlan.Step(1000, 5), new RampPlan.Step(1000, 5))).problem())
        .hasValueSatisfying(p -> assertThat(p).contains("step 1").contains("increase"));
    assertThat(new RampPlan(List.of(new RampPlan.Step(0, 5))).problem())
        .hasValueSatisfying(p -> assertThat(p).contains("step 0"));
    assertThat(new RampPlan(List.of(new RampPlan.Step(10, RampPlan.MAX_MINUTES + 1))).problem())
        .hasValueSatisfying(p -> assertThat(p).contains("minutes"));
  }
}
