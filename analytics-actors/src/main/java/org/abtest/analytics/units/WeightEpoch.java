package org.abtest.analytics.units;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The weights in force in an experiment phase from {@code from} on, until the next epoch's {@code
 * from}: a sticky weight change (a bandit's reallocation above all) starts an epoch without
 * starting a phase. A unit belongs to the epoch its first exposure's {@code ts} falls in, so SRM
 * compares it against the weights it was assigned with.
 *
 * @param weights variant key → basis points, in declared order; empty for the merged oldest epochs
 *     once a phase has more than its cap (their units are left out of the SRM test)
 */
public record WeightEpoch(Instant from, Map<String, Integer> weights) {

  public WeightEpoch {
    Objects.requireNonNull(from, "from");
    weights =
        weights == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(weights));
  }

  public boolean known() {
    return !weights.isEmpty();
  }

  /**
   * The epochs with {@code weights} in force from {@code from}: unchanged when they are the newest
   * epoch's weights already (or {@code from} is not after it), else one epoch more; past {@code
   * cap} epochs the two oldest become one whose weights are unknown.
   */
  public static List<WeightEpoch> append(
      List<WeightEpoch> held, Instant from, Map<String, Integer> weights, int cap) {
    if (!held.isEmpty()) {
      WeightEpoch last = held.get(held.size() - 1);
      if (last.weights().equals(weights) || !from.isAfter(last.from())) {
        return held;
      }
    }
    List<WeightEpoch> out = new ArrayList<>(held);
    out.add(new WeightEpoch(from, weights));
    while (out.size() > Math.max(2, cap)) {
      out.set(1, new WeightEpoch(out.get(0).from(), Map.of()));
      out.remove(0);
    }
    return List.copyOf(out);
  }

  /**
   * The epoch a first exposure at {@code ts} belongs to: the last whose {@code from} is at or
   * before it, the first for anything earlier (the first epoch holds from the phase's start).
   */
  public static int indexOf(List<WeightEpoch> epochs, long ts) {
    int lo = 0;
    int hi = epochs.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (epochs.get(mid).from().toEpochMilli() <= ts) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }
}
