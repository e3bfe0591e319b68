package org.abtest.analytics.units;

/**
 * The dedup window's current bucket: 128-bit fingerprints in open addressing over two parallel
 * {@code long[]} (16 bytes a bucket, (0, 0) standing for empty, a fingerprint the window never
 * passes). Closed into {@link ClosedFingerprints} once stream time moves past its bucket, so only
 * this one bucket of the window pays for spare capacity.
 */
final class OpenFingerprints implements Fingerprints {

  private final long start;
  private long[] hi;
  private long[] lo;
  private int size;

  OpenFingerprints(long start, int expected) {
    this.start = start;
    int cap = Integer.highestOneBit(Math.max(16, expected + (expected >> 1))) << 1;
    hi = new long[cap];
    lo = new long[cap];
  }

  boolean contains(long h, long l) {
    int mask = hi.length - 1;
    for (int i = (int) (h >>> 40) & mask; hi[i] != 0 || lo[i] != 0; i = (i + 1) & mask) {
      if (hi[i] == h && lo[i] == l) {
        return true;
      }
    }
    return false;
  }

  /** Adds a fingerprint known to be absent. */
  void add(long h, long l) {
    if ((size + 1) * 4L > hi.length * 3L) {
      grow();
    }
    place(hi, lo, h, l);
    size++;
  }

  @Override
  public long start() {
    return start;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public void forEach(Visitor visitor) {
    for (int i = 0; i < hi.length; i++) {
      if (hi[i] != 0 || lo[i] != 0) {
        visitor.fingerprint(hi[i], lo[i]);
      }
    }
  }

  long bytes() {
    return 16L * hi.length;
  }

  ClosedFingerprints close() {
    return ClosedFingerprints.of(start, hi, lo, size);
  }

  private static void place(long[] hs, long[] ls, long h, long l) {
    int mask = hs.length - 1;
    int i = (int) (h >>> 40) & mask;
    while (hs[i] != 0 || ls[i] != 0) {
      i = (i + 1) & mask;
    }
    hs[i] = h;
    ls[i] = l;
  }

  private void grow() {
    long[] hs = new long[hi.length * 2];
    long[] ls = new long[hi.length * 2];
    for (int i = 0; i < hi.length; i++) {
      if (hi[i] != 0 || lo[i] != 0) {
        place(hs, ls, hi[i], lo[i]);
      }
    }
    hi = hs;
    lo = ls;
  }
}
