package org.abtest.analytics.units;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Recent metric events per unit and event type, kept so that a unit's CUPED covariate (its metric
 * value over a lookback window before its first exposure) can be computed when that exposure
 * arrives. Shared by every experiment of the partition: a metric event names no experiment.
 *
 * <p>Bounded by units, never by events or time: per unit and event type at most {@code perUnit}
 * events one by one (by timestamp, the newest), the older ones folded into one sum with the
 * timestamps of its oldest and newest event; everything older (by event time) than the stream time
 * minus {@code retention} is forgotten, and a unit with nothing left goes at the next hourly sweep.
 * The fold counts for a window only when it lies wholly inside it (for a proportion, when one of
 * its ends does), so a unit with more than {@code perUnit} events in its window may get a smaller
 * covariate: CUPED stays unbiased with any pre-exposure covariate, it only reduces less variance.
 *
 * <p>What a lookup sees depends only on the log, not on when sweeps ran: insertion first drops the
 * unit's expired events, and lookups ignore expired ones, exactly what a sweep removes.
 *
 * <p>Mutable on purpose, like the rest of unit state (owned by one partition actor).
 */
final class CovariateHistory implements LongIndex.Keys {

  static final long NONE = Long.MAX_VALUE;
  private static final long HOUR = 3_600_000L;

  private final int k;
  private final long retention;
  private final long futureSkew;
  private final int maxEntries;
  private long future;
  private long refused;
  private LongIndex index;
  int size;
  long[] keys;
  byte[] count;
  long[] ts; // k per slot, ascending
  double[] values; // k per slot
  double[] foldSum;
  long[] foldFrom; // NONE: no fold
  long[] foldTo;
  private long sweptHour = Long.MIN_VALUE;
  // event types are few (those experiments use); the cap only guards against a caller that keeps
  // every type
  private static final int TYPE_CACHE = 1024;
  private final Map<String, Long> typeHashes = new HashMap<>();

  /**
   * @param futureSkewMillis events dated more than this after the stream time are not kept: every
   *     kept event is then forgotten within {@code retention + futureSkew} of stream time
   * @param maxEntries past this many units × types a new entry is refused
   */
  CovariateHistory(int perUnit, long retentionMillis, long futureSkewMillis, int maxEntries) {
    this.k = Math.max(0, Math.min(perUnit, 127));
    this.retention = retentionMillis;
    this.futureSkew = futureSkewMillis;
    this.maxEntries = maxEntries;
    allocate(16);
  }

  private void allocate(int cap) {
    index = new LongIndex(cap);
    keys = new long[cap];
    count = new byte[cap];
    ts = new long[cap * k];
    values = new double[cap * k];
    foldSum = new double[cap];
    foldFrom = new long[cap];
    foldTo = new long[cap];
    size = 0;
  }

  boolean enabled() {
    return k > 0 && retention > 0;
  }

  @Override
  public long keyAt(int slot) {
    return keys[slot];
  }

  /** Earliest event time still kept at {@code streamTime}. */
  long horizon(long streamTime) {
    return streamTime == Long.MIN_VALUE ? Long.MIN_VALUE : streamTime - retention;
  }

  /** Records a metric event of {@code unit}; {@code streamTime} is the log time now. */
  void record(long unit, String type, double value, long at, long streamTime) {
    if (!enabled()) {
      return;
    }
    long horizon = horizon(streamTime);
    if (at < horizon) {
      return; // no exposure processed from now on can have it in its window
    }
    if (at
        > (streamTime > Long.MAX_VALUE - futureSkew ? Long.MAX_VALUE : streamTime + futureSkew)) {
      future++;
      return;
    }
    if (streamTime / HOUR != sweptHour) {
      sweep(horizon);
      sweptHour = streamTime / HOUR;
    }
    long key = key(unit, type);
    int slot = index.find(key, this);
    if (slot < 0) {
      if (size >= maxEntries) {
        refused++;
        return;
      }
      slot = newSlot(key);
    } else {
      prune(slot, horizon);
    }
    insert(slot, at, value);
  }

  private int newSlot(long key) {
    if (size == keys.length) {
      int cap = keys.length + (keys.length >> 1);
      keys = Arrays.copyOf(keys, cap);
      count = Arrays.copyOf(count, cap);
      ts = Arrays.copyOf(ts, cap * k);
      values = Arrays.copyOf(values, cap * k);
      foldSum = Arrays.copyOf(foldSum, cap);
      foldFrom = Arrays.copyOf(foldFrom, cap);
      foldTo = Arrays.copyOf(foldTo, cap);
    }
    int slot = size++;
    keys[slot] = key;
    count[slot] = 0;
    foldSum[slot] = 0;
    foldFrom[slot] = NONE;
    foldTo[slot] = NONE;
    index.add(key, slot, this);
    return slot;
  }

  /** Keeps the newest {@code k} by timestamp (ties: the later arrival is newer); folds the rest. */
  private void insert(int slot, long at, double value) {
    int base = slot * k;
    int n = count[slot];
    if (n == k) {
      if (at < ts[base]) {
        fold(slot, at, value);
        return;
      }
      fold(slot, ts[base], values[base]);
      System.arraycopy(ts, base + 1, ts, base, n - 1);
      System.arraycopy(values, base + 1, values, base, n - 1);
      n--;
    }
    int i = n;
    while (i > 0 && ts[base + i - 1] > at) {
      ts[base + i] = ts[base + i - 1];
      values[base + i] = values[base + i - 1];
      i--;
    }
    ts[base + i] = at;
    values[base + i] = value;
    count[slot] = (byte) (n + 1);
  }

  private void fold(int slot, long at, double value) {
    foldSum[slot] += value;
    foldFrom[slot] = foldFrom[slot] == NONE ? at : Math.min(foldFrom[slot], at);
    foldTo[slot] = foldTo[slot] == NONE ? at : Math.max(foldTo[slot], at);
  }

  /** Drops the slot's events older than {@code horizon}, and its fold once all of it is. */
  private void prune(int slot, long horizon) {
    int base = slot * k;
    int n = count[slot];
    int drop = 0;
    while (drop < n && ts[base + drop] < horizon) {
      drop++;
    }
    if (drop > 0) {
      System.arraycopy(ts, base + drop, ts, base, n - drop);
      System.arraycopy(values, base + drop, values, base, n - drop);
      count[slot] = (byte) (n - drop);
    }
    if (foldTo[slot] != NONE && foldTo[slot] < horizon) {
      foldSum[slot] = 0;
      foldFrom[slot] = NONE;
      foldTo[slot] = NONE;
    }
  }

  /**
   * The unit's covariate for one metric: over its events of {@code type} with a timestamp in {@code
   * [from, to)} (and not older than the horizon), 1 if there is one (proportion) or the sum of
   * their values (mean).
   */
  double covariate(
      long unit, String type, boolean proportion, long from, long to, long streamTime) {
    if (!enabled()) {
      return 0;
    }
    int slot = index.find(key(unit, type), this);
    if (slot < 0) {
      return 0;
    }
    long lo = Math.max(from, horizon(streamTime));
    int base = slot * k;
    double sum = 0;
    boolean any = false;
    for (int i = 0; i < count[slot]; i++) {
      long at = ts[base + i];
      if (at >= lo && at < to) {
        sum += values[base + i];
        any = true;
      }
    }
    long f = foldFrom[slot];
    long t = foldTo[slot];
    if (f != NONE) {
      if (f >= lo && t < to) {
        sum += foldSum[slot];
        any = true;
      } else if (proportion && ((f >= lo && f < to) || (t >= lo && t < to))) {
        any = true;
      }
    }
    return proportion ? (any ? 1.0 : 0.0) : sum;
  }

  /** Drops expired events and the entries left empty, and rebuilds the index. */
  private void sweep(long horizon) {
    int live = 0;
    for (int slot = 0; slot < size; slot++) {
      prune(slot, horizon);
      if (count[slot] > 0 || foldFrom[slot] != NONE) {
        live++;
      }
    }
    if (live == size) {
      return;
    }
    long[] oldKeys = keys;
    byte[] oldCount = count;
    long[] oldTs = ts;
    double[] oldValues = values;
    double[] oldSum = foldSum;
    long[] oldFrom = foldFrom;
    long[] oldTo = foldTo;
    int oldSize = size;
    allocate(Math.max(16, live + (live >> 2)));
    for (int o = 0; o < oldSize; o++) {
      if (oldCount[o] == 0 && oldFrom[o] == NONE) {
        continue;
      }
      int slot = newSlot(oldKeys[o]);
      count[slot] = oldCount[o];
      System.arraycopy(oldTs, o * k, ts, slot * k, k);
      System.arraycopy(oldValues, o * k, values, slot * k, k);
      foldSum[slot] = oldSum[o];
      foldFrom[slot] = oldFrom[o];
      foldTo[slot] = oldTo[o];
    }
  }

  /** Restores one entry of a snapshot (taken with any {@code perUnit}). */
  void restore(long key, long[] at, double[] value, double sum, long from, long to) {
    if (!enabled()) {
      return;
    }
    int slot = newSlot(key);
    for (int i = 0; i < at.length; i++) {
      insert(slot, at[i], value[i]);
    }
    if (from != NONE) {
      foldSum[slot] += sum;
      foldFrom[slot] = foldFrom[slot] == NONE ? from : Math.min(foldFrom[slot], from);
      foldTo[slot] = foldTo[slot] == NONE ? to : Math.max(foldTo[slot], to);
    }
  }

  /** Marks the hour of {@code streamTime} as swept (a restored state was swept when encoded). */
  void sweptAt(long streamTime) {
    sweptHour = streamTime / HOUR;
  }

  int entries() {
    return size;
  }

  /** Events not kept because their ts was more than the future skew after the stream time. */
  long futureEvents() {
    return future;
  }

  /** Events not kept because the entry cap was reached. */
  long refusedEntries() {
    return refused;
  }

  int perUnit() {
    return k;
  }

  /** Heap bytes of the entries' arrays and the index. */
  long bytes() {
    return (8L + 1 + 16L * k + 24) * keys.length + index.bytes();
  }

  /** The entry key of a unit's events of one type: its keyed hash mixed with the type's hash. */
  private long key(long unit, String type) {
    Long hash = typeHashes.get(type);
    if (hash == null) {
      hash = typeHash(type);
      if (typeHashes.size() < TYPE_CACHE) {
        typeHashes.put(type, hash);
      }
    }
    return unit ^ hash;
  }

  static long typeHash(String type) {
    byte[] bytes = type.getBytes(StandardCharsets.UTF_8);
    return MurmurHash3.hash128x64(bytes, 0, bytes.length, 0x7e57)[0];
  }
}
