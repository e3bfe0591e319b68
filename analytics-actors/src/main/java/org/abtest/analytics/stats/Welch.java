package org.abtest.analytics.stats;

/** Welch's two-sample t-test from summary statistics (differences are treatment − control). */
public final class Welch {
  private Welch() {}

  public static WelchResult test(MeanSummary control, MeanSummary treatment, double alpha) {
    Num.probability(alpha, "alpha");
    double diff =
        Centered.meanDifference(control.n(), control.sum(), treatment.n(), treatment.sum());
    double vA = control.varianceRaw();
    double vB = treatment.varianceRaw();
    return fromMoments(
        control.meanRaw(), vA, control.n(), treatment.meanRaw(), vB, treatment.n(), diff, alpha);
  }

  /**
   * The test from per-arm means and variances; CUPED reuses it with adjusted means and variances.
   * {@code diff} is passed separately so callers can supply a difference computed without
   * cancellation.
   */
  static WelchResult fromMoments(
      double meanA,
      double vA,
      long nA,
      double meanB,
      double vB,
      long nB,
      double diff,
      double alpha) {
    double sA = vA / nA;
    double sB = vB / nB;
    double se2 = sA + sB;
    double se = Math.sqrt(se2);
    double t = Double.NaN;
    double df = Double.NaN;
    double p = Double.NaN;
    double half = Double.NaN;
    if (se > 0) {
      t = diff / se;
      df = se2 * se2 / (sA * sA / (nA - 1) + sB * sB / (nB - 1));
      p = Dist.tTwoSided(t, df);
      half = Dist.tUpper(alpha / 2, df) * se;
    }
    Interval ci = Interval.of(diff, half);
    // an arm of fewer than 2 units has no variance: only the difference itself is defined
    Interval rel =
        nA < 2 || nB < 2 ? Interval.UNDEFINED : RelativeLift.of(meanA, sA, meanB, sB, alpha);
    double pooled = ((nA - 1) * vA + (nB - 1) * vB) / (nA + nB - 2);
    double d = pooled > 0 ? diff / Math.sqrt(pooled) : Double.NaN;
    return new WelchResult(
        Num.of(diff),
        Num.of(se),
        Num.of(t),
        Num.of(df),
        Num.of(p),
        ci.low(),
        ci.high(),
        rel.estimate(),
        rel.low(),
        rel.high(),
        Num.of(d));
  }
}
