package org.abtest.analytics.stats;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Centered sums and differences of means from raw sums, exactly: {@code Σxy − Σx·Σy/n = (n·Σxy −
 * Σx·Σy)/n}, computed in exact decimal arithmetic from the doubles given and rounded once. In
 * doubles the subtraction cancels the leading digits: at n = 1e8 and values near 9000, a variance
 * came out wrong in the 8th digit although both sums were exact. Only the analysis path uses it;
 * the aggregators keep raw sums.
 */
final class Centered {
  private Centered() {}

  /** {@code Σxy − Σx·Σy/n}: a sum of squares ({@code x = y}) or of cross products. */
  static double products(long n, double sumX, double sumY, double sumXY) {
    BigDecimal count = BigDecimal.valueOf(n);
    BigDecimal numerator =
        count
            .multiply(new BigDecimal(sumXY))
            .subtract(new BigDecimal(sumX).multiply(new BigDecimal(sumY)));
    return numerator.divide(count, MathContext.DECIMAL128).doubleValue();
  }

  /**
   * {@code ΣB/nB − ΣA/nA} as {@code (nA·ΣB − nB·ΣA)/(nA·nB)}, exact and rounded once: two close
   * means (9000.5001 and 9000.5) subtracted as doubles keep only 8 digits of their difference. NaN
   * when an arm has no units.
   */
  static double meanDifference(long nA, double sumA, long nB, double sumB) {
    if (nA == 0 || nB == 0) {
      return Double.NaN;
    }
    BigDecimal a = BigDecimal.valueOf(nA);
    BigDecimal b = BigDecimal.valueOf(nB);
    BigDecimal numerator =
        a.multiply(new BigDecimal(sumB)).subtract(b.multiply(new BigDecimal(sumA)));
    return numerator.divide(a.multiply(b), MathContext.DECIMAL128).doubleValue();
  }

  /** {@code Σx² − (Σx)²/n}. */
  static double squares(long n, double sum, double sumSquares) {
    return products(n, sum, sum, sumSquares);
  }
}
