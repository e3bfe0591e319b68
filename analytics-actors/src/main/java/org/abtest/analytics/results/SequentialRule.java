package org.abtest.analytics.results;

import java.util.List;
import org.abtest.analytics.stats.Boundaries;
import org.abtest.analytics.stats.BoundariesRequest;
import org.abtest.analytics.stats.Verdict;
import org.abtest.protocol.experiment.Experiment;

/**
 * How a comparison earns "significant" under the experiment's sequential method. Trending is always
 * the BH-adjusted fixed-horizon p below 0.10: a hint to keep watching, never a stopping rule.
 *
 * <ul>
 *   <li>{@code none}: the adjusted p below alpha;
 *   <li>{@code msprt}: the running always-valid p-value below alpha;
 *   <li>{@code obf}: |statistic| at or beyond the O'Brien–Fleming boundary of the current look, the
 *       look being the share of the sample-size target reached (without a target, the first and
 *       strictest look, since nothing says how far along the experiment is).
 * </ul>
 */
record SequentialRule(Method method, double alpha, Double boundary) {

  enum Method {
    NONE,
    MSPRT,
    OBF
  }

  static final int DEFAULT_LOOKS = 5;

  static SequentialRule of(Experiment e, long units) {
    return switch (e.sequential()) {
      case NONE -> new SequentialRule(Method.NONE, e.alpha(), null);
      case MSPRT -> new SequentialRule(Method.MSPRT, e.alpha(), null);
      case OBF -> {
        int looks = e.looks() == null || e.looks() < 1 ? DEFAULT_LOOKS : e.looks();
        List<Double> boundaries =
            Boundaries.compute(new BoundariesRequest("obf", looks, e.alpha())).boundaries();
        yield new SequentialRule(
            Method.OBF, e.alpha(), boundaries.get(look(units, e.sampleSizeTarget(), looks)));
      }
    };
  }

  /** 0-based index of the current look: the planned look whose information fraction was reached. */
  static int look(long units, Long target, int looks) {
    if (target == null || target <= 0) {
      return 0;
    }
    int reached = (int) Math.ceil((double) units / target * looks) - 1;
    return Math.max(0, Math.min(looks - 1, reached));
  }

  Verdict verdict(Double adjustedP, Double alwaysValidP, Double statistic) {
    boolean significant =
        switch (method) {
          case NONE -> adjustedP != null && adjustedP < alpha;
          case MSPRT -> alwaysValidP != null && alwaysValidP < alpha;
          case OBF -> statistic != null && boundary != null && Math.abs(statistic) >= boundary;
        };
    if (significant) {
      return Verdict.SIGNIFICANT;
    }
    return adjustedP != null && adjustedP < Verdict.TRENDING_THRESHOLD
        ? Verdict.TRENDING
        : Verdict.NOT_SIGNIFICANT;
  }
}
