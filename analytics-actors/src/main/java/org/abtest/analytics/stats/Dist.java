package org.abtest.analytics.stats;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * The few distribution functions the engine needs, written so that tail probabilities keep their
 * relative precision (an upper tail is never computed as {@code 1 - cdf}) and quantiles are
 * polished with Newton steps, because commons-math's inverse CDFs stop at an absolute accuracy near
 * 1e-9.
 */
final class Dist {
  private static final NormalDistribution STD_NORMAL = new NormalDistribution(null, 0, 1);

  private Dist() {}

  static double phi(double z) {
    return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  }

  static double normCdf(double z) {
    return STD_NORMAL.cumulativeProbability(z);
  }

  /** Upper quantile: z with P(Z > z) = p. */
  static double normUpper(double p) {
    if (p < 1e-10) {
      return normUpperFarTail(p);
    }
    double z = -STD_NORMAL.inverseCumulativeProbability(p);
    for (int i = 0; i < 2; i++) {
      z += (normCdf(-z) - p) / phi(z);
    }
    return z;
  }

  /**
   * commons-math inverts through {@code erfInv(2p − 1)}, which is exactly −1 once p &lt; 1e-17
   * (early looks of an O'Brien–Fleming design spend 1e-50). Newton on {@code ln Φ(−z) = ln p} from
   * the asymptotic start keeps full precision there.
   */
  private static double normUpperFarTail(double p) {
    double logP = Math.log(p);
    double z = Math.sqrt(-2 * logP);
    z = Math.sqrt(-2 * logP - Math.log(2 * Math.PI * z * z));
    for (int i = 0; i < 50; i++) {
      double tail = normCdf(-z);
      double step = (Math.log(tail) - logP) * tail / phi(z);
      z += step;
      if (Math.abs(step) < 1e-15 * z) {
        break;
      }
    }
    return z;
  }

  /** Two-sided normal p-value. */
  static double normTwoSided(double z) {
    return Math.min(1.0, 2 * normCdf(-Math.abs(z)));
  }

  static TDistribution t(double df) {
    return new TDistribution(null, df);
  }

  static double tTwoSided(double t, double df) {
    return Math.min(1.0, 2 * tLowerTail(-Math.abs(t), df));
  }

  /** Beyond this many degrees of freedom the t tail is taken from the normal, as R's pt does. */
  static final double T_NORMAL_DF = 4e5;

  /**
   * P(T ≤ −|t|). Up to {@link #T_NORMAL_DF} degrees of freedom from the regularized incomplete beta
   * function, as commons-math does, but with {@code 1 − x = t²/(df + t²)} formed directly where the
   * beta is evaluated through its complement. Beyond, the incomplete beta loses digits to {@code
   * logGamma(df/2)} (8 are left at df = 2e8) and Abramowitz &amp; Stegun 26.7.8 is exact to
   * rounding: {@code Φ(−|t|·(1 − 1/(4df)) / √(1 + t²/(2df)))}, as in R's {@code pt}.
   */
  static double tLowerTail(double t, double df) {
    if (Double.isNaN(t) || Double.isNaN(df)) {
      return Double.NaN;
    }
    double t2 = t * t;
    if (df > T_NORMAL_DF) {
      return normCdf(-Math.abs(t) * (1 - 0.25 / df) / Math.sqrt(1 + t2 * 0.5 / df));
    }
    double x = df / (df + t2);
    double a = df / 2;
    double b = 0.5;
    if (x > (a + 1) / (a + b + 2)) {
      // the same switch commons-math makes, with 1 − x computed directly
      return 0.5 * (1 - Beta.regularizedBeta(t2 / (df + t2), b, a));
    }
    return 0.5 * Beta.regularizedBeta(x, a, b);
  }

  /** Upper quantile of Student's t: q with P(T > q) = p. */
  static double tUpper(double p, double df) {
    TDistribution dist = t(df);
    double q = -dist.inverseCumulativeProbability(p);
    for (int i = 0; i < 3; i++) {
      double density = dist.density(q);
      if (!(density > 0)) {
        break;
      }
      q += (tLowerTail(-q, df) - p) / density;
    }
    return q;
  }

  /** Upper tail of the chi-squared distribution. */
  static double chiSquaredUpper(double x, double df) {
    return x <= 0 ? 1.0 : Gamma.regularizedGammaQ(df / 2, x / 2);
  }
}
