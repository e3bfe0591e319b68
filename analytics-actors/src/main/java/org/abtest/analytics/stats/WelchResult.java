package org.abtest.analytics.stats;

/**
 * Welch's unequal-variance comparison of treatment against control; {@code null} marks an undefined
 * quantity (for example the statistic when both arms have zero variance).
 *
 * @param diff treatment mean − control mean
 * @param se standard error of the difference
 * @param statistic Welch t
 * @param df Welch–Satterthwaite degrees of freedom
 * @param pValue two-sided
 * @param ciLow lower end of the (1 − alpha) interval of the difference, t quantile
 * @param cohensD difference over the pooled standard deviation
 */
public record WelchResult(
    Double diff,
    Double se,
    Double statistic,
    Double df,
    Double pValue,
    Double ciLow,
    Double ciHigh,
    Double relLift,
    Double relCiLow,
    Double relCiHigh,
    Double cohensD)
    implements TestResult {}
