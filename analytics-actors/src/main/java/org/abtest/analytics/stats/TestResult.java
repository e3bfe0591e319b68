package org.abtest.analytics.stats;

/**
 * The frequentist test of one variant against the baseline: {@link WelchResult} for means (which
 * adds the degrees of freedom and Cohen's d), {@link ProportionResult} for proportions. Differences
 * are treatment − control; an undefined number is {@code null} ({@link Num}'s rule).
 */
public sealed interface TestResult permits WelchResult, ProportionResult {
  Double diff();

  /** Lower end of the (1 − alpha) interval of the difference. */
  Double ciLow();

  Double ciHigh();

  /** Welch's t or the two-proportion z. */
  Double statistic();

  /** Two-sided, unadjusted. */
  Double pValue();

  /** (treatment − control)/|control|, with its delta-method interval. */
  Double relLift();

  Double relCiLow();

  Double relCiHigh();
}
