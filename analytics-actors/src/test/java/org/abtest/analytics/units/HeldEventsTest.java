package org.abtest.analytics.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The primitive ring against a plain list with the same rules, under random operations. */
class HeldEventsTest {

  /** The reference: every slot in arrival order, dead ones included, as the ring keeps them. */
  private static final class NaiveHeld {
    record Slot(long unit, String type, double value, long ts, long arrival, boolean[] live) {}

    final long hold;
    final int perUnit;
    final int total;
    final List<Slot> slots = new ArrayList<>();
    long evicted;

    NaiveHeld(long hold, int perUnit, int total) {
      this.hold = hold;
      this.perUnit = perUnit;
      this.total = total;
    }

    void hold(long unit, String type, double value, long ts, long at) {
      expire(at);
      if (slots.size() == total) {
        Slot oldest = slots.remove(0);
        if (oldest.live()[0]) {
          evicted++;
        }
      }
      List<Slot> mine = live(unit);
      if (mine.size() >= perUnit) {
        mine.get(0).live()[0] = false;
      }
      long clamped = Math.max(HeldEvents.TS_MIN, Math.min(HeldEvents.TS_MAX, ts));
      slots.add(new Slot(unit, type, value, clamped, at, new boolean[] {true}));
    }

    void expire(long now) {
      Iterator<Slot> it = slots.iterator();
      while (it.hasNext()) {
        Slot s = it.next();
        if (s.live()[0] && s.arrival() + hold > now) {
          return;
        }
        it.remove();
      }
    }

    List<Slot> live(long unit) {
      return slots.stream().filter(s -> s.live()[0] && s.unit() == unit).toList();
    }

    int size() {
      return (int) slots.stream().filter(s -> s.live()[0]).count();
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void theRingHoldsWhatANaiveListHoldsUnderRandomOperations(long seed) {
    Random random = new Random(seed);
    int perUnit = 1 + random.nextInt(6);
    int total = 1 + random.nextInt(seed % 2 == 0 ? 40 : 3000);
    long hold = 1 + random.nextInt(5000);
    HeldEvents ring = new HeldEvents(hold, perUnit, total, new EventTypes());
    NaiveHeld naive = new NaiveHeld(hold, perUnit, total);
    long now = random.nextInt(1000);
    String[] types = {"buy", "view", "cart"};
    for (int op = 0; op < 20_000; op++) {
      now += random.nextInt(10) == 0 ? random.nextInt(400) : 0;
      long unit = random.nextInt(60) - 30;
      if (random.nextInt(4) == 0) {
        ring.expire(now);
        naive.expire(now);
      } else {
        String type = types[random.nextInt(types.length)];
        double value = random.nextInt(100) / 4.0;
        long ts = random.nextInt(50) == 0 ? Long.MAX_VALUE : now + random.nextInt(2000) - 1000;
        assertThat(ring.hold(unit, type, value, ts, now)).isTrue();
        naive.hold(unit, type, value, ts, now);
      }
      List<String> got = new ArrayList<>();
      ring.forUnit(unit, (t, v, at) -> got.add(t + "/" + v + "/" + at));
      assertThat(got)
          .isEqualTo(
              naive.live(unit).stream()
                  .map(s -> s.type() + "/" + s.value() + "/" + s.ts())
                  .toList());
      assertThat(ring.size()).isEqualTo(naive.size());
    }
    assertThat(live(ring))
        .isEqualTo(
            naive.slots.stream()
                .filter(s -> s.live()[0])
                .map(
                    s ->
                        s.unit()
                            + "/"
                            + s.type()
                            + "/"
                            + s.value()
                            + "/"
                            + s.ts()
                            + "/"
                            + s.arrival())
                .toList());
    assertThat(ring.evicted()).isEqualTo(naive.evicted);

    // a copy rebuilt slot by slot, as a snapshot does, goes on exactly as the original
    HeldEvents copy = new HeldEvents(hold, perUnit, total, new EventTypes());
    ring.forEachSlot(
        new HeldEvents.SlotVisitor() {
          @Override
          public void held(long unit, String type, double value, long ts, long arrival) {
            copy.hold(unit, type, value, ts, arrival);
          }

          @Override
          public void freed(long arrival) {
            copy.appendFreed(arrival);
          }
        });
    for (int op = 0; op < 5_000; op++) {
      now += random.nextInt(10) == 0 ? random.nextInt(400) : 0;
      long unit = random.nextInt(60) - 30;
      ring.hold(unit, "buy", op, now, now);
      copy.hold(unit, "buy", op, now, now);
      assertThat(copy.size()).isEqualTo(ring.size());
    }
    assertThat(live(copy)).isEqualTo(live(ring));
  }

  private static List<String> live(HeldEvents ring) {
    List<String> all = new ArrayList<>();
    ring.forEachSlot(
        new HeldEvents.SlotVisitor() {
          @Override
          public void held(long unit, String type, double value, long ts, long arrival) {
            all.add(unit + "/" + type + "/" + value + "/" + ts + "/" + arrival);
          }

          @Override
          public void freed(long arrival) {}
        });
    return all;
  }

  @Test
  void aHeldEventTakesAtMost32BytesBesidesItsUnitsIndexEntry() {
    int n = 1 << 20;
    HeldEvents ring = new HeldEvents(60_000, 64, n, new EventTypes());
    for (int i = 0; i < n; i++) {
      ring.hold(i / 16, "buy", i, i, 1000);
    }
    assertThat(ring.size()).isEqualTo(n);
    System.out.printf(
        "held events: %.1f bytes per event at %d events of %d units%n",
        (double) ring.bytes() / n, n, n / 16);
    // 16 events per unit: 65,536 units in an index of at most 4 bytes / 0.375 each
    assertThat(ring.bytes()).isLessThanOrEqualTo(32L * n + 4L * (n / 16) * 4);
  }

  @Test
  void eventsBeyondTheTotalBoundPushOutTheOldestAndAreCounted() {
    HeldEvents ring = new HeldEvents(60_000, 64, 3, new EventTypes());
    for (int i = 0; i < 5; i++) {
      ring.hold(i, "buy", i, i, 1000);
    }
    assertThat(ring.size()).isEqualTo(3);
    assertThat(ring.evicted()).isEqualTo(2);
    assertThat(live(ring)).extracting(s -> s.split("/")[0]).containsExactly("2", "3", "4");
  }

  @Test
  void aHoldLongerThanAnIntOfMillisStillExpiresAcrossARebase() {
    long day = 86_400_000L;
    HeldEvents ring = new HeldEvents(day, 4, 100, new EventTypes());
    long t = 0;
    for (int i = 0; i < 200; i++) {
      t += day / 4;
      ring.hold(1, "buy", i, t, t);
    }
    // 60 days of stream time: offsets were rebased several times, the newest four remain
    List<Double> values = new ArrayList<>();
    ring.forUnit(1, (type, v, at) -> values.add(v));
    assertThat(values).containsExactly(196.0, 197.0, 198.0, 199.0);
    ring.expire(t + day);
    assertThat(ring.size()).isZero();
  }

  @Test
  void aTypeTablePastItsBoundRefusesNewTypes() {
    EventTypes types = new EventTypes();
    HeldEvents ring = new HeldEvents(60_000, 4, 100_000, types);
    for (int i = 0; i < EventTypes.MAX; i++) {
      assertThat(ring.hold(i, "t" + i, 1, 0, 0)).isTrue();
    }
    assertThat(ring.hold(1, "one-more", 1, 0, 0)).isFalse();
    assertThat(ring.hold(1, "t7", 1, 0, 0)).isTrue();
  }

  @Test
  void nothingIsHeldWhenHoldingIsOff() {
    HeldEvents ring = new HeldEvents(0, 4, 100, new EventTypes());
    assertThat(ring.hold(1, "buy", 1, 0, 0)).isFalse();
    assertThat(ring.size()).isZero();
  }
}
