package org.abtest.analytics.results;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abtest.analytics.stats.Boundaries;
import org.abtest.analytics.stats.BoundariesRequest;
import org.abtest.analytics.stats.Verdict;
import org.abtest.protocol.experiment.Experiment;

/**
 * How a comparison earns "significant" under the experiment's sequential method, reading the
 * persisted {@link SequentialLedger}. Trending is always the BH-adjusted fixed-horizon p below
 * 0.10: a hint to keep watching, never a stopping rule.
 *
 * <ul>
 *   <li>{@code none}: the adjusted p below alpha;
 *   <li>{@code msprt}: the running (minimum) always-valid p-value below alpha;
 *   <li>{@code obf}: |z| reached the O'Brien–Fleming boundary at a planned look that happened (see
 *       {@link SequentialLedger}); between looks nothing is tested. Without a sample-size target
 *       nothing says how far along the experiment is, so no look ever happens: the current z is
 *       held against the first and strictest boundary instead.
 * </ul>
 */
record SequentialRule(Experiment experiment) {

  static final int DEFAULT_LOOKS = 5;

  // Boundaries take milliseconds to compute and every results request needs one: keep the few
  // (looks, alpha) pairs in use. Bounded, since alpha is the experimenter's.
  private static final int CACHED_DESIGNS = 64;
  private static final Map<String, List<Double>> DESIGNS =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<Double>> eldest) {
          return size() > CACHED_DESIGNS;
        }
      };

  /** The two-sided OBF boundaries (z per planned look) of equally spaced looks. */
  static List<Double> obfBoundaries(int looks, double alpha) {
    String key = looks + "/" + alpha;
    synchronized (DESIGNS) {
      List<Double> cached = DESIGNS.get(key);
      if (cached != null) {
        return cached;
      }
    }
    List<Double> computed =
        Boundaries.compute(new BoundariesRequest("obf", looks, alpha)).boundaries();
    synchronized (DESIGNS) {
      DESIGNS.put(key, computed);
    }
    return computed;
  }

  Verdict verdict(Double adjustedP, SequentialLedger.Running running, Double statistic) {
    double alpha = experiment.alpha();
    boolean significant =
        switch (experiment.sequential()) {
          case NONE -> adjustedP != null && adjustedP < alpha;
          case MSPRT ->
              running != null
                  && running.alwaysValidPValue() != null
                  && running.alwaysValidPValue() < alpha;
          case OBF ->
              experiment.sampleSizeTarget() == null || experiment.sampleSizeTarget() <= 0
                  ? statistic != null && Math.abs(statistic) >= firstBoundary()
                  : running != null && running.crossedAtLook() != null;
        };
    if (significant) {
      return Verdict.SIGNIFICANT;
    }
    return adjustedP != null && adjustedP < Verdict.TRENDING_THRESHOLD
        ? Verdict.TRENDING
        : Verdict.NOT_SIGNIFICANT;
  }

  double firstBoundary() {
    return obfBoundaries(SequentialLedger.plannedLooks(experiment), experiment.alpha()).get(0);
  }
}
