package org.abtest.analytics.stats;

import java.util.List;
import org.apache.commons.math3.special.Gamma;

/**
 * An anytime-valid sample-ratio test, for watching the ratio continuously (the SRM guardrail): the
 * Bayes factor of a Dirichlet–multinomial mixture against the configured shares (Lindon &amp;
 * Malek, "Anytime-valid inference for multinomial count data", NeurIPS 2022). Under the null it is
 * a nonnegative martingale of mean 1, so by Ville's inequality it ever reaches 1/alpha with
 * probability at most alpha, however often it is looked at. Several weight epochs of one phase are
 * independent runs in sequence; the product of their factors is again such a martingale.
 *
 * <p>The mixture is Dirichlet(C·p) around the configured shares p with {@link #CONCENTRATION} C:
 * its spread of each share (about ±0.05 at p = 0.5) sets the mismatches it finds fastest, a few
 * percentage points, which is the size of the bugs an SRM reveals (a redirect losing a share of one
 * arm's units).
 *
 * @param logBayesFactor the log of the factor, summed over epochs; +∞ when a variant of weight 0
 *     received units
 * @param units the units counted
 */
public record SequentialSrm(double logBayesFactor, long units) {

  /** C of the Dirichlet(C·p) mixture. */
  public static final double CONCENTRATION = 100;

  /** One epoch: units per variant against the weights then (any scale). */
  public record Epoch(List<? extends Number> weights, List<Long> units) {}

  /** Whether the evidence of a mismatch suffices at level alpha. */
  public boolean mismatch(double alpha) {
    return logBayesFactor >= Math.log(1 / alpha);
  }

  public static SequentialSrm check(List<Epoch> epochs) {
    double log = 0;
    long total = 0;
    for (Epoch e : epochs) {
      Num.require(e.weights().size() == e.units().size(), "weights and units differ in length");
      double weightSum = 0;
      for (Number w : e.weights()) {
        Num.require(w.doubleValue() >= 0 && Double.isFinite(w.doubleValue()), "weights >= 0");
        weightSum += w.doubleValue();
      }
      if (weightSum <= 0) {
        continue;
      }
      long n = 0;
      double alphaSum = 0;
      double logTerms = 0;
      for (int i = 0; i < e.units().size(); i++) {
        long x = e.units().get(i);
        Num.require(x >= 0, "units >= 0");
        double p = e.weights().get(i).doubleValue() / weightSum;
        if (p == 0) {
          if (x > 0) {
            return new SequentialSrm(Double.POSITIVE_INFINITY, total + x);
          }
          continue; // a variant switched off and empty carries no information
        }
        double a = CONCENTRATION * p;
        alphaSum += a;
        logTerms += Gamma.logGamma(a + x) - Gamma.logGamma(a) - x * Math.log(p);
        n += x;
      }
      log += Gamma.logGamma(alphaSum) - Gamma.logGamma(alphaSum + n) + logTerms;
      total += n;
    }
    return new SequentialSrm(log, total);
  }
}
