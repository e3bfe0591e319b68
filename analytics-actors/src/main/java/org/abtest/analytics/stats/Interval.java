package org.abtest.analytics.stats;

/** A point estimate with a two-sided interval; any part is {@code null} when undefined. */
public record Interval(Double estimate, Double low, Double high) {
  static final Interval UNDEFINED = new Interval(null, null, null);

  static Interval of(double estimate, double halfWidth) {
    if (!Double.isFinite(estimate)) {
      return UNDEFINED;
    }
    if (!Double.isFinite(halfWidth)) {
      return new Interval(estimate, null, null);
    }
    return new Interval(estimate, estimate - halfWidth, estimate + halfWidth);
  }
}
