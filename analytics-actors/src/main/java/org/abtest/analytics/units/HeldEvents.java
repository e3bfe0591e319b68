package org.abtest.analytics.units;

import java.util.Arrays;

/**
 * Metric events waiting for an exposure that may arrive after them (clock skew, another device,
 * another producer), in a ring of primitive arrays: 32 bytes per event, where a boxed event with
 * its deques and map entries cost about 170 and a 1 GB node died of it under load.
 *
 * <p>Bounded three ways, the oldest going first: by hold time (stream time, never a client's ts),
 * by events per unit and by ring slots in total. A slot freed by the per-unit bound stays in the
 * ring until it reaches the head, so the total bound counts those slots too: under a flood of one
 * unit's events fewer than {@code total} events may be live, never more.
 *
 * <p>Each slot: unit, value, ts with the interned event type in its low 16 bits (ts is clamped to
 * ±2^47 ms, past year 6400), arrival relative to a base as an int, and one int link: the unit's
 * next newer slot (24 bits), its sequence number within the unit (7 bits) and a dead bit. A unit's
 * slots form a circular list reached from its newest slot, so that appending, dropping its oldest
 * and counting them are all O(1).
 */
final class HeldEvents implements LongIndex.Keys {

  /** What {@link #forUnit} hands over: one held event. */
  interface Visitor {
    void held(String type, double value, long ts);
  }

  /** What {@link #forEachSlot} hands over, oldest first: a live event, or a freed slot. */
  interface SlotVisitor {
    void held(long unit, String type, double value, long ts, long arrival);

    void freed(long arrival);
  }

  static final int MAX_SLOTS = 1 << 24;
  static final int MAX_PER_UNIT = 127;
  static final long TS_MAX = (1L << 47) - 1;
  static final long TS_MIN = -(1L << 47);
  private static final int NEXT = (1 << 24) - 1;
  private static final int DEAD = 1 << 31;
  private static final long REBASE = Integer.MAX_VALUE;
  private static final int MIN_SLOTS = 1024;

  /** The longest hold: an arrival offset must fit an int after rebasing to the oldest slot. */
  static final long MAX_HOLD_MILLIS = Integer.MAX_VALUE / 2;

  private final long holdMillis;
  private final int perUnit;
  private final int total;
  private final EventTypes types;
  private final UnitIndex index = new UnitIndex();
  private long[] unit = new long[0];
  private double[] value = new double[0];
  private long[] tsType = new long[0];
  private int[] arrival = new int[0];
  private int[] link = new int[0];
  private int head;
  private int occupied;
  private int live;
  private long base = Long.MIN_VALUE;
  private long evicted;

  HeldEvents(long holdMillis, int perUnit, int total, EventTypes types) {
    this.holdMillis = Math.min(holdMillis, MAX_HOLD_MILLIS);
    this.perUnit = Math.min(perUnit, MAX_PER_UNIT);
    this.total = Math.min(total, MAX_SLOTS);
    this.types = types;
  }

  boolean enabled() {
    return holdMillis > 0 && perUnit > 0 && total > 0;
  }

  @Override
  public long keyAt(int slot) {
    return unit[slot];
  }

  /** Holds one event; false when it cannot be (holding is off, or the type table is full). */
  boolean hold(long u, String type, double v, long ts, long at) {
    if (!enabled()) {
      return false;
    }
    int typeId = types.id(type);
    if (typeId < 0) {
      return false;
    }
    makeRoom(at);
    int tail = index.find(u, this);
    if (tail >= 0 && count(tail) >= perUnit) {
      tail = dropOldestOf(tail);
    }
    int s = slotAt(occupied++);
    live++;
    unit[s] = u;
    value[s] = v;
    tsType[s] = Math.max(TS_MIN, Math.min(TS_MAX, ts)) << 16 | typeId;
    arrival[s] = (int) (at - base);
    if (tail < 0) {
      link[s] = s;
      index.put(u, s, this);
    } else {
      link[s] = ((seq(tail) + 1) & MAX_PER_UNIT) << 24 | next(tail);
      link[tail] = (link[tail] & ~NEXT) | s;
      index.put(u, s, this);
    }
    return true;
  }

  /**
   * Appends a slot freed by the per-unit bound, as a snapshot records it: it still takes its place
   * in the ring until it reaches the head, so a restored ring evicts exactly when the live one
   * would have.
   */
  void appendFreed(long at) {
    if (!enabled()) {
      return;
    }
    makeRoom(at);
    int s = slotAt(occupied++);
    arrival[s] = (int) (at - base);
    link[s] = DEAD;
  }

  private void makeRoom(long at) {
    expire(at);
    if (base == Long.MIN_VALUE || at - base >= REBASE) {
      rebase(at);
    }
    if (occupied == unit.length) {
      if (unit.length < total) {
        grow();
      } else {
        popHead(true);
      }
    }
  }

  /** Calls {@code visitor} for the unit's held events, oldest first. */
  void forUnit(long u, Visitor visitor) {
    int tail = index.find(u, this);
    if (tail < 0) {
      return;
    }
    int s = next(tail);
    while (true) {
      visitor.held(types.name((int) (tsType[s] & 0xffff)), value[s], tsType[s] >> 16);
      if (s == tail) {
        return;
      }
      s = next(s);
    }
  }

  /** Forgets events that arrived more than the hold time before {@code streamTime}. */
  void expire(long streamTime) {
    while (occupied > 0
        && ((link[head] & DEAD) != 0 || base + arrival[head] + holdMillis <= streamTime)) {
      popHead(false);
    }
    // after a burst, give the memory back (a quarter full: halving cannot make it grow again soon)
    if (unit.length > MIN_SLOTS && occupied < unit.length / 4) {
      int smaller = unit.length;
      while (smaller > MIN_SLOTS && occupied < smaller / 4) {
        smaller /= 2;
      }
      resize(Math.max(MIN_SLOTS, smaller));
    }
  }

  int size() {
    return live;
  }

  /** Live events pushed out by the total bound before their hold time ran out. */
  long evicted() {
    return evicted;
  }

  long bytes() {
    return 32L * unit.length + index.bytes();
  }

  /** Every slot of the ring, oldest first, for snapshots. */
  void forEachSlot(SlotVisitor visitor) {
    for (int i = 0; i < occupied; i++) {
      int s = slotAt(i);
      if ((link[s] & DEAD) == 0) {
        visitor.held(
            unit[s],
            types.name((int) (tsType[s] & 0xffff)),
            value[s],
            tsType[s] >> 16,
            base + arrival[s]);
      } else {
        visitor.freed(base + arrival[s]);
      }
    }
  }

  /** Ring slots taken, freed ones included. */
  int occupied() {
    return occupied;
  }

  private int slotAt(int i) {
    int s = head + i;
    return s >= unit.length ? s - unit.length : s;
  }

  private int next(int s) {
    return link[s] & NEXT;
  }

  private int seq(int s) {
    return (link[s] >>> 24) & MAX_PER_UNIT;
  }

  private int count(int tail) {
    return ((seq(tail) - seq(next(tail))) & MAX_PER_UNIT) + 1;
  }

  /** Drops the unit's oldest event; returns its newest slot, or -1 when none is left. */
  private int dropOldestOf(int tail) {
    int oldest = next(tail);
    link[oldest] |= DEAD;
    live--;
    if (oldest == tail) {
      index.remove(unit[tail], this);
      return -1;
    }
    link[tail] = (link[tail] & ~NEXT) | next(oldest);
    return tail;
  }

  private void popHead(boolean evict) {
    int s = head;
    head = head + 1 == unit.length ? 0 : head + 1;
    occupied--;
    if ((link[s] & DEAD) != 0) {
      return;
    }
    live--;
    if (evict) {
      evicted++;
    }
    // a unit's slots are in arrival order, so the ring's oldest is its unit's oldest
    int tail = index.find(unit[s], this);
    if (tail == s) {
      index.remove(unit[s], this);
    } else {
      link[tail] = (link[tail] & ~NEXT) | next(s);
    }
    link[s] = DEAD;
  }

  /** Moves the arrival base to the oldest slot (or {@code at}) so that offsets fit an int. */
  private void rebase(long at) {
    long to = occupied == 0 ? at : base + arrival[head];
    for (int i = 0; i < occupied; i++) {
      int s = slotAt(i);
      arrival[s] = (int) (base + arrival[s] - to);
    }
    base = to;
  }

  private void grow() {
    resize((int) Math.min(total, Math.max(MIN_SLOTS, 2L * unit.length)));
  }

  /** Copies the ring into {@code bigger} slots, unrolled so that the oldest is slot 0. */
  private void resize(int bigger) {
    int cap = unit.length;
    long[] u = new long[bigger];
    double[] v = new double[bigger];
    long[] t = new long[bigger];
    int[] a = new int[bigger];
    int[] l = new int[bigger];
    for (int i = 0; i < occupied; i++) {
      int s = slotAt(i);
      u[i] = unit[s];
      v[i] = value[s];
      t[i] = tsType[s];
      a[i] = arrival[s];
      int n = next(s);
      l[i] = (link[s] & ~NEXT) | (n - head + cap) % cap;
    }
    int oldHead = head;
    unit = u;
    value = v;
    tsType = t;
    arrival = a;
    link = l;
    head = 0;
    index.remap(s -> (s - oldHead + cap) % cap);
  }

  @Override
  public String toString() {
    return "HeldEvents" + Arrays.toString(new long[] {live, occupied, unit.length});
  }
}
