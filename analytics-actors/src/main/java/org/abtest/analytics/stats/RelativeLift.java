package org.abtest.analytics.stats;

/**
 * Relative lift {@code (mB − mA)/|mA|} with a delta-method normal interval.
 *
 * <p>Treating the two arm means as independent with sampling variances {@code vA} and {@code vB},
 * the first-order expansion of {@code g(mA, mB) = (mB − mA)/|mA|} gives {@code Var ≈ vB/mA² +
 * mB²·vA/mA⁴}. The interval uses the normal quantile: the delta method is itself a large-sample
 * approximation.
 */
public final class RelativeLift {
  private RelativeLift() {}

  /**
   * @param meanA control mean
   * @param varMeanA sampling variance of the control mean (variance / n)
   * @param meanB treatment mean
   * @param varMeanB sampling variance of the treatment mean
   */
  public static Interval of(
      double meanA, double varMeanA, double meanB, double varMeanB, double alpha) {
    if (!Double.isFinite(meanA) || !Double.isFinite(meanB) || meanA == 0) {
      return Interval.UNDEFINED;
    }
    double lift = (meanB - meanA) / Math.abs(meanA);
    double a2 = meanA * meanA;
    double var = varMeanB / a2 + meanB * meanB * varMeanA / (a2 * a2);
    if (!(var > 0)) {
      return new Interval(lift, null, null);
    }
    return Interval.of(lift, Dist.normUpper(alpha / 2) * Math.sqrt(var));
  }
}
