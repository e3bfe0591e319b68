package org.abtest.analytics.aggregate;

import java.time.Duration;
import java.time.Instant;

/**
 * Which row of the results time series a moment falls in. Rows start on wall-clock multiples of
 * their width: {@code fine} (5 min) from the phase's start until the first whole {@code coarse}
 * boundary (hour) at least {@code fineFor} (a day) later, so that novelty effects show early, then
 * {@code coarse}. A phase has at most {@code maxRows} rows: from the last one on, every write goes
 * to that row, which then holds the current totals however long the experiment runs.
 */
public record SeriesBuckets(Duration fine, Duration fineFor, Duration coarse, int maxRows) {

  public SeriesBuckets {
    if (fine.isNegative() || fine.isZero() || coarse.compareTo(fine) < 0) {
      throw new IllegalArgumentException("bucket widths must be positive, coarse >= fine");
    }
    if (coarse.toMillis() % fine.toMillis() != 0
        || Duration.ofDays(1).toMillis() % coarse.toMillis() != 0) {
      throw new IllegalArgumentException(
          "the coarse bucket must be a multiple of the fine one, and divide a day");
    }
    if (fineFor.isNegative() || maxRows < 1) {
      throw new IllegalArgumentException("fineFor must be >= 0 and maxRows >= 1");
    }
  }

  /**
   * The start of the row that {@code at} is written to, for a phase that started at {@code start}.
   */
  public Instant bucketOf(Instant start, Instant at) {
    Instant t = at.isBefore(start) ? start : at;
    long index = index(start, t);
    return index < maxRows - 1 ? floorOf(start, t) : startOf(start, maxRows - 1);
  }

  /** Where the row starting at {@code bucket} ends; null for the last row (it stays open). */
  public Instant endOf(Instant start, Instant bucket) {
    long index = index(start, bucket);
    if (index >= maxRows - 1) {
      return null;
    }
    return bucket.plus(bucket.isBefore(fineEnd(start)) ? fine : coarse);
  }

  private Instant floorOf(Instant start, Instant t) {
    return t.isBefore(fineEnd(start)) ? floor(t, fine) : floor(t, coarse);
  }

  private long index(Instant start, Instant t) {
    Instant first = floor(start, fine);
    Instant fineEnd = fineEnd(start);
    if (t.isBefore(fineEnd)) {
      return (floor(t, fine).toEpochMilli() - first.toEpochMilli()) / fine.toMillis();
    }
    long fineRows = (fineEnd.toEpochMilli() - first.toEpochMilli()) / fine.toMillis();
    return fineRows
        + (floor(t, coarse).toEpochMilli() - fineEnd.toEpochMilli()) / coarse.toMillis();
  }

  private Instant startOf(Instant start, long index) {
    Instant first = floor(start, fine);
    Instant fineEnd = fineEnd(start);
    long fineRows = (fineEnd.toEpochMilli() - first.toEpochMilli()) / fine.toMillis();
    return index < fineRows
        ? first.plusMillis(index * fine.toMillis())
        : fineEnd.plusMillis((index - fineRows) * coarse.toMillis());
  }

  /** The first whole coarse boundary at least fineFor after the start. */
  private Instant fineEnd(Instant start) {
    Instant end = start.plus(fineFor);
    Instant floor = floor(end, coarse);
    return floor.equals(end) ? end : floor.plus(coarse);
  }

  private static Instant floor(Instant t, Duration width) {
    long w = width.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), w) * w);
  }
}
