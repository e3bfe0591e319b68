package org.abtest.analytics.units;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.abtest.analytics.aggregate.MetricSums;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.abtest.protocol.experiment.MetricSource.Aggregate;

/**
 * An independent, deliberately naive recomputation of an experiment's totals from the raw event
 * list: keep every event, then derive each unit's value from scratch. The rules are those of
 * DESIGN.md §4 as the aggregation documents them; nothing here shares code with the incremental
 * core, so agreement means something.
 */
public final class NaiveTotals {

  /** One record of the log: the event and its Kafka record time, in log order per unit. */
  public record Record(TrackedEvent event, long recordTime) {}

  /** Totals without the map ordering and asOf noise, for equality. */
  public record Totals(
      Map<String, Long> units,
      Map<String, Map<String, MetricSums>> metrics,
      Map<String, List<Long>> funnel,
      long multipleExposureUnits) {}

  private NaiveTotals() {}

  /**
   * Totals of {@code definition}'s phase, with pre-exposure events held for {@code holdMillis}; the
   * known experiments are those of {@link EventStreams}.
   */
  public static Totals compute(List<Record> log, ExperimentDefinition definition, long holdMillis) {
    long lookback = UnitStateSettings.COVARIATE_LOOKBACK.toMillis();
    return compute(
        log,
        definition,
        holdMillis,
        lookback,
        lookback + UnitStateSettings.COVARIATE_SLACK.toMillis(),
        StateLimits.DEFAULTS.futureSkew().toMillis(),
        List.of(EventStreams.CHECKOUT, EventStreams.SEARCH));
  }

  /**
   * For a log whose record times are unknown (all 0, as a test sending over HTTP has them): the
   * stream-time bounds of the history (retention, future skew) cannot be modelled and are left out,
   * so the node under test must keep its history long enough (a long {@code covariate-slack}).
   */
  public static Totals computeWithoutStreamTime(
      List<Record> log, ExperimentDefinition definition, long holdMillis) {
    return compute(
        log,
        definition,
        holdMillis,
        UnitStateSettings.COVARIATE_LOOKBACK.toMillis(),
        Long.MAX_VALUE / 4,
        Long.MAX_VALUE / 4,
        List.of(EventStreams.CHECKOUT, EventStreams.SEARCH));
  }

  /**
   * The same with CUPED covariates over a lookback of at most {@code lookbackMillis} (a metric's
   * attribution window when shorter), counting an event that reached the log before the exposure
   * only if its ts is within {@code retentionMillis} of the stream time at the exposure.
   */
  public static Totals compute(
      List<Record> log,
      ExperimentDefinition definition,
      long holdMillis,
      long lookbackMillis,
      long retentionMillis,
      long futureSkewMillis,
      List<ExperimentDefinition> known) {
    String experiment = definition.key();
    // 1. drop duplicates (the generated logs repeat ids well inside the dedup window); a
    // duplicate still moves stream time on, as every record does
    List<Record> unique = new ArrayList<>();
    List<Long> clocks = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    long clock = Long.MIN_VALUE;
    for (Record r : log) {
      clock = Math.max(clock, r.recordTime());
      if (r.event().eventId() == null || seen.add(r.event().eventId())) {
        unique.add(r);
        clocks.add(clock);
      }
    }
    // 2. each unit's first exposure by log position: it fixes the variant and starts the
    // attribution windows; units exposed to more than one variant are flagged
    Map<String, Integer> firstExposure = new LinkedHashMap<>();
    Map<String, Set<String>> variantsSeen = new HashMap<>();
    for (int i = 0; i < unique.size(); i++) {
      TrackedEvent e = unique.get(i).event();
      if (e.isExposure() && experiment.equals(e.experiment())) {
        firstExposure.putIfAbsent(e.unit(), i);
        variantsSeen.computeIfAbsent(e.unit(), u -> new HashSet<>()).add(e.variant());
      }
    }
    Set<String> multiple = new HashSet<>();
    variantsSeen.forEach(
        (unit, seenVariants) -> {
          if (seenVariants.size() > 1) {
            multiple.add(unit);
          }
        });
    Map<String, Long> units = new TreeMap<>();
    Map<String, Map<String, MetricSums>> metrics = new TreeMap<>();
    Map<String, long[]> funnel = new TreeMap<>();
    int k = definition.funnel().size();
    for (var entry : firstExposure.entrySet()) {
      int x = entry.getValue();
      long exposedAt = ts(unique.get(x));
      String variant = unique.get(x).event().variant();
      units.merge(variant, 1L, Long::sum);
      // 3. the unit's events that count: after the exposure in the log, or before it but still
      // held when it arrived; in log order, which is the order the core applies them in
      List<Record> counted = new ArrayList<>();
      for (int i = 0; i < unique.size(); i++) {
        TrackedEvent e = unique.get(i).event();
        if (e.isExposure() || !e.unit().equals(entry.getKey()) || i == x) {
          continue;
        }
        if (i > x || (waited(unique, i, known) && clocks.get(i) + holdMillis > clocks.get(x))) {
          counted.add(unique.get(i));
        }
      }
      for (MetricDefinition m : definition.metrics()) {
        if (m.isRatio()) {
          // 3d. a ratio: the unit's numerator and denominator over the same counted events; no
          // covariate; a cap bounds the numerator
          double y = 0;
          double d = 0;
          for (Record r : counted) {
            long t = ts(r);
            if (t < exposedAt || !inWindow(t - exposedAt, m.attributionWindowHours())) {
              continue;
            }
            if (r.event().event().equals(m.numerator().event())) {
              y += m.numerator().aggregate() == Aggregate.COUNT ? 1 : valueOf(r.event());
            }
            if (r.event().event().equals(m.denominator().event())) {
              d += m.denominator().aggregate() == Aggregate.COUNT ? 1 : valueOf(r.event());
            }
          }
          if (m.cap() != null) {
            y = Math.min(y, m.cap().value());
          }
          metrics
              .computeIfAbsent(m.key(), key -> new TreeMap<>())
              .merge(variant, new MetricSums(1, y, y * y, d, d * d, d * y), MetricSums::plus);
          continue;
        }
        double value = 0;
        for (Record r : counted) {
          long t = ts(r);
          if (r.event().event().equals(m.event())
              && t >= exposedAt
              && inWindow(t - exposedAt, m.attributionWindowHours())) {
            value = m.kind() == MetricKind.PROPORTION ? 1 : value + valueOf(r.event());
          }
        }
        // 3b. the CUPED covariate: the same metric over the unit's events with a ts in the
        // lookback before the exposure, wherever they are in the log (those before the exposure
        // only while still kept: ts within the retention of the stream time at the exposure, and
        // kept at all: ts at most the future skew after the stream time when they arrived)
        long lookback =
            m.attributionWindowHours() == null
                ? lookbackMillis
                : Math.min(lookbackMillis, m.attributionWindowHours() * 3_600_000L);
        double cov = 0;
        for (int i = 0; i < unique.size(); i++) {
          TrackedEvent e = unique.get(i).event();
          long t = ts(unique.get(i));
          if (e.isExposure()
              || !e.unit().equals(entry.getKey())
              || !m.event().equals(e.event())
              || t >= exposedAt
              || exposedAt - t > lookback
              || (i < x && t < clocks.get(x) - retentionMillis)
              || (i < x && t > clocks.get(i) + futureSkewMillis)) {
            continue;
          }
          cov = m.kind() == MetricKind.PROPORTION ? 1 : cov + valueOf(e);
        }
        // 3c. a capped metric counts each unit's value, and its covariate, at most at the cap
        if (m.cap() != null) {
          value = Math.min(value, m.cap().value());
          cov = Math.min(cov, m.cap().value());
        }
        MetricSums one = new MetricSums(1, value, value * value, cov, cov * cov, cov * value);
        metrics
            .computeIfAbsent(m.key(), key -> new TreeMap<>())
            .merge(variant, one, MetricSums::plus);
      }
      if (k > 0) {
        // 4. funnel, by time and whatever the arrival order: each step's earliest event (ts at
        // or after exposure, inside the window); step j+1 is reached when step j is and the
        // earliest event of step j+1 is not before the earliest of step j
        long[] steps = funnel.computeIfAbsent(variant, v -> new long[k]);
        long previous = exposedAt;
        for (int j = 0; j < k; j++) {
          long earliest = Long.MAX_VALUE;
          for (Record r : counted) {
            long t = ts(r);
            if (r.event().event().equals(definition.funnel().get(j))
                && t >= exposedAt
                && inWindow(t - exposedAt, definition.funnelWindowHours())) {
              earliest = Math.min(earliest, t);
            }
          }
          if (earliest == Long.MAX_VALUE || earliest < previous) {
            break;
          }
          steps[j]++;
          previous = earliest;
        }
      }
    }
    Map<String, List<Long>> funnelLists = new TreeMap<>();
    funnel.forEach(
        (v, steps) -> funnelLists.put(v, java.util.Arrays.stream(steps).boxed().toList()));
    return new Totals(units, metrics, funnelLists, multiple.size());
  }

  /** The same shape from the incremental core's output, for comparison. */
  public static Totals of(org.abtest.analytics.aggregate.ExperimentTotals t) {
    Map<String, Map<String, MetricSums>> metrics = new TreeMap<>();
    t.metrics().forEach((m, byVariant) -> metrics.put(m, new TreeMap<>(byVariant)));
    return new Totals(
        new TreeMap<>(t.unitsPerVariant()),
        metrics,
        new TreeMap<>(t.funnelSteps()),
        t.multipleExposureUnits());
  }

  /**
   * Whether metric event {@code i} was held: some known experiment using its type had been exposed
   * in the log before it but not yet to its unit, or none using its type had been exposed at all.
   */
  private static boolean waited(List<Record> log, int i, List<ExperimentDefinition> known) {
    TrackedEvent e = log.get(i).event();
    boolean used = false;
    for (ExperimentDefinition d : known) {
      boolean uses =
          d.funnel().contains(e.event()) || d.metrics().stream().anyMatch(m -> m.reads(e.event()));
      boolean anyExposure = false;
      boolean unitExposed = false;
      for (int j = 0; j < i && uses; j++) {
        TrackedEvent x = log.get(j).event();
        if (x.isExposure() && d.key().equals(x.experiment()) && x.variant() != null) {
          anyExposure = true;
          unitExposed |= x.unit().equals(e.unit());
        }
      }
      if (anyExposure) {
        used = true;
        if (!unitExposed) {
          return true;
        }
      }
    }
    return !used;
  }

  private static boolean inWindow(long sinceExposure, Integer hours) {
    return hours == null || sinceExposure < hours * 3_600_000L;
  }

  private static long ts(Record r) {
    return r.event().ts() == null ? r.recordTime() : r.event().ts().toEpochMilli();
  }

  private static double valueOf(TrackedEvent e) {
    return e.value() == null ? 1.0 : e.value();
  }
}
