package org.abtest.protocol.experiment;

/**
 * Lifecycle: DRAFT → RUNNING ⇄ PAUSED → CONCLUDED, and KILLED from any live state; a DRAFT may be
 * DELETED, after which the API answers 404 for it (its history stays in the journal).
 */
public enum ExperimentStatus {
  DRAFT,
  RUNNING,
  PAUSED,
  CONCLUDED,
  KILLED,
  DELETED;

  /** Only a running experiment assigns anyone; every other status gives defaults. */
  public boolean assigns() {
    return this == RUNNING;
  }
}
