package org.abtest.analytics.stats;

/**
 * CUPED (Deng, Xu, Kohavi and Walker 2013): regress the metric y on a pre-experiment covariate x
 * with a single θ estimated on both arms pooled, and test the adjusted values {@code y − θ(x −
 * x̄)}. Pooling keeps θ independent of the assignment, so the adjusted difference stays unbiased.
 *
 * <p>From sums: {@code θ = (Σxy − ΣxΣy/N)/(Σx² − (Σx)²/N)}; adjusted difference {@code (ȳB − ȳA) −
 * θ(x̄B − x̄A)}; per-arm adjusted variance {@code [Syy − 2θ·Sxy + θ²·Sxx]/(n − 1)} with centred
 * sums S; then Welch's test on those means and variances.
 */
public final class Cuped {
  private Cuped() {}

  public static CupedResult adjust(
      MeanSummary yA, CovariateSums xA, MeanSummary yB, CovariateSums xB, double alpha) {
    Num.probability(alpha, "alpha");
    checkCovariate(yA, xA);
    checkCovariate(yB, xB);
    long nA = yA.n();
    long nB = yB.n();
    if (nA < 2 || nB < 2) {
      return CupedResult.UNDEFINED;
    }
    long total = nA + nB;
    double sx = xA.sum() + xB.sum();
    double sy = yA.sum() + yB.sum();
    double cxx = Centered.squares(total, sx, xA.sumSquares() + xB.sumSquares());
    double cxy = Centered.products(total, sx, sy, xA.sumProducts() + xB.sumProducts());
    if (!(cxx > 1e-12 * (xA.sumSquares() + xB.sumSquares()))) {
      return CupedResult.UNDEFINED; // a constant covariate explains nothing
    }
    double theta = cxy / cxx;
    double vA = adjustedVariance(yA, xA, theta);
    double vB = adjustedVariance(yB, xB, theta);
    double meanXA = xA.sum() / nA;
    double meanXB = xB.sum() / nB;
    double diff =
        Centered.meanDifference(nA, yA.sum(), nB, yB.sum())
            - theta * Centered.meanDifference(nA, xA.sum(), nB, xB.sum());
    WelchResult adjusted =
        Welch.fromMoments(
            yA.meanRaw() - theta * meanXA,
            vA,
            nA,
            yB.meanRaw() - theta * meanXB,
            vB,
            nB,
            diff,
            alpha);
    double originalVar = yA.varianceRaw() / nA + yB.varianceRaw() / nB;
    double adjustedVar = vA / nA + vB / nB;
    double reduction = originalVar > 0 ? 1 - adjustedVar / originalVar : Double.NaN;
    return new CupedResult(
        Num.of(theta),
        Num.of(diff),
        adjusted.ciLow(),
        adjusted.ciHigh(),
        adjusted.pValue(),
        Num.of(reduction));
  }

  private static double adjustedVariance(MeanSummary y, CovariateSums x, double theta) {
    long n = y.n();
    double syy = y.m2();
    double sxx = Centered.squares(n, x.sum(), x.sumSquares());
    double sxy = Centered.products(n, x.sum(), y.sum(), x.sumProducts());
    double m2 = syy - 2 * theta * sxy + theta * theta * sxx;
    double scale = y.sumSquares() + theta * theta * x.sumSquares();
    Num.require(
        m2 >= -MeanSummary.ROUNDING * scale,
        "covariate.sumProducts is inconsistent with the other sums (negative adjusted variance)");
    return Math.max(0, m2) / (n - 1);
  }

  private static void checkCovariate(MeanSummary y, CovariateSums x) {
    if (y.n() == 0) {
      Num.require(
          x.sum() == 0 && x.sumSquares() == 0 && x.sumProducts() == 0,
          "covariate sums must be 0 when n is 0");
      return;
    }
    double m2 = x.sumSquares() - x.sum() * x.sum() / y.n();
    Num.require(
        m2 >= -MeanSummary.ROUNDING * Math.max(x.sumSquares(), 1e-300),
        "covariate.sumSquares is inconsistent with covariate.sum and n (negative variance)");
  }
}
