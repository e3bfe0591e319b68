package org.abtest.analytics.results;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.protocol.CborSerializable;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.SequentialMethod;
import org.abtest.protocol.experiment.Variant;

/**
 * The sequential state of one experiment phase, kept in the experiment aggregator's persisted state
 * (so every node and every restart sees the same one) and folded forward by {@link #advance} at
 * each change of the merged totals. The fold is a pure function of the previous ledger, the
 * definition and the totals, and folding the same totals twice changes nothing: a reader that folds
 * the totals it was given into the ledger it read shows what the aggregator persists.
 *
 * <ul>
 *   <li>mSPRT: per comparison, the running minimum of the always-valid p-value and the running
 *       intersection of the confidence sequence over every merged-totals change (a look).
 *   <li>O'Brien–Fleming: planned look k of K happens at the first merged totals whose information
 *       fraction (units over {@code sampleSizeTarget}, at most 1) reaches k/K; totals that jump
 *       past several planned fractions make one look, the last one reached (the skipped looks spent
 *       nothing, so the planned boundary is conservative). At a look, each comparison's z is held
 *       against that look's boundary; once crossed, a comparison stays crossed.
 * </ul>
 *
 * <p>Bounded by the definition: one entry per metric × treatment, at most {@code looks} looks.
 *
 * @param comparisons key {@code metric/variant}
 * @param looks the O'Brien–Fleming looks that happened, in order (empty for mSPRT)
 */
public record SequentialLedger(int phase, Map<String, Running> comparisons, List<Look> looks)
    implements CborSerializable {

  public SequentialLedger {
    comparisons = comparisons == null ? Map.of() : Map.copyOf(comparisons);
    looks = looks == null ? List.of() : List.copyOf(looks);
  }

  /**
   * @param crossedAtLook the first O'Brien–Fleming look at which |z| reached its boundary, or null
   */
  public record Running(
      Double alwaysValidPValue, Double csLow, Double csHigh, Integer crossedAtLook)
      implements CborSerializable {}

  /**
   * @param statistics each comparison's z at this look (key {@code metric/variant}); null where
   *     undefined
   */
  public record Look(
      int look,
      Instant at,
      long units,
      double informationFraction,
      double boundary,
      Map<String, Double> statistics)
      implements CborSerializable {}

  /** One comparison as the current totals give it. */
  public record Observation(
      Double statistic, Double alwaysValidPValue, Double csLow, Double csHigh) {}

  public static SequentialLedger initial(int phase) {
    return new SequentialLedger(phase, Map.of(), List.of());
  }

  /** The planned number of looks of an O'Brien–Fleming experiment. */
  public static int plannedLooks(Experiment e) {
    return e.looks() == null || e.looks() < 1 ? SequentialRule.DEFAULT_LOOKS : e.looks();
  }

  /** Units over the target, at most 1; null without a target. */
  public static Double informationFraction(Experiment e, long units) {
    Long target = e.sampleSizeTarget();
    return target == null || target <= 0 ? null : Math.min(1.0, (double) units / target);
  }

  /** Units of the definition's variants in these totals. */
  public static long units(Experiment e, ExperimentTotals t) {
    long units = 0;
    for (Variant v : e.variants()) {
      units += t.unitsPerVariant().getOrDefault(v.key(), 0L);
    }
    return units;
  }

  /** The ledger after these totals (from the pure analysis of {@link ResultsBuilder}). */
  public static SequentialLedger advance(
      Experiment e, ExperimentTotals t, SequentialLedger previous) {
    return advance(e, t, previous, ResultsBuilder.observe(e, t));
  }

  /**
   * As above, with the observations already computed. Null when the experiment has no sequential
   * method; the previous ledger unchanged when the totals are of another phase.
   */
  public static SequentialLedger advance(
      Experiment e,
      ExperimentTotals t,
      SequentialLedger previous,
      Map<String, Observation> observations) {
    if (e.sequential() == SequentialMethod.NONE) {
      return null;
    }
    SequentialLedger prior =
        previous == null || previous.phase() != e.phase() ? initial(e.phase()) : previous;
    if (t.phase() != e.phase()) {
      return prior;
    }
    return e.sequential() == SequentialMethod.MSPRT
        ? prior.foldMsprt(observations)
        : prior.foldObf(e, t, observations);
  }

  private SequentialLedger foldMsprt(Map<String, Observation> observations) {
    Map<String, Running> next = new TreeMap<>(comparisons);
    observations.forEach(
        (key, o) -> {
          Running r = next.get(key);
          next.put(
              key,
              r == null
                  ? new Running(o.alwaysValidPValue(), o.csLow(), o.csHigh(), null)
                  : new Running(
                      min(r.alwaysValidPValue(), o.alwaysValidPValue()),
                      intersectLow(r, o),
                      intersectHigh(r, o),
                      r.crossedAtLook()));
        });
    return new SequentialLedger(phase, next, looks);
  }

  private SequentialLedger foldObf(
      Experiment e, ExperimentTotals t, Map<String, Observation> observations) {
    int planned = plannedLooks(e);
    long units = units(e, t);
    Double fraction = informationFraction(e, units);
    if (fraction == null) {
      return this;
    }
    // 1e-9: a fraction of exactly k/K computed as 0.39999999 still reaches look k
    int reached = Math.min(planned, (int) Math.floor(fraction * planned + 1e-9));
    int last = looks.isEmpty() ? 0 : looks.get(looks.size() - 1).look();
    if (reached <= last) {
      return this;
    }
    double boundary = SequentialRule.obfBoundaries(planned, e.alpha()).get(reached - 1);
    Map<String, Double> statistics = new TreeMap<>();
    Map<String, Running> next = new TreeMap<>(comparisons);
    observations.forEach(
        (key, o) -> {
          statistics.put(key, o.statistic());
          Running r = next.get(key);
          Integer crossed = r == null ? null : r.crossedAtLook();
          if (crossed == null && o.statistic() != null && Math.abs(o.statistic()) >= boundary) {
            crossed = reached;
          }
          next.put(key, new Running(null, null, null, crossed));
        });
    List<Look> history = new ArrayList<>(looks);
    history.add(new Look(reached, t.asOf(), units, fraction, boundary, statistics));
    return new SequentialLedger(phase, next, history);
  }

  /** The last look that happened, or null before the first. */
  public Look lastLook() {
    return looks.isEmpty() ? null : looks.get(looks.size() - 1);
  }

  private static Double min(Double a, Double b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : Math.min(a, b);
  }

  // an empty intersection can only happen with probability ≤ alpha; it is kept, not repaired
  private static Double intersectLow(Running r, Observation o) {
    if (r.csLow() == null || o.csLow() == null || r.csHigh() == null || o.csHigh() == null) {
      return r.csLow() == null || r.csHigh() == null ? o.csLow() : r.csLow();
    }
    return Math.max(r.csLow(), o.csLow());
  }

  private static Double intersectHigh(Running r, Observation o) {
    if (r.csLow() == null || o.csLow() == null || r.csHigh() == null || o.csHigh() == null) {
      return r.csLow() == null || r.csHigh() == null ? o.csHigh() : r.csHigh();
    }
    return Math.min(r.csHigh(), o.csHigh());
  }
}
