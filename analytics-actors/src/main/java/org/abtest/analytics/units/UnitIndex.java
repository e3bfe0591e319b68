package org.abtest.analytics.units;

import java.util.function.IntUnaryOperator;

/**
 * Like {@link LongIndex}, an open-addressing index from a 64-bit key to a slot in the caller's
 * arrays, but whose entries can be repointed and removed (backward-shift deletion, so lookups never
 * meet tombstones): held events come and go, where units in a table only ever arrive.
 */
final class UnitIndex {

  private int[] buckets = new int[16]; // slot + 1, 0 = empty
  private int size;

  /** The slot of {@code key}, or -1. */
  int find(long key, LongIndex.Keys keys) {
    int i = position(key, keys);
    return buckets[i] - 1;
  }

  /** Points {@code key} at {@code slot}, adding it when absent. */
  void put(long key, int slot, LongIndex.Keys keys) {
    int i = position(key, keys);
    if (buckets[i] != 0) {
      buckets[i] = slot + 1;
      return;
    }
    if ((size + 1) * 4L > buckets.length * 3L) {
      grow(keys);
      i = position(key, keys);
    }
    buckets[i] = slot + 1;
    size++;
  }

  void remove(long key, LongIndex.Keys keys) {
    int mask = buckets.length - 1;
    int i = position(key, keys);
    if (buckets[i] == 0) {
      return;
    }
    buckets[i] = 0;
    size--;
    if (buckets.length > 16 && size * 8L < buckets.length) {
      rehash(buckets.length / 2, keys); // gives a burst's memory back
      return;
    }
    // shift later members of the probe run back, so none sits behind the gap
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      if (buckets[j] == 0) {
        return;
      }
      int home = spread(keys.keyAt(buckets[j] - 1)) & mask;
      if (((j - home) & mask) >= ((j - i) & mask)) {
        buckets[i] = buckets[j];
        buckets[j] = 0;
        i = j;
      }
    }
  }

  /** Renumbers every slot (the caller moved its arrays); keys stay where they hash. */
  void remap(IntUnaryOperator slots) {
    for (int i = 0; i < buckets.length; i++) {
      if (buckets[i] != 0) {
        buckets[i] = slots.applyAsInt(buckets[i] - 1) + 1;
      }
    }
  }

  int size() {
    return size;
  }

  long bytes() {
    return 4L * buckets.length;
  }

  /** The bucket holding {@code key}, or the empty one where it would go. */
  private int position(long key, LongIndex.Keys keys) {
    int mask = buckets.length - 1;
    int i = spread(key) & mask;
    while (buckets[i] != 0 && keys.keyAt(buckets[i] - 1) != key) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private void grow(LongIndex.Keys keys) {
    rehash(buckets.length * 2, keys);
  }

  private void rehash(int length, LongIndex.Keys keys) {
    int[] old = buckets;
    buckets = new int[length];
    int mask = buckets.length - 1;
    for (int b : old) {
      if (b != 0) {
        int i = spread(keys.keyAt(b - 1)) & mask;
        while (buckets[i] != 0) {
          i = (i + 1) & mask;
        }
        buckets[i] = b;
      }
    }
  }

  private static int spread(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
