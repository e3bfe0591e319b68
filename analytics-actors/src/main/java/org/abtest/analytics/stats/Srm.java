package org.abtest.analytics.stats;

import java.util.List;

/**
 * Sample-ratio mismatch: Pearson's chi-squared goodness of fit of the units per variant against the
 * configured weights. The threshold is deliberately strict (p &lt; 0.001) because the check runs on
 * every refresh of every experiment and a false alarm halts analysis.
 *
 * @param chi2 the statistic, {@code null} when a variant with weight 0 received units (the
 *     statistic is infinite; the p-value is then 0)
 */
public record Srm(Double chi2, Double pValue, boolean mismatch) {
  public static final double THRESHOLD = 0.001;

  /**
   * @param units units per variant
   * @param weights the variants' traffic weights in basis points (any positive scale works), same
   *     order
   */
  public static Srm check(List<Long> units, List<Long> weights) {
    Num.require(units.size() == weights.size(), "weights must have one entry per variant");
    Num.require(units.size() >= 2, "weights need at least two variants");
    double totalUnits = 0;
    double totalWeight = 0;
    for (int i = 0; i < units.size(); i++) {
      Num.require(units.get(i) >= 0, "variants[" + i + "].n must be >= 0");
      Num.require(weights.get(i) != null && weights.get(i) >= 0, "weights[" + i + "] must be >= 0");
      totalUnits += units.get(i);
      totalWeight += weights.get(i);
    }
    Num.require(totalWeight > 0, "weights must not all be 0");
    if (totalUnits == 0) {
      return new Srm(null, null, false);
    }
    double chi2 = 0;
    int cells = 0;
    for (int i = 0; i < units.size(); i++) {
      double expected = totalUnits * weights.get(i) / totalWeight;
      if (expected == 0) {
        if (units.get(i) > 0) {
          return new Srm(null, 0.0, true);
        }
        continue; // a variant switched off and empty carries no information
      }
      double dev = units.get(i) - expected;
      chi2 += dev * dev / expected;
      cells++;
    }
    if (cells < 2) {
      return new Srm(0.0, 1.0, false);
    }
    double p = Dist.chiSquaredUpper(chi2, cells - 1);
    return new Srm(chi2, p, p < THRESHOLD);
  }
}
