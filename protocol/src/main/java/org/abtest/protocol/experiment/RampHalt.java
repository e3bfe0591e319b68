package org.abtest.protocol.experiment;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A violated guardrail stops a ramp: the scheduler widens no further while {@link
 * Experiment#rampHalted()} is set, and a plan with {@link RampPlan#rollback()} also goes back to
 * its first step's coverage. A kill needs no halt (nothing is served), so only the other actions
 * halt. Setting a new ramp plan (a person's PATCH) clears the halt and the ramp goes on from the
 * coverage it has.
 */
public final class RampHalt {

  private RampHalt() {}

  /**
   * The change that halts {@code e}'s ramp for {@code reason}, or empty when there is nothing to
   * halt: no plan, halted already, not running, or the guardrail's action is a kill.
   */
  public static Optional<ExperimentPatch> of(Experiment e, Guardrail.Action action, String reason) {
    RampPlan plan = e.rampPlan();
    if (plan == null
        || e.rampHalted() != null
        || e.status() != ExperimentStatus.RUNNING
        || action == Guardrail.Action.KILL) {
      return Optional.empty();
    }
    Map<ExperimentField, Object> changes = new EnumMap<>(ExperimentField.class);
    changes.put(ExperimentField.RAMP_HALTED, reason);
    int first = plan.steps().get(0).coverage();
    if (plan.rollback() && e.coverage() > first) {
      changes.put(ExperimentField.COVERAGE, first);
    }
    ExperimentPatch patch = new ExperimentPatch(List.of());
    for (var c : changes.entrySet()) {
      patch = patch.and(c.getKey(), c.getValue());
    }
    return Optional.of(patch);
  }
}
