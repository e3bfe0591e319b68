package org.abtest.analytics.stats;

import java.util.List;
import org.apache.commons.math3.special.Beta;

/**
 * Bayesian summaries of a comparison: the probability that treatment beats control and the expected
 * loss of choosing treatment, {@code E[max(control − treatment, 0)]} (what is given up, on average,
 * if treatment is shipped and it is in fact worse).
 *
 * <p>Proportions use Beta(1, 1) priors and exact posteriors. Means use the flat-prior normal
 * approximation: the difference is N(d, se²).
 */
public final class Bayesian {
  /** Up to this many terms Evan Miller's closed-form sum is used; beyond, numerical integration. */
  static final long MAX_SUM_TERMS = 20_000;

  private Bayesian() {}

  /** Probability to beat control and expected loss, {@code null} where undefined. */
  public record Result(Double probabilityToBeat, Double expectedLoss) {}

  public static Result proportions(ProportionSummary control, ProportionSummary treatment) {
    BetaPosterior a = BetaPosterior.of(control);
    BetaPosterior b = BetaPosterior.of(treatment);
    double beat = probabilityGreater(b, a);
    // E[(A − B)+] = E[A·1(A > B)] − E[B·1(A > B)], and E[X·1(X > Y)] = E[X]·P(X⁺ > Y) with X⁺ the
    // Beta(a + 1, b) posterior (the x·density identity of the Beta family)
    double loss =
        a.mean() * probabilityGreater(a.plusOneSuccess(), b)
            - b.mean() * probabilityGreater(a, b.plusOneSuccess());
    return new Result(Num.of(beat), Num.of(Math.max(0, loss)));
  }

  public static Result means(double diff, double se) {
    if (!(se > 0) || !Double.isFinite(diff)) {
      return new Result(null, null);
    }
    double z = diff / se;
    return new Result(Dist.normCdf(z), Math.max(0, se * Dist.phi(z) - diff * Dist.normCdf(-z)));
  }

  /**
   * GrowthBook-style "chance to win": the relative lift is taken as normal with its delta-method
   * standard error (flat prior) and the chance to win is P(lift &gt; 0) = Φ(lift/se). Unlike {@link
   * #means} it is invariant to the metric's scale and undefined when the control mean is 0.
   */
  public static Double chanceToWin(double meanA, double varMeanA, double meanB, double varMeanB) {
    if (!Double.isFinite(meanA) || !Double.isFinite(meanB) || meanA == 0) {
      return null;
    }
    double lift = (meanB - meanA) / Math.abs(meanA);
    double a2 = meanA * meanA;
    double var = varMeanB / a2 + meanB * meanB * varMeanA / (a2 * a2);
    return var > 0 ? Dist.normCdf(lift / Math.sqrt(var)) : null;
  }

  /** P(X &gt; Y) for independent Beta posteriors. */
  static double probabilityGreater(BetaPosterior x, BetaPosterior y) {
    if (x.a() - 1 <= MAX_SUM_TERMS && isInteger(x.a())) {
      return millerSum(x, y);
    }
    if (y.a() - 1 <= MAX_SUM_TERMS && isInteger(y.a())) {
      return 1 - millerSum(y, x);
    }
    return integrate(x, y);
  }

  /**
   * Evan Miller's closed form, for integer a_X: {@code P(X > Y) = Σ_{i=0}^{a_X − 1} B(a_Y + i, b_Y
   * + b_X) / ((b_X + i)·B(1 + i, b_X)·B(a_Y, b_Y))}. Every term is positive and formed in log
   * space, so the sum is accurate to rounding for any counts; only its length limits it.
   */
  static double millerSum(BetaPosterior x, BetaPosterior y) {
    double logNorm = Beta.logBeta(y.a(), y.b());
    double total = 0;
    long terms = (long) x.a();
    for (long i = 0; i < terms; i++) {
      total +=
          Math.exp(
              Beta.logBeta(y.a() + i, y.b() + x.b())
                  - Math.log(x.b() + i)
                  - Beta.logBeta(1 + i, x.b())
                  - logNorm);
    }
    return Math.min(1, total);
  }

  /**
   * {@code P(X > Y) = ∫ f_X(t)·F_Y(t) dt} by Simpson's rule over the range where f_X is not
   * negligible (±40 sd, clipped to [0, 1]), with steps far finer than either posterior's sd. Used
   * when both counts are large (beyond {@value #MAX_SUM_TERMS} conversions) - exact still, not a
   * normal approximation.
   */
  static double integrate(BetaPosterior x, BetaPosterior y) {
    if (x.sd() > y.sd()) {
      // integrate over the narrower density so the CDF factor is smooth on the grid's scale
      return 1 - integrate(y, x);
    }
    double value =
        BetaPosterior.integrate(t -> x.density(t) * y.cdf(t), List.of(x, y), x.lower(), x.upper());
    return Math.min(1, Math.max(0, value));
  }

  private static boolean isInteger(double v) {
    return v == Math.rint(v);
  }
}
