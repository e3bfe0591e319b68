package org.abtest.analytics.stats;

/** One arm of a conversion metric: units and the units that converted. */
public record ProportionSummary(long n, long conversions) {
  public ProportionSummary {
    Num.require(n >= 0, "n must be >= 0, got " + n);
    Num.require(conversions >= 0, "conversions must be >= 0, got " + conversions);
    Num.require(conversions <= n, "conversions must be <= n, got " + conversions + " > " + n);
  }

  double rateRaw() {
    return n == 0 ? Double.NaN : (double) conversions / n;
  }

  public Double rate() {
    return Num.of(rateRaw());
  }
}
