package org.abtest.analytics.stats;

/**
 * CUPED-adjusted comparison (field names as in the API's {@code cuped} object).
 *
 * @param theta cov(x, y)/var(x) over both arms pooled
 * @param diff adjusted difference (treatment − control)
 * @param pValue Welch test on the adjusted values
 * @param varianceReduction 1 − Var(adjusted difference)/Var(unadjusted difference)
 */
public record CupedResult(
    Double theta,
    Double diff,
    Double ciLow,
    Double ciHigh,
    Double pValue,
    Double varianceReduction) {
  static final CupedResult UNDEFINED = new CupedResult(null, null, null, null, null, null);
}
