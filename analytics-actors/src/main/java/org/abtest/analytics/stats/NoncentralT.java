package org.abtest.analytics.stats;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * CDF of the noncentral t distribution (commons-math has only the central one), for power of the
 * t-test. For t ≥ 0 it uses the Poisson-mixture series (Guenther 1978; Lenth 1989, AS 243):
 *
 * <pre>
 * F(t; ν, δ) = Φ(−δ) + ½ Σ_j [ p_j·I_x(j + ½, ν/2) + q_j·I_x(j + 1, ν/2) ],   x = t²/(t² + ν)
 * p_j = e^{−δ²/2} (δ²/2)^j / j!,   q_j = δ/√2 · e^{−δ²/2} (δ²/2)^j / Γ(j + 3/2)
 * </pre>
 *
 * and for t &lt; 0 the reflection F(t; ν, δ) = 1 − F(−t; ν, −δ). Weights are formed in log space so
 * that large noncentralities do not underflow, and the sum runs well past the Poisson mode.
 *
 * <p>Beyond δ²/2 = {@value #SERIES_LIMIT} the series would need thousands of incomplete-beta terms;
 * there the Abramowitz–Stegun 26.7.10 normal approximation {@code Φ((t(1 − 1/(4ν)) − δ)/√(1 +
 * t²/(2ν)))} is used instead. Power calculations never get there near their solution (δ ≈ z_{α/2} +
 * z_β), only while a root finder probes far ends of its bracket, where the power is 0 or 1 anyway.
 */
final class NoncentralT {
  private static final double EPS = 1e-15;
  static final double SERIES_LIMIT = 2000;

  private NoncentralT() {}

  static double cdf(double t, double df, double ncp) {
    if (t < 0) {
      return 1 - seriesCdf(-t, df, -ncp);
    }
    return seriesCdf(t, df, ncp);
  }

  static double upperTail(double t, double df, double ncp) {
    if (t < 0) {
      return seriesCdf(-t, df, -ncp);
    }
    return 1 - seriesCdf(t, df, ncp);
  }

  private static double seriesCdf(double t, double df, double ncp) {
    double base = Dist.normCdf(-ncp);
    if (t == 0) {
      return base;
    }
    double x = t * t / (t * t + df);
    double lambda = ncp * ncp / 2;
    if (lambda > SERIES_LIMIT) {
      return Dist.normCdf((t * (1 - 1 / (4 * df)) - ncp) / Math.sqrt(1 + t * t / (2 * df)));
    }
    double halfDf = df / 2;
    double logLambda = lambda > 0 ? Math.log(lambda) : Double.NEGATIVE_INFINITY;
    double logQScale = Math.log(Math.abs(ncp) / Math.sqrt(2));
    double sign = Math.signum(ncp);
    int last = (int) Math.ceil(lambda + 12 * Math.sqrt(lambda) + 60);
    double sum = 0;
    for (int j = 0; j <= last; j++) {
      double logPoisson = j == 0 ? -lambda : -lambda + j * logLambda;
      double pj = Math.exp(logPoisson - Gamma.logGamma(j + 1));
      double qj = ncp == 0 ? 0 : sign * Math.exp(logQScale + logPoisson - Gamma.logGamma(j + 1.5));
      double term = pj * Beta.regularizedBeta(x, j + 0.5, halfDf, EPS);
      if (qj != 0) {
        term += qj * Beta.regularizedBeta(x, j + 1, halfDf, EPS);
      }
      sum += term;
      if (j > lambda && Math.abs(term) < 1e-17 * Math.abs(sum) + 1e-300) {
        break;
      }
    }
    return Math.min(1, Math.max(0, base + 0.5 * sum));
  }
}
