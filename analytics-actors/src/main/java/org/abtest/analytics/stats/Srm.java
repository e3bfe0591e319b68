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
   * @param weights the variants' traffic weights, same order, on any scale: basis points, shares
   *     ({@code [0.5, 0.5]}) or relative weights ({@code [1, 2]}) give the same test, as scipy's
   *     {@code chisquare(f_exp=…)} does once the expected counts are scaled to the total
   */
  public static Srm check(List<Long> units, List<? extends Number> weights) {
    Num.require(units.size() == weights.size(), "weights must have one entry per variant");
    Num.require(units.size() >= 2, "weights need at least two variants");
    double totalUnits = 0;
    double totalWeight = 0;
    for (int i = 0; i < units.size(); i++) {
      Num.require(units.get(i) >= 0, "variants[" + i + "].n must be >= 0");
      Number w = weights.get(i);
      Num.require(
          w != null && Double.isFinite(w.doubleValue()) && w.doubleValue() >= 0,
          "weights[" + i + "] must be a finite number >= 0");
      totalUnits += units.get(i);
      totalWeight += w.doubleValue();
    }
    Num.require(totalWeight > 0, "weights must not all be 0");
    Num.require(Double.isFinite(totalWeight), "weights must add up to a finite number");
    if (totalUnits == 0) {
      return new Srm(null, null, false);
    }
    double chi2 = 0;
    int cells = 0;
    for (int i = 0; i < units.size(); i++) {
      double expected = totalUnits * (weights.get(i).doubleValue() / totalWeight);
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
