package org.abtest.analytics.units;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.abtest.protocol.experiment.MetricSource;

/**
 * Random event logs with everything that makes exact aggregation hard: duplicated event ids, metric
 * events before the exposure they belong to (in the log, with later timestamps), events before
 * exposure or after the attribution window (by timestamp), units exposed to two variants, and
 * exposures to an experiment nobody defined; funnel steps whose timestamps are not in log order (a
 * unit's events have random offsets from its exposure), and retried exposures that reach the log
 * after the unit's other events with a timestamp at or before its first exposure, sometimes to the
 * other variant. Values are multiples of 1/4, so that every sum is exact in binary floating point
 * whatever the order of additions.
 */
public final class EventStreams {

  public static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  /** Two experiments sharing the "purchase" event; the first has a funnel. */
  public static final ExperimentDefinition CHECKOUT =
      ExperimentDefinition.of(
          "checkout",
          1,
          List.of(
              new MetricDefinition("converted", "purchase", MetricKind.PROPORTION, 1),
              new MetricDefinition("revenue", "purchase", MetricKind.MEAN, null),
              new MetricDefinition("funnel", null, null, 2, List.of("view", "cart", "purchase")),
              MetricDefinition.ratio(
                  "revenue_per_view",
                  new MetricSource("purchase", MetricSource.Aggregate.SUM),
                  new MetricSource("view", MetricSource.Aggregate.COUNT),
                  1,
                  null)));

  public static final ExperimentDefinition SEARCH =
      ExperimentDefinition.of(
          "search",
          3,
          List.of(
              new MetricDefinition("clicks", "click", MetricKind.MEAN, 2),
              new MetricDefinition("bought", "purchase", MetricKind.PROPORTION, null)));

  private static final String[] TYPES = {"purchase", "view", "cart", "click"};

  private EventStreams() {}

  public static ExperimentDefinition definition(String key) {
    return switch (key) {
      case "checkout" -> CHECKOUT;
      case "search" -> SEARCH;
      default -> null;
    };
  }

  /**
   * The definition as layouts before 7 could hold it: without ratio metrics (for writers of old
   * snapshot layouts).
   */
  public static ExperimentDefinition definitionWithoutRatios(String key) {
    ExperimentDefinition d = definition(key);
    return d == null
        ? null
        : ExperimentDefinition.of(
            d.key(), d.phase(), d.metrics().stream().filter(m -> !m.isRatio()).toList());
  }

  /** About {@code units} × 8 events, each unit's in order, units interleaved at random. */
  public static List<TrackedEvent> generate(long seed, int units) {
    Random random = new Random(seed);
    List<List<TrackedEvent>> perUnit = new ArrayList<>();
    int[] ids = {0};
    for (int u = 0; u < units; u++) {
      perUnit.add(unitScript(random, "unit-" + seed + "-" + u, ids));
    }
    List<TrackedEvent> log = new ArrayList<>();
    int[] next = new int[units];
    int remaining = perUnit.stream().mapToInt(List::size).sum();
    List<TrackedEvent> emitted = new ArrayList<>();
    while (remaining > 0) {
      int u = random.nextInt(units);
      if (next[u] >= perUnit.get(u).size()) {
        continue;
      }
      TrackedEvent e = perUnit.get(u).get(next[u]++);
      remaining--;
      log.add(e);
      emitted.add(e);
      if (random.nextInt(10) == 0) {
        // a client retry: the same event again, soon after
        log.add(emitted.get(Math.max(0, emitted.size() - 1 - random.nextInt(5))));
      }
    }
    return log;
  }

  private static List<TrackedEvent> unitScript(Random random, String unit, int[] ids) {
    List<TrackedEvent> script = new ArrayList<>();
    long exposedAt = random.nextInt(3_600) * 1000L;
    String[] experiments = {"checkout", "search", "nobody-defined"};
    boolean exposedYet = false;
    List<TrackedEvent> retries = new ArrayList<>();
    int events = 2 + random.nextInt(8);
    for (int i = 0; i < events; i++) {
      if (!exposedYet && (random.nextInt(3) == 0 || i == events - 1)) {
        for (String experiment : experiments) {
          if (random.nextInt(4) != 0) {
            String variant = random.nextBoolean() ? "control" : "treatment";
            script.add(exposure(ids, unit, experiment, variant, exposedAt));
            if (random.nextInt(12) == 0) {
              String other = variant.equals("control") ? "treatment" : "control";
              script.add(exposure(ids, unit, experiment, other, exposedAt + 5_000));
            }
            if (random.nextInt(8) == 0) {
              // a client retry that reaches the log late: an exposure with an EARLIER ts (to
              // either variant) arrives after this one and after the unit's later events
              String retried = random.nextBoolean() ? "control" : "treatment";
              retries.add(
                  exposure(ids, unit, experiment, retried, exposedAt - 1_000 * random.nextInt(30)));
            }
          }
        }
        exposedYet = true;
        continue;
      }
      // mostly after exposure; some before it (the CUPED covariate's events, up to 3 h before,
      // so also outside the 1 h and 2 h lookbacks); some after the 1 h and 2 h windows
      int shape = random.nextInt(10);
      long offset =
          shape == 1
              ? -1 - random.nextInt(3 * 3_600)
              : (shape == 0 ? -600 : 0) + random.nextInt(3 * 3_600);
      String type = TYPES[random.nextInt(TYPES.length)];
      double value = random.nextInt(400) / 4.0;
      script.add(
          new TrackedEvent(
              "e" + ids[0]++,
              TrackedEvent.METRIC,
              unit,
              null,
              null,
              type,
              random.nextInt(8) == 0 ? null : value,
              T0.plusMillis(exposedAt + offset * 1000L),
              null));
    }
    script.addAll(retries);
    return script;
  }

  private static TrackedEvent exposure(
      int[] ids, String unit, String experiment, String variant, long at) {
    return TrackedEvent.exposure("e" + ids[0]++, unit, experiment, variant, T0.plusMillis(at));
  }
}
