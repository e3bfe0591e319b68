package org.abtest.protocol.experiment;

import java.util.Set;

/**
 * The lifecycle DRAFT → RUNNING ⇄ PAUSED → CONCLUDED, with KILLED from any live state (and from a
 * CONCLUDED one that ships a variant) and DELETED from DRAFT, as the actions the API offers ({@code
 * POST /v1/experiments/{key}/start}, ...) and the entity records ({@code StatusChanged}, by
 * constant name). Which transitions a replica may start lives here; how concurrent ones from
 * different replicas resolve lives in geo-replication's {@code ConflictRules}.
 */
public enum Lifecycle {
  START(ExperimentStatus.RUNNING, Set.of(ExperimentStatus.DRAFT), false),
  PAUSE(ExperimentStatus.PAUSED, Set.of(ExperimentStatus.RUNNING), false),
  RESUME(ExperimentStatus.RUNNING, Set.of(ExperimentStatus.PAUSED), false),
  CONCLUDE(
      ExperimentStatus.CONCLUDED, Set.of(ExperimentStatus.RUNNING, ExperimentStatus.PAUSED), true),
  /** Also of a concluded experiment that ships a variant: that takes the variant back. */
  KILL(
      ExperimentStatus.KILLED,
      Set.of(ExperimentStatus.RUNNING, ExperimentStatus.PAUSED, ExperimentStatus.CONCLUDED),
      true),
  /** {@code DELETE /v1/experiments/{key}}: a draft nobody will run. */
  DELETE(ExperimentStatus.DELETED, Set.of(ExperimentStatus.DRAFT), true);

  private final ExperimentStatus target;
  private final Set<ExperimentStatus> from;
  private final boolean adminOnly;

  Lifecycle(ExperimentStatus target, Set<ExperimentStatus> from, boolean adminOnly) {
    this.target = target;
    this.from = from;
    this.adminOnly = adminOnly;
  }

  public ExperimentStatus target() {
    return target;
  }

  public boolean allowedFrom(ExperimentStatus status) {
    return from.contains(status);
  }

  /**
   * Whether this action may be taken on {@code experiment}: its status allows it, and a kill of a
   * concluded experiment has a shipped variant to take back (one that ships nothing serves nobody).
   */
  public boolean allowedOn(Experiment experiment) {
    if (this == KILL && experiment.status() == ExperimentStatus.CONCLUDED) {
      return experiment.shipped() != null;
    }
    return allowedFrom(experiment.status());
  }

  /** Kill, conclude and delete end an experiment for good, so only admins may do them (API.md). */
  public boolean adminOnly() {
    return adminOnly;
  }

  /**
   * Ended: the definition no longer changes and a layered experiment's slots go back to its layer
   * (only a kill still leads out of CONCLUDED, to take a shipped variant back).
   */
  public static boolean terminal(ExperimentStatus status) {
    return status == ExperimentStatus.CONCLUDED
        || status == ExperimentStatus.KILLED
        || status == ExperimentStatus.DELETED;
  }

  /** Ended with results to keep: what an admin may archive. */
  public static boolean archivable(ExperimentStatus status) {
    return status == ExperimentStatus.CONCLUDED || status == ExperimentStatus.KILLED;
  }

  /** Whether the experiment has run, so a weight change re-randomizes (a new phase). */
  public static boolean started(ExperimentStatus status) {
    return status != ExperimentStatus.DRAFT;
  }
}
