package org.abtest.analytics.ingest;

import java.time.Duration;

/**
 * When a partition's state is worth writing again. A snapshot rewrites the whole state, so writing
 * it on a fixed clock costs more per event the larger the state grows: at 800k units, a snapshot
 * every 10 s was a quarter of the machine's CPU (Cassandra plus encoding). Instead a snapshot waits
 * until the records applied since the last one have paid for it, at most {@code bytesPerRecord} of
 * snapshot per record, and is taken anyway once {@code maxInterval} old, which bounds how much of
 * the log a crash replays by time as well.
 *
 * @param bytesPerRecord snapshot bytes allowed per applied record; 0 snapshots on every check
 * @param maxInterval a snapshot with any new record is due once the last one is this old
 */
public record SnapshotPolicy(long bytesPerRecord, Duration maxInterval) {

  public SnapshotPolicy {
    if (bytesPerRecord < 0) {
      throw new IllegalArgumentException("bytesPerRecord must be >= 0");
    }
  }

  /**
   * @param recordsSince records applied since the last snapshot
   * @param lastBytes the size of the last snapshot (0 if none was taken by this owner)
   * @param sinceLast time since the last snapshot was taken (or since the owner started)
   */
  public boolean due(long recordsSince, long lastBytes, Duration sinceLast) {
    if (recordsSince <= 0) {
      return false;
    }
    if (bytesPerRecord == 0 || sinceLast.compareTo(maxInterval) >= 0) {
      return true;
    }
    long needed = lastBytes / bytesPerRecord + (lastBytes % bytesPerRecord == 0 ? 0 : 1);
    return recordsSince >= needed;
  }
}
