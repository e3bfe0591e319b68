package org.abtest.analytics.units;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Metric events held for a while in case an exposure they belong to arrives after them (clock skew,
 * another device, another producer). Bounded three ways: by hold time (stream time), by events per
 * unit and by events in total; the oldest go first. Every metric event is held, also when it
 * already counted for one experiment, because the unit may yet be exposed to another.
 */
final class PendingEvents {

  /** One held event; {@code live} turns false when a bound pushes it out before it expires. */
  static final class Held {
    final long unit;
    final String event;
    final double value;
    final long ts;
    final long arrival;
    boolean live = true;

    Held(long unit, String event, double value, long ts, long arrival) {
      this.unit = unit;
      this.event = event;
      this.value = value;
      this.ts = ts;
      this.arrival = arrival;
    }
  }

  private final long holdMillis;
  private final int perUnit;
  private final int total;
  private final Deque<Held> fifo = new ArrayDeque<>();
  private final Map<Long, Deque<Held>> byUnit = new HashMap<>();
  private int live;

  PendingEvents(long holdMillis, int perUnit, int total) {
    this.holdMillis = holdMillis;
    this.perUnit = perUnit;
    this.total = total;
  }

  void hold(Held h) {
    if (holdMillis <= 0 || perUnit <= 0 || total <= 0) {
      return;
    }
    Deque<Held> mine = byUnit.computeIfAbsent(h.unit, u -> new ArrayDeque<>(4));
    if (mine.size() >= perUnit) {
      drop(mine.removeFirst());
    }
    mine.addLast(h);
    fifo.addLast(h);
    live++;
    while (live > total) {
      Held oldest = fifo.removeFirst();
      if (oldest.live) {
        removeFromUnit(oldest);
        drop(oldest);
      }
    }
  }

  /** Calls {@code action} for the unit's held events, oldest first. */
  void forUnit(long unit, Consumer<Held> action) {
    Deque<Held> mine = byUnit.get(unit);
    if (mine != null) {
      mine.forEach(action);
    }
  }

  /** Forgets events that arrived more than the hold time before {@code streamTime}. */
  void expire(long streamTime) {
    while (!fifo.isEmpty()) {
      Held h = fifo.peekFirst();
      if (h.live && h.arrival + holdMillis > streamTime) {
        return;
      }
      fifo.removeFirst();
      if (h.live) {
        removeFromUnit(h);
        drop(h);
      }
    }
  }

  private void removeFromUnit(Held h) {
    Deque<Held> mine = byUnit.get(h.unit);
    mine.remove(h);
    if (mine.isEmpty()) {
      byUnit.remove(h.unit);
    }
  }

  private void drop(Held h) {
    h.live = false;
    live--;
  }

  int size() {
    return live;
  }

  /** Live held events, oldest first, for snapshots. */
  void forEachLive(Consumer<Held> action) {
    for (Held h : fifo) {
      if (h.live) {
        action.accept(h);
      }
    }
  }
}
