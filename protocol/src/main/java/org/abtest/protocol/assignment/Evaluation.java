package org.abtest.protocol.assignment;

/**
 * A unit's answer in one experiment together with why (DESIGN.md §3): the assignment, or null when
 * the unit is not in the experiment, and the check that decided it. What an SDK needs to say more
 * than "in or not", for example an OpenFeature provider's reason. Built by {@link
 * CompiledManifest#explain}; never serialized (the assignment API lists {@link Assignment}s only).
 */
public record Evaluation(Assignment assignment, Outcome outcome) {

  /** The check that decided, in the order the checks are made. */
  public enum Outcome {
    /** Forced by the experiment's own override for this unit (QA). */
    OVERRIDE(true),
    /** Not in the experiment: its slot of the global holdout keeps it out. */
    HOLDOUT(false),
    /** Not in the experiment: its slot in the experiment's layer belongs to another experiment. */
    LAYER(false),
    /** Not in the experiment: the targeting condition does not match its attributes. */
    NOT_TARGETED(false),
    /** Not in the experiment: its bucket falls outside the coverage. */
    COVERAGE(false),
    /** In by its bucket, after its attributes matched the experiment's targeting condition. */
    TARGETED(true),
    /** In by its bucket alone: the experiment has no targeting condition. */
    SPLIT(true),
    /** The manifest has no live experiment of that key (unknown, paused, killed, concluded). */
    NOT_LIVE(false),
    /** The manifest lists the experiment but it could not be compiled: it assigns nobody. */
    INVALID(false),
    /** Evaluating it failed for this unit; fail-open, the unit is not in it. */
    FAILED(false);

    private final boolean assigned;

    Outcome(boolean assigned) {
      this.assigned = assigned;
    }

    /** Whether the unit is in the experiment (has a variant) with this outcome. */
    public boolean assigned() {
      return assigned;
    }
  }

  static Evaluation out(Outcome outcome) {
    return new Evaluation(null, outcome);
  }
}
