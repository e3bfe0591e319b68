package org.abtest.georeplication;

import org.abtest.protocol.experiment.ExperimentStatus;

/**
 * How concurrent changes from different replicas resolve. Every rule is a total order on (rank,
 * stamp), so the outcome depends only on the set of events, never on the order a replica receives
 * them in: every replica converges to the same experiment (docs/decisions.md §7).
 *
 * <ul>
 *   <li>Status: DELETED outranks KILLED, which outranks CONCLUDED, which outranks every live
 *       status; among equal ranks the later {@link Stamp} wins. So a kill always wins, a delete (of
 *       a draft) wins even over a start made concurrently in another region, and a terminal status
 *       never goes back.
 *   <li>Definition fields: each field separately, last writer wins by stamp.
 *   <li>Phases: the phase number is a field like any other, and the salt travels with it.
 * </ul>
 */
public final class ConflictRules {

  private ConflictRules() {}

  static int rank(ExperimentStatus status) {
    return switch (status) {
      case DELETED -> 3;
      case KILLED -> 2;
      case CONCLUDED -> 1;
      default -> 0;
    };
  }

  /** Whether a status written at {@code stamp} replaces {@code current} written at {@code held}. */
  public static boolean statusWins(
      ExperimentStatus incoming, Stamp stamp, ExperimentStatus current, Stamp held) {
    int byRank = Integer.compare(rank(incoming), rank(current));
    return byRank != 0 ? byRank > 0 : stamp.isAfter(held);
  }

  /** Whether a field value written at {@code stamp} replaces the one written at {@code held}. */
  public static boolean fieldWins(Stamp stamp, Stamp held) {
    return held == null || stamp.isAfter(held);
  }
}
