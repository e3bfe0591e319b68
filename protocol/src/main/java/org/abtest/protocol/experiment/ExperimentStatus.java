package org.abtest.protocol.experiment;

/** Lifecycle: DRAFT → RUNNING ⇄ PAUSED → CONCLUDED, and KILLED from any live state. */
public enum ExperimentStatus {
  DRAFT,
  RUNNING,
  PAUSED,
  CONCLUDED,
  KILLED;

  /** Only a running experiment assigns anyone; every other status gives defaults. */
  public boolean assigns() {
    return this == RUNNING;
  }
}
