package org.abtest.analytics.units;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Event ids seen within a window of stream time, as 128-bit fingerprints (murmur3 x64 128 of the
 * id's UTF-8): exact but for a false duplicate with probability about n / 2^128 per event, n being
 * the ids in the window (below 10^-28 at 10^10 ids). Kept in time buckets: the current one open
 * ({@link OpenFingerprints}), the past ones compacted ({@link ClosedFingerprints}, 17–18 bytes an
 * id); a whole bucket goes once it is older than the window, so memory follows the event rate times
 * the window, never the age of the stream. Stream time (the log's record times), not wall time,
 * keeps a replay of the log deciding exactly as the live run did.
 *
 * <p>A snapshot of the layout before fingerprints (version 3 and older) held 64-bit hashes, the
 * first half of the same murmur3: those buckets are kept as they were ({@link LongSet}) and match
 * an id by its first half until they expire, a day later at most.
 */
final class DedupWindow {

  /** A bucket of 64-bit hashes restored from an old snapshot. */
  record LegacyBucket(long start, LongSet ids) {}

  private final long windowMillis;
  private final long bucketMillis;
  private final Deque<ClosedFingerprints> closed = new ArrayDeque<>();
  private final Deque<LegacyBucket> legacy = new ArrayDeque<>();
  private OpenFingerprints open;

  DedupWindow(long windowMillis, int bucketCount) {
    this.windowMillis = windowMillis;
    this.bucketMillis = Math.max(1, windowMillis / Math.max(1, bucketCount));
  }

  /** The id's fingerprint: two longs, never both zero. */
  static long[] fingerprint(String eventId) {
    byte[] bytes = eventId.getBytes(StandardCharsets.UTF_8);
    long[] h = MurmurHash3.hash128x64(bytes, 0, bytes.length, 0x5eed);
    if (h[0] == 0 && h[1] == 0) {
      h[1] = 1;
    }
    return h;
  }

  /** True the first time an id is seen inside the window; false for a duplicate. */
  boolean firstSeen(String eventId, long streamTime) {
    long[] f = fingerprint(eventId);
    return firstSeen(f[0], f[1], streamTime);
  }

  boolean firstSeen(long hi, long lo, long streamTime) {
    expire(streamTime);
    if (open != null && open.contains(hi, lo)) {
      return false;
    }
    for (ClosedFingerprints b : closed) {
      if (b.contains(hi, lo)) {
        return false;
      }
    }
    for (LegacyBucket b : legacy) {
      if (b.ids().contains(hi)) {
        return false;
      }
    }
    long start = streamTime - Math.floorMod(streamTime, bucketMillis);
    if (open == null || open.start() != start) {
      int expected = 1024;
      if (open != null) {
        expected = Math.max(expected, open.size());
        closed.addLast(open.close());
      }
      open = new OpenFingerprints(start, expected);
    }
    open.add(hi, lo);
    return true;
  }

  private boolean expired(long start, long streamTime) {
    return start + bucketMillis + windowMillis <= streamTime;
  }

  private void expire(long streamTime) {
    while (!closed.isEmpty() && expired(closed.peekFirst().start(), streamTime)) {
      closed.removeFirst();
    }
    while (!legacy.isEmpty() && expired(legacy.peekFirst().start(), streamTime)) {
      legacy.removeFirst();
    }
    if (open != null && expired(open.start(), streamTime)) {
      open = null;
    }
  }

  /** Every bucket, oldest first, for snapshots (the open one stays open). */
  List<Fingerprints> buckets() {
    List<Fingerprints> all = new ArrayList<>(closed);
    if (open != null) {
      all.add(open);
    }
    return all;
  }

  Deque<LegacyBucket> legacyBuckets() {
    return legacy;
  }

  void restore(ClosedFingerprints bucket) {
    closed.addLast(bucket);
  }

  void restoreLegacy(long start, long[] ids) {
    LongSet set = new LongSet(ids.length);
    for (long id : ids) {
      set.add(id);
    }
    legacy.addLast(new LegacyBucket(start, set));
  }

  /** Ids remembered. */
  long size() {
    long n = open == null ? 0 : open.size();
    for (ClosedFingerprints b : closed) {
      n += b.size();
    }
    for (LegacyBucket b : legacy) {
      n += b.ids().size();
    }
    return n;
  }

  long bytes() {
    long n = open == null ? 0 : open.bytes();
    for (ClosedFingerprints b : closed) {
      n += b.bytes();
    }
    for (LegacyBucket b : legacy) {
      n += b.ids().bytes();
    }
    return n;
  }
}
