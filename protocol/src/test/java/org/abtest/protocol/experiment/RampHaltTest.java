package org.abtest.protocol.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RampHaltTest {

  private static final RampPlan.Step FIRST = new RampPlan.Step(100, 10);
  private static final RampPlan.Step SECOND = new RampPlan.Step(2000, 10);

  private static Experiment running(RampPlan plan, int coverage) {
    return Experiment.draft(
            "ramp",
            "Ramp",
            coverage,
            List.of(new Variant("control", 5000, null), new Variant("green", 5000, null)))
        .asCreated("salt", Instant.EPOCH)
        .with(Map.of(ExperimentField.RAMP_PLAN, plan))
        .withStatus(ExperimentStatus.RUNNING, Instant.EPOCH);
  }

  @Test
  void anAlertOrPauseHaltsTheRampWithTheReasonAndKeepsTheCoverage() {
    Experiment e = running(new RampPlan(List.of(FIRST, SECOND)), 2000);
    for (Guardrail.Action action : List.of(Guardrail.Action.ALERT, Guardrail.Action.PAUSE)) {
      ExperimentPatch halt = RampHalt.of(e, action, "errors up").orElseThrow();
      Experiment halted = halt.applyTo(e);
      assertThat(halted.rampHalted()).isEqualTo("errors up");
      assertThat(halted.coverage()).isEqualTo(2000);
      assertThat(halt.fields()).containsExactly(ExperimentField.RAMP_HALTED);
    }
  }

  @Test
  void aPlanWithRollbackGoesBackToItsFirstStep() {
    Experiment e = running(new RampPlan(List.of(FIRST, SECOND), true), 2000);
    Experiment halted = RampHalt.of(e, Guardrail.Action.ALERT, "r").orElseThrow().applyTo(e);
    assertThat(halted.coverage()).isEqualTo(100);
    assertThat(DefinitionRules.check(halted)).isEmpty();
  }

  @Test
  void aKillAHaltedRampNoPlanOrAStoppedExperimentNeedNoHalt() {
    Experiment e = running(new RampPlan(List.of(FIRST, SECOND)), 100);
    assertThat(RampHalt.of(e, Guardrail.Action.KILL, "r")).isEmpty();
    Experiment halted = e.with(Map.of(ExperimentField.RAMP_HALTED, "before"));
    assertThat(RampHalt.of(halted, Guardrail.Action.ALERT, "r")).isEmpty();
    assertThat(
            RampHalt.of(
                e.withStatus(ExperimentStatus.PAUSED, Instant.EPOCH), Guardrail.Action.ALERT, "r"))
        .isEmpty();
    Experiment noPlan = e.with(java.util.Collections.singletonMap(ExperimentField.RAMP_PLAN, null));
    assertThat(RampHalt.of(noPlan, Guardrail.Action.ALERT, "r")).isEmpty();
  }
}
