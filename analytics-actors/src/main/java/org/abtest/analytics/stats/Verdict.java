package org.abtest.analytics.stats;

import java.util.Locale;

/** The one-word reading of a comparison shown to people; {@link #json()} is the API spelling. */
public enum Verdict {
  SIGNIFICANT,
  TRENDING,
  NOT_SIGNIFICANT;

  /** Below this a result that misses alpha is still worth watching. */
  public static final double TRENDING_THRESHOLD = 0.10;

  /** significant when p &lt; alpha, trending when p &lt; 0.10, otherwise (or undefined p) not. */
  public static Verdict of(Double pValue, double alpha) {
    if (pValue == null) {
      return NOT_SIGNIFICANT;
    }
    if (pValue < alpha) {
      return SIGNIFICANT;
    }
    return pValue < TRENDING_THRESHOLD ? TRENDING : NOT_SIGNIFICANT;
  }

  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }
}
