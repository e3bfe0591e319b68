package org.abtest.analytics.stats;

/**
 * Two-proportion tests. Without continuity correction the pooled z-test, Pearson's chi-squared on
 * the 2×2 table and R's {@code prop.test(correct = FALSE)} are the same test ({@code z² = chi²}).
 * With it, the statistic and interval follow {@code prop.test(correct = TRUE)}: Yates' correction
 * {@code min(0.5, |O − E|)} and an interval widened by {@code 0.5·(1/nA + 1/nB)}.
 */
public final class TwoProportion {
  private TwoProportion() {}

  public static ProportionResult test(
      ProportionSummary control,
      ProportionSummary treatment,
      double alpha,
      boolean continuityCorrection) {
    Num.probability(alpha, "alpha");
    long nA = control.n();
    long nB = treatment.n();
    double pA = control.rateRaw();
    double pB = treatment.rateRaw();
    double diff = pB - pA;
    double z = Double.NaN;
    double p = Double.NaN;
    if (nA > 0 && nB > 0) {
      double pooled = (double) (control.conversions() + treatment.conversions()) / (nA + nB);
      double se0 = Math.sqrt(pooled * (1 - pooled) * (1.0 / nA + 1.0 / nB));
      if (se0 > 0) {
        if (continuityCorrection) {
          double chi2 = chiSquared(control, treatment, true);
          z = Math.copySign(Math.sqrt(chi2), diff);
          p = Dist.chiSquaredUpper(chi2, 1);
        } else {
          z = diff / se0;
          p = Dist.normTwoSided(z);
        }
      }
    }
    double varA = pA * (1 - pA) / nA;
    double varB = pB * (1 - pB) / nB;
    double se = Math.sqrt(varA + varB);
    double half = Double.NaN;
    if (nA > 0 && nB > 0) {
      // both arms at 0 % or 100 %: the unpooled interval is the point [diff, diff] (R's prop.test),
      // widened by the continuity correction when asked
      half = se > 0 ? Dist.normUpper(alpha / 2) * se : 0;
      if (continuityCorrection) {
        half += yates(control, treatment) * (1.0 / nA + 1.0 / nB);
      }
    }
    Interval ci = Interval.of(diff, half);
    Interval rel = RelativeLift.of(pA, varA, pB, varB, alpha);
    return new ProportionResult(
        Num.of(diff),
        Num.of(z),
        Num.of(p),
        ci.low() == null ? null : Math.max(-1, ci.low()),
        ci.high() == null ? null : Math.min(1, ci.high()),
        rel.estimate(),
        rel.low(),
        rel.high());
  }

  /**
   * Pearson's chi-squared statistic of the 2×2 table (converted / not converted × arm), with Yates'
   * correction on request; NaN when a row or column of the table is empty.
   */
  public static double chiSquared(
      ProportionSummary control, ProportionSummary treatment, boolean yates) {
    double[][] observed = {
      {control.conversions(), control.n() - control.conversions()},
      {treatment.conversions(), treatment.n() - treatment.conversions()}
    };
    double total = control.n() + treatment.n();
    double[] rows = {control.n(), treatment.n()};
    double[] cols = {observed[0][0] + observed[1][0], observed[0][1] + observed[1][1]};
    double correction = yates ? yates(control, treatment) : 0;
    double chi2 = 0;
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        double expected = rows[i] * cols[j] / total;
        double dev = Math.abs(observed[i][j] - expected) - correction;
        chi2 += dev * dev / expected;
      }
    }
    return chi2;
  }

  /** p-value of {@link #chiSquared}, or {@code null} when the table has an empty margin. */
  public static Double chiSquaredPValue(
      ProportionSummary control, ProportionSummary treatment, boolean yates) {
    return Num.of(Dist.chiSquaredUpper(chiSquared(control, treatment, yates), 1));
  }

  /** Yates' correction as R applies it: never more than the distance |O − E| itself. */
  private static double yates(ProportionSummary a, ProportionSummary b) {
    double total = a.n() + b.n();
    double dev =
        Math.abs((double) a.conversions() * b.n() - (double) b.conversions() * a.n()) / total;
    return Math.min(0.5, dev);
  }
}
