package org.abtest.analytics.units;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Remembers 64-bit hashes of event ids for a window of stream time, in time buckets: a whole bucket
 * is dropped once it is older than the window, so memory is bounded by the event rate times the
 * window, never by the age of the stream. Stream time (the log's record times) rather than wall
 * time keeps a replay of the log deciding exactly as the live run did.
 */
final class EventIdWindow {

  /** One bucket: ids first seen in [start, start + bucket). */
  record Bucket(long start, LongSet ids) {}

  private final long windowMillis;
  private final long bucketMillis;
  private final Deque<Bucket> buckets = new ArrayDeque<>();

  EventIdWindow(long windowMillis, int bucketCount) {
    this.windowMillis = windowMillis;
    this.bucketMillis = Math.max(1, windowMillis / bucketCount);
  }

  /** True the first time an id is seen inside the window; false for a duplicate. */
  boolean firstSeen(long idHash, long streamTime) {
    expire(streamTime);
    for (Bucket b : buckets) {
      if (b.ids().contains(idHash)) {
        return false;
      }
    }
    long start = streamTime - Math.floorMod(streamTime, bucketMillis);
    Bucket last = buckets.peekLast();
    if (last == null || last.start() != start) {
      last = new Bucket(start, new LongSet(1024));
      buckets.addLast(last);
    }
    last.ids().add(idHash);
    return true;
  }

  private void expire(long streamTime) {
    while (!buckets.isEmpty()
        && buckets.peekFirst().start() + bucketMillis + windowMillis <= streamTime) {
      buckets.removeFirst();
    }
  }

  Deque<Bucket> buckets() {
    return buckets;
  }

  void restore(long start, long[] ids) {
    LongSet set = new LongSet(ids.length);
    for (long id : ids) {
      set.add(id);
    }
    buckets.addLast(new Bucket(start, set));
  }

  long bytes() {
    long total = 0;
    for (Bucket b : buckets) {
      total += b.ids().bytes();
    }
    return total;
  }
}
