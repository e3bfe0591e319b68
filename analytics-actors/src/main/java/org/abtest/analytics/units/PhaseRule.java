package org.abtest.analytics.units;

import java.util.List;

/**
 * The one rule for which phase of an experiment an exposure counts in, used by live unit state and
 * by replay alike (docs/aggregation.md, "Phase"): the phase in force at the exposure's {@code ts},
 * not the one current when it is processed. So a phase-1 exposure read late (consumer lag, a
 * restart, a rebalance, a replay) still counts in phase 1.
 *
 * <p>Phase {@code p} holds from its start to the next phase's start: an exposure whose {@code ts}
 * is at or after a phase's start belongs to it (or to a later one). Anything before the second
 * phase's start belongs to the first phase known, whatever the first phase's own start (an exposure
 * cannot be in no phase, and a client clock a little behind at the experiment's start must not lose
 * it). Starts are made non-decreasing in phase order (a start before the previous phase's counts as
 * that one's), and a phase whose start is not known starts with the previous phase: it takes over
 * from it, which is the former rule (newest phase known) for histories recorded before starts were
 * kept.
 */
public final class PhaseRule {

  private PhaseRule() {}

  /**
   * The definition of the phase in force at {@code ts} among {@code phases} (one experiment's,
   * ascending by phase number), or null when there are none.
   */
  public static ExperimentDefinition at(List<ExperimentDefinition> phases, long ts) {
    if (phases.isEmpty()) {
      return null;
    }
    ExperimentDefinition chosen = phases.get(0);
    long start = Long.MIN_VALUE;
    for (int i = 1; i < phases.size(); i++) {
      ExperimentDefinition next = phases.get(i);
      if (next.startedAt() != null) {
        start = Math.max(start, next.startedAt().toEpochMilli());
      }
      if (ts < start) {
        break; // starts never decrease from here on
      }
      chosen = next;
    }
    return chosen;
  }
}
