package org.abtest.protocol.experiment;

import java.util.List;
import java.util.Optional;
import org.abtest.protocol.CborSerializable;
import org.abtest.protocol.assignment.Bucketing;

/**
 * A scheduled rollout: the experiment's coverage goes through {@code steps} in order, staying at
 * each for at least its {@code minutes} of running time, and the system widens it to the next step
 * when that time has passed. Ramps only widen coverage, so units stay where they are (DESIGN.md §3:
 * a wider coverage adds buckets to each variant's range and moves nobody). The experiment's
 * coverage is always one of the steps' ({@link DefinitionRules}); a step is left out by no one but
 * the plan.
 *
 * <p>A ramp advances only while every guardrail holds: a violated one halts it ({@link RampHalt}),
 * and with {@code rollback} also takes the coverage back to the first step.
 *
 * @param steps coverages in basis points, strictly increasing, each with the minutes to stay at it
 *     (the last one's minutes do not matter: nothing follows)
 * @param rollback whether a guardrail's halt also narrows the coverage back to the first step's
 */
public record RampPlan(List<Step> steps, boolean rollback) implements CborSerializable {

  /** Most steps of one plan. */
  public static final int MAX_STEPS = 20;

  /** Longest stay at one step: 90 days, in minutes. */
  public static final int MAX_MINUTES = 90 * 24 * 60;

  public record Step(int coverage, int minutes) implements CborSerializable {}

  /** A plan that only halts when a guardrail fails. */
  public RampPlan(List<Step> steps) {
    this(steps, false);
  }

  public RampPlan {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  /** Why the steps are not a plan (empty when they are), as a message naming the step. */
  public Optional<String> problem() {
    if (steps.isEmpty() || steps.size() > MAX_STEPS) {
      return Optional.of("a ramp plan has 1 to " + MAX_STEPS + " steps");
    }
    int previous = 0;
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      if (s.coverage() < 1 || s.coverage() > Bucketing.BUCKETS) {
        return Optional.of("step " + i + ": coverage is 1 to " + Bucketing.BUCKETS);
      }
      if (s.coverage() <= previous) {
        return Optional.of("step " + i + ": coverages must increase (ramps only widen)");
      }
      if (s.minutes() < 0 || s.minutes() > MAX_MINUTES) {
        return Optional.of("step " + i + ": minutes is 0 to " + MAX_MINUTES);
      }
      previous = s.coverage();
    }
    return Optional.empty();
  }

  /** The index of the step at this coverage, or -1 when no step has it. */
  public int stepAt(int coverage) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).coverage() == coverage) {
        return i;
      }
    }
    return -1;
  }
}
