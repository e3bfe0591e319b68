package org.abtest.analytics.stats;

/**
 * Two-proportion comparison of treatment against control.
 *
 * @param diff treatment rate − control rate
 * @param statistic z with the pooled standard error (signed square root of the Yates-corrected
 *     chi-squared when the continuity correction is on)
 * @param pValue two-sided
 * @param ciLow unpooled Wald interval of the difference
 * @param relLift (pB − pA)/pA with a delta-method interval
 */
public record ProportionResult(
    Double diff,
    Double statistic,
    Double pValue,
    Double ciLow,
    Double ciHigh,
    Double relLift,
    Double relCiLow,
    Double relCiHigh)
    implements TestResult {}
