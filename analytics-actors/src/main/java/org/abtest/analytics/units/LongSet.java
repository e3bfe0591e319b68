package org.abtest.analytics.units;

/** An open-addressing set of 64-bit hashes in one {@code long[]} (0 stands for empty). */
final class LongSet {

  private long[] table;
  private int size;

  LongSet(int expected) {
    table = new long[Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1];
  }

  /** Adds the hash; false when it was already there. */
  boolean add(long hash) {
    long h = hash == 0 ? 1 : hash;
    if ((size + 1) * 4L > table.length * 3L) {
      grow();
    }
    if (!place(table, h)) {
      return false;
    }
    size++;
    return true;
  }

  boolean contains(long hash) {
    long h = hash == 0 ? 1 : hash;
    int mask = table.length - 1;
    int i = spread(h) & mask;
    while (table[i] != 0) {
      if (table[i] == h) {
        return true;
      }
      i = (i + 1) & mask;
    }
    return false;
  }

  int size() {
    return size;
  }

  long bytes() {
    return 8L * table.length;
  }

  /** The members, in table order, for snapshots. */
  long[] toArray() {
    long[] out = new long[size];
    int n = 0;
    for (long h : table) {
      if (h != 0) {
        out[n++] = h;
      }
    }
    return out;
  }

  private static boolean place(long[] t, long h) {
    int mask = t.length - 1;
    int i = spread(h) & mask;
    while (t[i] != 0) {
      if (t[i] == h) {
        return false;
      }
      i = (i + 1) & mask;
    }
    t[i] = h;
    return true;
  }

  private void grow() {
    long[] bigger = new long[table.length * 2];
    for (long h : table) {
      if (h != 0) {
        place(bigger, h);
      }
    }
    table = bigger;
  }

  private static int spread(long h) {
    long x = h * 0x9E3779B97F4A7C15L;
    return (int) (x ^ (x >>> 32));
  }
}
