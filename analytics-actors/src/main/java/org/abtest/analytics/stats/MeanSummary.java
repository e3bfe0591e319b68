package org.abtest.analytics.stats;

/**
 * One arm of a continuous metric as the aggregators keep it: the number of units and the sum and
 * sum of squares of their values.
 */
public record MeanSummary(long n, double sum, double sumSquares) {
  /**
   * Sums of squares are kept in floating point, so an arm whose values are all equal can come out a
   * hair below {@code sum²/n}; deviations within this relative slack are rounding, beyond it the
   * sums contradict each other.
   */
  static final double ROUNDING = 1e-9;

  public MeanSummary {
    Num.require(n >= 0, "n must be >= 0, got " + n);
    Num.require(Double.isFinite(sum), "sum must be a finite number");
    Num.require(
        Double.isFinite(sumSquares) && sumSquares >= 0,
        "sumSquares must be a finite number >= 0, got " + sumSquares);
    Num.require(n > 0 || (sum == 0 && sumSquares == 0), "sum and sumSquares must be 0 when n is 0");
    if (n > 0) {
      double m2 = sumSquares - sum * sum / n;
      Num.require(
          m2 >= -ROUNDING * Math.max(sumSquares, 1e-300),
          "sumSquares is inconsistent with sum and n (negative variance)");
    }
  }

  /** The mean, or NaN when there are no units. */
  double meanRaw() {
    return n == 0 ? Double.NaN : sum / n;
  }

  /**
   * The sum of squared deviations from the mean, exact from the two sums ({@link Centered}),
   * clamped at 0 against sums that were themselves rounded.
   */
  double m2() {
    if (n == 0) {
      return Double.NaN;
    }
    double m2 = Centered.squares(n, sum, sumSquares);
    return m2 <= 1e-12 * sumSquares ? 0.0 : m2;
  }

  /** The sample variance (n − 1 denominator), or NaN when n &lt; 2. */
  double varianceRaw() {
    return n < 2 ? Double.NaN : m2() / (n - 1);
  }

  public Double mean() {
    return Num.of(meanRaw());
  }

  public Double variance() {
    return Num.of(varianceRaw());
  }
}
