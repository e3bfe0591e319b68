package org.abtest.analytics.ingest;

/**
 * Where a newly assigned partition's unit state comes from, given what its snapshot turned out to
 * be and the earliest offset Kafka still holds for it (the pure core of the restore, decided before
 * a record is read; docs/operations.md "Unit-state snapshots"). A rebuild is never silent: it is
 * exact only when the log still starts at offset 0; otherwise the events retention deleted are
 * lost, and the partition is refused unless the operator allowed a lossy rebuild.
 *
 * @param action what to do
 * @param from the offset reading starts at (ignored when refused)
 * @param lost how many offsets, before {@code from}, the state will never see (0 when exact)
 * @param reason a short sentence for the log line and /health/ready
 */
public record RestoreDecision(Action action, long from, long lost, String reason) {

  /** What the partition's owner does. */
  public enum Action {
    /** The snapshot's state, from its offset: the normal case, exact. */
    RESUME,
    /** No snapshot (a partition never snapshotted): empty state from the log's start. */
    FRESH,
    /** The snapshot cannot be read, the log starts at 0: rebuilt from 0, exact (WARN). */
    REBUILD_EXACT,
    /** Allowed by the operator: rebuilt (or resumed) past offsets retention deleted (ERROR). */
    REBUILD_LOSSY,
    /** Not consumed: its state would silently miss deleted events. */
    REFUSE
  }

  /** What the snapshot of the partition turned out to be. */
  public enum Found {
    NONE,
    DECODED,
    UNDECODABLE
  }

  /**
   * @param found what the stored snapshot is
   * @param snapshotNext the decoded snapshot's next offset (only read when {@code DECODED})
   * @param earliest the earliest offset the log holds for the partition, or -1 when Kafka did not
   *     say (then an undecodable snapshot is refused: nothing proves a rebuild exact)
   * @param allowLossy {@code abtest.aggregation.snapshots.allow-lossy-rebuild}
   */
  public static RestoreDecision decide(
      Found found, long snapshotNext, long earliest, boolean allowLossy) {
    switch (found) {
      case DECODED -> {
        if (earliest <= snapshotNext) {
          return new RestoreDecision(Action.RESUME, snapshotNext, 0, "snapshot restored");
        }
        // the log was truncated past the snapshot (the partition was not consumed for longer
        // than the retention): reading on would skip [snapshotNext, earliest)
        String why =
            "the log starts at "
                + earliest
                + ", after the snapshot's offset "
                + snapshotNext
                + ": the events between were deleted by retention";
        return allowLossy
            ? new RestoreDecision(Action.REBUILD_LOSSY, earliest, earliest - snapshotNext, why)
            : new RestoreDecision(Action.REFUSE, earliest, earliest - snapshotNext, why);
      }
      case NONE -> {
        long from = Math.max(0, earliest);
        return new RestoreDecision(Action.FRESH, from, 0, "no snapshot yet");
      }
      default -> {
        if (earliest == 0) {
          return new RestoreDecision(
              Action.REBUILD_EXACT, 0, 0, "snapshot unreadable; the log still starts at 0");
        }
        if (earliest < 0) {
          return new RestoreDecision(
              Action.REFUSE, 0, 0, "snapshot unreadable and the log's earliest offset is unknown");
        }
        String why =
            "snapshot unreadable and the log starts at "
                + earliest
                + ": the events before it were deleted by retention";
        return allowLossy
            ? new RestoreDecision(Action.REBUILD_LOSSY, earliest, earliest, why)
            : new RestoreDecision(Action.REFUSE, earliest, earliest, why);
      }
    }
  }

  /** Whether the state starts empty (the snapshot's state is not used). */
  public boolean emptyState(Found found) {
    return action == Action.FRESH
        || action == Action.REBUILD_EXACT
        || (action == Action.REBUILD_LOSSY && found != Found.DECODED);
  }
}
