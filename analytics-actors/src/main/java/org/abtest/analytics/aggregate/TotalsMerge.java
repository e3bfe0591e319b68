package org.abtest.analytics.aggregate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds partial totals of one experiment phase (from several partitions) into one. Partials are
 * added in the order given; callers pass them in partition order so that the floating-point sums
 * come out the same every time.
 */
public final class TotalsMerge {

  private TotalsMerge() {}

  public static ExperimentTotals merge(
      String experiment, int phase, Collection<ExperimentTotals> partials) {
    Map<String, Long> units = new LinkedHashMap<>();
    Map<String, Map<String, MetricSums>> metrics = new LinkedHashMap<>();
    Map<String, List<Long>> funnel = new LinkedHashMap<>();
    long multiple = 0;
    Instant asOf = Instant.EPOCH;
    for (ExperimentTotals p : partials) {
      p.unitsPerVariant().forEach((v, n) -> units.merge(v, n, Long::sum));
      p.metrics()
          .forEach(
              (metric, byVariant) ->
                  byVariant.forEach(
                      (v, sums) ->
                          metrics
                              .computeIfAbsent(metric, m -> new LinkedHashMap<>())
                              .merge(v, sums, MetricSums::plus)));
      p.funnelSteps().forEach((v, steps) -> funnel.merge(v, steps, TotalsMerge::addSteps));
      multiple += p.multipleExposureUnits();
      asOf = p.asOf().isAfter(asOf) ? p.asOf() : asOf;
    }
    return new ExperimentTotals(
        experiment, phase, asOf, units, metrics, funnel, multiple, epochs(partials));
  }

  /**
   * Units of each weight epoch, added by the epoch's start. A partition that has not yet learned of
   * the newest epoch still counts its units in the one before; it recounts once it learns.
   */
  private static List<EpochUnits> epochs(Collection<ExperimentTotals> partials) {
    Map<Instant, EpochUnits> byStart = new TreeMap<>();
    for (ExperimentTotals p : partials) {
      for (EpochUnits e : p.epochs()) {
        byStart.merge(
            e.from(),
            e,
            (a, b) -> {
              Map<String, Long> units = new LinkedHashMap<>(a.units());
              b.units().forEach((v, n) -> units.merge(v, n, Long::sum));
              return new EpochUnits(
                  a.from(), a.weights().isEmpty() ? b.weights() : a.weights(), units);
            });
      }
    }
    return List.copyOf(byStart.values());
  }

  private static List<Long> addSteps(List<Long> a, List<Long> b) {
    List<Long> out = new ArrayList<>(Math.max(a.size(), b.size()));
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      out.add((i < a.size() ? a.get(i) : 0) + (i < b.size() ? b.get(i) : 0));
    }
    return List.copyOf(out);
  }

  /** The same numbers, ignoring {@code asOf} and map order: what "equal totals" means. */
  public static boolean sameNumbers(ExperimentTotals a, ExperimentTotals b) {
    return a.phase() == b.phase()
        && a.unitsPerVariant().equals(b.unitsPerVariant())
        && a.metrics().equals(b.metrics())
        && a.funnelSteps().equals(b.funnelSteps())
        && a.multipleExposureUnits() == b.multipleExposureUnits();
  }
}
