package org.abtest.multijvm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every event the operations test sent and a node accepted (202, and not listed in {@code
 * rejected}), in the order they were accepted, and the independent recomputation of an experiment
 * phase's numbers from them, in the flattened form of {@code Replay.numbers}. The rules it applies
 * (docs/aggregation.md, DESIGN.md §4), and the only ones:
 *
 * <ul>
 *   <li>An exposure counts in the phase that was current when it was sent. The test sends none
 *       while a lifecycle change is spreading (it drains its load, waits for every node's manifest,
 *       then sends again), so "current when sent" and "current when processed" are the same phase.
 *   <li>Exposures sent while the experiment is paused or concluded are refused by the events edge
 *       ({@code unknown_experiment}: verify-exposures is on) and are therefore not here: ignored by
 *       design. Exposures from before a pause always count.
 *   <li>A unit's first accepted exposure in a phase decides its variant there; a later one to
 *       another variant (a sticky weight change moved its bucket) moves nothing and marks the unit
 *       once as multiply exposed. In a new phase the unit is a new unit of that phase.
 *   <li>A metric event names no experiment: it counts for every phase table the unit is in, when
 *       its {@code ts} is at or after the unit's exposure there (always, in this test: ts increase
 *       strictly with sending). The experiments have no attribution window and the run lasts
 *       minutes, so no window excludes anything. Metric events count whatever the experiment's
 *       status: a pause or a conclusion stops enrolment, not the measurement of enrolled units.
 *   <li>Per unit and metric: {@code proportion} is 1 with at least one event, {@code mean} the sum
 *       of values. n is the variant's units (a unit without events counts with 0).
 *   <li>CUPED covariate x: the same value over the unit's events dated in the lookback (7 d) before
 *       its exposure in the phase: non-zero only for units of an earlier phase exposed again.
 * </ul>
 */
final class OpsLedger {

  /** One accepted event; {@code experiment} and {@code variant} are null for a metric event. */
  record Accepted(
      String unit,
      String experiment,
      int phase,
      String variant,
      long ts,
      String event,
      double value) {

    boolean isExposure() {
      return experiment != null;
    }
  }

  /** A metric of the test's experiments: proportion or mean over one event type. */
  record Metric(String key, String event, boolean proportion) {}

  static final Duration LOOKBACK = Duration.ofDays(7);

  private final List<Accepted> accepted = new ArrayList<>();

  synchronized void add(Accepted event) {
    accepted.add(event);
  }

  synchronized long exposures(String experiment) {
    return accepted.stream().filter(a -> experiment.equals(a.experiment())).count();
  }

  synchronized long metricEvents() {
    return accepted.stream().filter(a -> !a.isExposure()).count();
  }

  /**
   * The numbers of {@code experiment}'s {@code phase}, keyed as {@code Replay.numbers} keys them.
   */
  synchronized Map<String, Object> numbers(
      String experiment, int phase, List<String> variants, List<Metric> metrics) {
    Map<String, String> variantOf = new LinkedHashMap<>();
    Map<String, Long> exposedAt = new HashMap<>();
    long multiple = 0;
    Map<String, List<Accepted>> eventsOf = new HashMap<>();
    java.util.Set<String> multiplyExposed = new java.util.HashSet<>();
    for (Accepted a : accepted) {
      if (!a.isExposure()) {
        eventsOf.computeIfAbsent(a.unit(), u -> new ArrayList<>()).add(a);
      } else if (a.experiment().equals(experiment) && a.phase() == phase) {
        String first = variantOf.putIfAbsent(a.unit(), a.variant());
        if (first == null) {
          exposedAt.put(a.unit(), a.ts());
        } else if (!first.equals(a.variant()) && multiplyExposed.add(a.unit())) {
          multiple++;
        }
      }
    }
    Map<String, Object> out = new TreeMap<>();
    Map<String, double[]> sums = new HashMap<>();
    for (String v : variants) {
      out.put("units." + v, variantOf.values().stream().filter(v::equals).count());
    }
    variantOf.forEach(
        (unit, variant) -> {
          long at = exposedAt.get(unit);
          List<Accepted> events = eventsOf.getOrDefault(unit, List.of());
          for (Metric m : metrics) {
            double y = value(events, m, at, Long.MAX_VALUE);
            double x = value(events, m, at - LOOKBACK.toMillis(), at);
            double[] s = sums.computeIfAbsent(m.key() + "." + variant, k -> new double[6]);
            s[0]++;
            s[1] += y;
            s[2] += y * y;
            s[3] += x;
            s[4] += x * x;
            s[5] += x * y;
          }
        });
    for (Metric m : metrics) {
      for (String v : variants) {
        double[] s = sums.getOrDefault(m.key() + "." + v, new double[6]);
        String p = "metric." + m.key() + "." + v + ".";
        out.put(p + "n", (long) s[0]);
        out.put(p + "sum", s[1]);
        out.put(p + "sumSquares", s[2]);
        out.put(p + "covariate.sum", s[3]);
        out.put(p + "covariate.sumSquares", s[4]);
        out.put(p + "covariate.sumProducts", s[5]);
      }
    }
    out.put("multipleExposureUnits", multiple);
    return out;
  }

  /** The unit's value of {@code metric} over its events with from <= ts < to. */
  private static double value(List<Accepted> events, Metric metric, long from, long to) {
    double sum = 0;
    boolean any = false;
    for (Accepted e : events) {
      if (e.event().equals(metric.event()) && e.ts() >= from && e.ts() < to) {
        sum += e.value();
        any = true;
      }
    }
    return metric.proportion() ? (any ? 1 : 0) : sum;
  }
}
