package org.abtest.analytics.ingest;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code abtest.aggregation.snapshots} and {@code abtest.aggregation.test-faults} (the node's
 * aggregation.conf documents each key).
 *
 * @param allowLossyRebuild rebuild a partition whose snapshot cannot be read even though retention
 *     deleted the start of its log (the loss is logged and counted); off: such a partition is
 *     refused
 * @param orphanAge a chunk set that no head names and whose write started longer ago than this is
 *     an orphan of a crashed or failed write, and the sweep at a partition's start deletes it
 * @param failAfterChunks a test fault, 0 (off) in production: when N &gt; 0 the first snapshot of
 *     each partition on this node fails once after writing N chunks, leaving them
 */
public record SnapshotSettings(boolean allowLossyRebuild, Duration orphanAge, int failAfterChunks) {

  public static final SnapshotSettings DEFAULTS =
      new SnapshotSettings(false, Duration.ofMinutes(10), 0);

  public SnapshotSettings {
    if (failAfterChunks < 0) {
      throw new IllegalArgumentException("fail-snapshot-after-chunks must be >= 0");
    }
    if (orphanAge.isNegative()) {
      throw new IllegalArgumentException("orphan-age must be >= 0");
    }
  }

  /** From {@code abtest.aggregation}; a missing key keeps its default. */
  public static SnapshotSettings from(Config aggregation) {
    return new SnapshotSettings(
        aggregation.hasPath("snapshots.allow-lossy-rebuild")
            ? aggregation.getBoolean("snapshots.allow-lossy-rebuild")
            : DEFAULTS.allowLossyRebuild(),
        aggregation.hasPath("snapshots.orphan-age")
            ? aggregation.getDuration("snapshots.orphan-age")
            : DEFAULTS.orphanAge(),
        aggregation.hasPath("test-faults.fail-snapshot-after-chunks")
            ? aggregation.getInt("test-faults.fail-snapshot-after-chunks")
            : DEFAULTS.failAfterChunks());
  }
}
