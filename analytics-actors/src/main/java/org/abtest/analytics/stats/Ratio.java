package org.abtest.analytics.stats;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The difference of two ratio metrics ({@code Σy/Σd} per arm) by the delta method: each arm's ratio
 * has variance {@code (s²y − 2R·syd + R²·s²d) / (n·d̄²)} to first order (Deng, Knoblich & Lu 2018,
 * "Applying the Delta Method in Metric Analytics", eq. 3), the arms are independent, and the test
 * is Welch's on those variances (Welch–Satterthwaite degrees of freedom, t quantiles). The relative
 * lift's interval is the delta method's again ({@link RelativeLift}), and {@code cohensD} is the
 * difference over the pooled standard deviation of the linearized values.
 */
public final class Ratio {
  private Ratio() {}

  public static WelchResult test(RatioSummary control, RatioSummary treatment, double alpha) {
    Num.probability(alpha, "alpha");
    double rA = control.ratioRaw();
    double rB = treatment.ratioRaw();
    return Welch.fromMoments(
        rA,
        control.linearizedVarianceRaw(),
        control.n(),
        rB,
        treatment.linearizedVarianceRaw(),
        treatment.n(),
        difference(control, treatment),
        alpha);
  }

  /**
   * {@code ΣyB/ΣdB − ΣyA/ΣdA} as {@code (ΣyB·ΣdA − ΣyA·ΣdB)/(ΣdA·ΣdB)} in exact decimals, rounded
   * once: two close ratios subtracted as doubles lose the leading digits of their difference. NaN
   * when an arm has no denominator.
   */
  private static double difference(RatioSummary a, RatioSummary b) {
    if (a.denominatorSum() == 0 || b.denominatorSum() == 0) {
      return Double.NaN;
    }
    BigDecimal dA = new BigDecimal(a.denominatorSum());
    BigDecimal dB = new BigDecimal(b.denominatorSum());
    return new BigDecimal(b.sum())
        .multiply(dA)
        .subtract(new BigDecimal(a.sum()).multiply(dB))
        .divide(dA.multiply(dB), MathContext.DECIMAL128)
        .doubleValue();
  }
}
