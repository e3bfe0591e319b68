package org.abtest.analytics.stats;

/**
 * The mSPRT at one look (see {@link Msprt}); an undefined number is {@code null} ({@link Num}'s
 * rule).
 *
 * @param alwaysValidPValue this look's always-valid p-value
 * @param confidenceSequence this look's (1 − alpha) confidence sequence around the difference
 */
public record SequentialResult(Double alwaysValidPValue, Interval confidenceSequence) {

  /** Every number undefined: what a comparison without a sequential method reads as. */
  public static final SequentialResult UNDEFINED = new SequentialResult(null, Interval.UNDEFINED);

  /** The mSPRT of a difference whose squared standard error is {@code variance}. */
  static SequentialResult msprt(double diff, double variance, double tau2, double alpha) {
    return new SequentialResult(
        Msprt.pValue(diff, variance, tau2), Msprt.confidenceSequence(diff, variance, tau2, alpha));
  }
}
