package org.abtest.analytics.stats;

/**
 * One arm of a ratio metric: {@code n} units, each with a numerator y and a denominator d, and the
 * exact sums the delta method needs: Σy, Σy², Σd, Σd², Σyd. The metric is {@code Σy / Σd}; the
 * unit, not the event, is the unit of analysis.
 */
public record RatioSummary(
    long n,
    double sum,
    double sumSquares,
    double denominatorSum,
    double denominatorSumSquares,
    double sumProducts) {

  public RatioSummary {
    MeanSummary numerator = new MeanSummary(n, sum, sumSquares);
    try {
      new MeanSummary(n, denominatorSum, denominatorSumSquares);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("denominator." + e.getMessage(), e);
    }
    Num.require(Double.isFinite(sumProducts), "denominator.sumProducts must be a finite number");
    Num.require(n > 0 || sumProducts == 0, "denominator.sumProducts must be 0 when n is 0");
    // Cauchy–Schwarz on the centered sums: |Syd| ≤ √(Syy·Sdd), beyond the sums' rounding
    if (n > 1) {
      double syy = numerator.m2();
      double sdd = new MeanSummary(n, denominatorSum, denominatorSumSquares).m2();
      double syd = Centered.products(n, sum, denominatorSum, sumProducts);
      double slack =
          MeanSummary.ROUNDING
              * Math.max(Math.abs(sumProducts), Math.sqrt(sumSquares * denominatorSumSquares));
      Num.require(
          syd * syd <= syy * sdd + slack * slack + 2 * slack * Math.sqrt(syy * sdd),
          "denominator.sumProducts is inconsistent with the sums (correlation beyond ±1)");
    }
  }

  /** Σy / Σd, or NaN when the arm has no denominator. */
  double ratioRaw() {
    return denominatorSum == 0 ? Double.NaN : sum / denominatorSum;
  }

  /**
   * The sample variance (n − 1) of the unit's linearized value {@code (y − R·d) / d̄}: n times the
   * delta method's variance of the ratio, {@code (s²y − 2R·syd + R²·s²d) / d̄²}. NaN when n &lt; 2
   * or the mean denominator is 0. Centered sums are exact ({@link Centered}).
   */
  double linearizedVarianceRaw() {
    if (n < 2 || denominatorSum == 0) {
      return Double.NaN;
    }
    double r = ratioRaw();
    double syy = Centered.squares(n, sum, sumSquares);
    double sdd = Centered.squares(n, denominatorSum, denominatorSumSquares);
    double syd = Centered.products(n, sum, denominatorSum, sumProducts);
    double meanD = denominatorSum / n;
    double m2 = syy - 2 * r * syd + r * r * sdd;
    // the three terms cancel when every unit has the same ratio: a rounding residue, not variance
    double scale = syy + 2 * Math.abs(r * syd) + r * r * sdd;
    return (m2 <= 1e-12 * scale ? 0.0 : m2) / (n - 1) / (meanD * meanD);
  }

  public Double ratio() {
    return Num.of(ratioRaw());
  }

  public Double linearizedVariance() {
    return Num.of(linearizedVarianceRaw());
  }
}
