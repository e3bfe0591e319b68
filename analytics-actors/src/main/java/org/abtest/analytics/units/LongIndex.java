package org.abtest.analytics.units;

/**
 * An open-addressing index from a 64-bit key to a dense slot number, in one {@code int[]}: four
 * bytes per bucket instead of a boxed map entry, so that a million units cost megabytes, not tens.
 * Keys are stored by the caller in its own dense arrays; this only finds them.
 */
final class LongIndex {

  /** The caller's dense key array, read to confirm a probe hit. */
  interface Keys {
    long keyAt(int slot);
  }

  private int[] buckets; // slot + 1, 0 = empty
  private int mask;
  private int size;

  LongIndex(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    buckets = new int[cap];
    mask = cap - 1;
  }

  /** The slot holding {@code key}, or -1. */
  int find(long key, Keys keys) {
    int i = spread(key) & mask;
    while (true) {
      int b = buckets[i];
      if (b == 0) {
        return -1;
      }
      if (keys.keyAt(b - 1) == key) {
        return b - 1;
      }
      i = (i + 1) & mask;
    }
  }

  /** Records that {@code key} (not present) lives at {@code slot}. */
  void add(long key, int slot, Keys keys) {
    if ((size + 1) * 4L > buckets.length * 3L) {
      grow(keys);
    }
    place(key, slot);
    size++;
  }

  int size() {
    return size;
  }

  long bytes() {
    return 4L * buckets.length;
  }

  private void place(long key, int slot) {
    int i = spread(key) & mask;
    while (buckets[i] != 0) {
      i = (i + 1) & mask;
    }
    buckets[i] = slot + 1;
  }

  private void grow(Keys keys) {
    int[] old = buckets;
    buckets = new int[old.length * 2];
    mask = buckets.length - 1;
    for (int b : old) {
      if (b != 0) {
        place(keys.keyAt(b - 1), b - 1);
      }
    }
  }

  /** Unit hashes are already uniform, but cheap mixing protects against structured keys. */
  private static int spread(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
