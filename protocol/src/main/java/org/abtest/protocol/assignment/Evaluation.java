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
    OVERRIDE(true, "TARGETING_MATCH", null),
    /** Not in the experiment: its slot of the global holdout keeps it out. */
    HOLDOUT(false, "DEFAULT", null),
    /** Not in the experiment: its slot in the experiment's layer belongs to another experiment. */
    LAYER(false, "DEFAULT", null),
    /** Not in the experiment: the targeting condition does not match its attributes. */
    NOT_TARGETED(false, "DEFAULT", null),
    /** Not in the experiment: its bucket falls outside the coverage. */
    COVERAGE(false, "DEFAULT", null),
    /** In by its bucket, after its attributes matched the experiment's targeting condition. */
    TARGETED(true, "TARGETING_MATCH", null),
    /** In by its bucket alone: the experiment has no targeting condition. */
    SPLIT(true, "SPLIT", null),
    /**
     * In by its stored first variant (sticky bucketing), which its bucket no longer gives since a
     * sticky weight change.
     */
    STICKY(true, "SPLIT", null),
    /** A concluded experiment without targeting serves its shipped variant to every unit. */
    SHIPPED(true, "STATIC", null),
    /** The manifest has no live experiment of that key (unknown, paused, killed, concluded). */
    NOT_LIVE(false, "ERROR", "FLAG_NOT_FOUND"),
    /** The manifest lists the experiment but it could not be compiled: it assigns nobody. */
    INVALID(false, "ERROR", "PARSE_ERROR"),
    /** Evaluating it failed for this unit; fail-open, the unit is not in it. */
    FAILED(false, "ERROR", "GENERAL");

    private final boolean assigned;
    private final String reason;
    private final String errorCode;

    Outcome(boolean assigned, String reason, String errorCode) {
      this.assigned = assigned;
      this.reason = reason;
      this.errorCode = errorCode;
    }

    /** Whether the unit is in the experiment (has a variant) with this outcome. */
    public boolean assigned() {
      return assigned;
    }

    /**
     * The OpenFeature resolution reason this outcome stands for, one mapping for the Java provider
     * and the OFREP endpoints: {@code TARGETING_MATCH} (an override or a matched condition), {@code
     * SPLIT} (the bucket alone), {@code STATIC} (a shipped variant, the same for everyone), {@code
     * DEFAULT} (not in: the caller's default applies) or {@code ERROR}.
     */
    public String reason() {
      return reason;
    }

    /** The OpenFeature error code of an {@code ERROR} outcome; null for the others. */
    public String errorCode() {
      return errorCode;
    }

    /** What went wrong, for an {@code ERROR} outcome's message; null for the others. */
    public String problem(String experiment) {
      return switch (this) {
        case NOT_LIVE ->
            "no live experiment or flag "
                + experiment
                + " (unknown, or paused, killed or concluded without a shipped variant: the"
                + " manifest lists live and shipped ones only)";
        case INVALID ->
            "experiment " + experiment + " is in the manifest but could not be compiled";
        case FAILED -> "evaluating " + experiment + " failed";
        default -> null;
      };
    }
  }

  static Evaluation out(Outcome outcome) {
    return new Evaluation(null, outcome);
  }
}
