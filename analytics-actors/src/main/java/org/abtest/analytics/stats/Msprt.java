package org.abtest.analytics.stats;

/**
 * Mixture sequential probability ratio test (Johari, Pekelis and Walsh, "Always valid inference",
 * 2017) for a difference of means treated as normal with variance V (the squared standard error,
 * estimated from the data at each look), against a N(0, τ²) mixture over the true difference:
 *
 * <pre>
 * Λ = √(V/(V + τ²)) · exp(τ²·d² / (2V(V + τ²)))      p = min(1, 1/Λ)
 * confidence sequence: d ± √( V(V + τ²)/τ² · (2 ln(1/α) + ln((V + τ²)/V)) )
 * </pre>
 *
 * <p>τ² is on the scale of the difference itself (squared units of the metric; squared percentage
 * points for proportions). It should be near the square of the effects one expects: smaller τ²
 * gives more power for small effects, at the cost of power for large ones. Validity holds for any
 * τ² fixed before the data are seen.
 *
 * <p>The guarantee (P(p ever ≤ α) ≤ α under the null) is for the running minimum of the p-value and
 * the running intersection of the intervals over all looks; the {@code previous} overloads carry
 * that state for callers that keep it.
 */
public final class Msprt {
  private Msprt() {}

  /** The always-valid p-value at one look, {@code null} when V is not positive. */
  public static Double pValue(double diff, double variance, double tau2) {
    Num.require(tau2 > 0, "tau2 must be > 0, got " + tau2);
    if (!(variance > 0) || !Double.isFinite(diff)) {
      return null;
    }
    double logLambda =
        0.5 * Math.log(variance / (variance + tau2))
            + tau2 * diff * diff / (2 * variance * (variance + tau2));
    return Math.exp(Math.min(0, -logLambda));
  }

  /**
   * The running always-valid p-value: the smaller of this look's and the previous running value.
   */
  public static Double pValue(double diff, double variance, double tau2, Double previous) {
    Double now = pValue(diff, variance, tau2);
    if (previous == null) {
      return now;
    }
    return now == null ? previous : Math.min(previous, now);
  }

  /** The (1 − alpha) confidence sequence at one look. */
  public static Interval confidenceSequence(
      double diff, double variance, double tau2, double alpha) {
    Num.require(tau2 > 0, "tau2 must be > 0, got " + tau2);
    Num.probability(alpha, "alpha");
    if (!(variance > 0) || !Double.isFinite(diff)) {
      return Interval.of(diff, Double.NaN);
    }
    double half =
        Math.sqrt(
            variance
                * (variance + tau2)
                / tau2
                * (2 * Math.log(1 / alpha) + Math.log((variance + tau2) / variance)));
    return Interval.of(diff, half);
  }

  /** The running confidence sequence: this look's interval intersected with the previous one. */
  public static Interval confidenceSequence(
      double diff, double variance, double tau2, double alpha, Interval previous) {
    Interval now = confidenceSequence(diff, variance, tau2, alpha);
    if (previous == null || previous.low() == null || previous.high() == null) {
      return now;
    }
    if (now.low() == null || now.high() == null) {
      return new Interval(now.estimate(), previous.low(), previous.high());
    }
    // an empty intersection can only happen with probability ≤ alpha; it is kept, not repaired,
    // because it is itself evidence against the model
    return new Interval(
        now.estimate(), Math.max(previous.low(), now.low()), Math.min(previous.high(), now.high()));
  }
}
