package org.abtest.analytics.stats;

import java.util.List;
import java.util.TreeSet;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.special.Beta;

/**
 * A Beta(a, b) posterior of a conversion rate: Beta(1, 1) prior updated with the arm's counts.
 * Holds the numerics shared by the Bayesian comparison and the bandit: log density, CDF, and the
 * range outside which the density is negligible.
 */
record BetaPosterior(double a, double b) {
  /** Standard deviations each side covered by {@link #lower()}/{@link #upper()}. */
  private static final double SPAN = 40;

  static BetaPosterior of(ProportionSummary arm) {
    return new BetaPosterior(arm.conversions() + 1.0, arm.n() - arm.conversions() + 1.0);
  }

  double mean() {
    return a / (a + b);
  }

  double sd() {
    double s = a + b;
    return Math.sqrt(a * b / (s * s * (s + 1)));
  }

  /**
   * Lower end of the integration range. 40 sd: even for Beta(1, n), an exponential-like shape, the
   * mass left outside is e^{-41} ≈ 1e-18.
   */
  double lower() {
    return Math.max(0, mean() - SPAN * sd());
  }

  double upper() {
    return Math.min(1, mean() + SPAN * sd());
  }

  double density(double x) {
    if (x < 0 || x > 1) {
      return 0;
    }
    double log = -Beta.logBeta(a, b);
    if (a != 1) {
      log += (a - 1) * Math.log(x);
    }
    if (b != 1) {
      log += (b - 1) * Math.log1p(-x);
    }
    return Math.exp(log);
  }

  double cdf(double x) {
    if (x <= 0) {
      return 0;
    }
    if (x >= 1) {
      return 1;
    }
    return Beta.regularizedBeta(x, a, b, 1e-15);
  }

  BetaPosterior plusOneSuccess() {
    return new BetaPosterior(a + 1, b);
  }

  /**
   * ∫ f over [lo, hi] where f is a product of these posteriors' densities and CDFs. Each CDF climbs
   * from 0 to 1 within about ±12 sd of its mean, a density lives within its ±40 sd; the range is
   * cut at those points and every piece gets Simpson steps of 1/{@value #STEPS_PER_SD} of the
   * smallest sd active in it, so a steep CDF of a large arm inside the broad density of a small arm
   * is still resolved.
   */
  static double integrate(DoubleUnaryOperator f, List<BetaPosterior> shapes, double lo, double hi) {
    return integrate(f, shapes, lo, hi, Budget.unlimited());
  }

  /** As above, spending one step per posterior per evaluation of f from {@code budget}. */
  static double integrate(
      DoubleUnaryOperator f, List<BetaPosterior> shapes, double lo, double hi, Budget budget) {
    TreeSet<Double> cuts = new TreeSet<>();
    cuts.add(lo);
    cuts.add(hi);
    for (BetaPosterior p : shapes) {
      for (double c : new double[] {p.mean() - 12 * p.sd(), p.mean() + 12 * p.sd()}) {
        if (c > lo && c < hi) {
          cuts.add(c);
        }
      }
    }
    double total = 0;
    Double previous = null;
    for (double cut : cuts) {
      if (previous != null) {
        double a = previous;
        double b = cut;
        double scale = Double.POSITIVE_INFINITY;
        for (BetaPosterior p : shapes) {
          if (p.mean() + 12 * p.sd() > a && p.mean() - 12 * p.sd() < b) {
            scale = Math.min(scale, p.sd());
          }
        }
        if (!Double.isFinite(scale)) {
          scale = (b - a) / 50; // only density tails here
        }
        int n = (int) Math.min(MAX_INTERVALS, 2 * Math.ceil((b - a) * STEPS_PER_SD / scale / 2));
        total +=
            simpson(
                f, a, b, Math.max(2, n + (n % 2)), budget, shapes.size() * Budget.BETA_CDF_STEPS);
      }
      previous = cut;
    }
    return total;
  }

  private static final double STEPS_PER_SD = 50;
  private static final int MAX_INTERVALS = 20_000;
  private static final int CHECK_EVERY = 256;

  /** Composite Simpson of f over [lo, hi] with n (even) intervals. */
  static double simpson(DoubleUnaryOperator f, double lo, double hi, int n) {
    return simpson(f, lo, hi, n, Budget.unlimited(), 1);
  }

  /**
   * As above, spending {@code stepsPerEvaluation} per evaluation from {@code budget} in chunks: one
   * piece may take up to {@value #MAX_INTERVALS} evaluations of a costly f, too long to go
   * unchecked.
   */
  static double simpson(
      DoubleUnaryOperator f, double lo, double hi, int n, Budget budget, long stepsPerEvaluation) {
    double h = (hi - lo) / n;
    budget.spend(2 * stepsPerEvaluation);
    double sum = f.applyAsDouble(lo) + f.applyAsDouble(hi);
    for (int i = 1; i < n; i++) {
      if (i % CHECK_EVERY == 0) {
        budget.spend(CHECK_EVERY * stepsPerEvaluation);
      }
      sum += f.applyAsDouble(lo + i * h) * (i % 2 == 1 ? 4 : 2);
    }
    return sum * h / 3;
  }
}
