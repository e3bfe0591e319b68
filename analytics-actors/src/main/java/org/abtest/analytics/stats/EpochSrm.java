package org.abtest.analytics.stats;

import java.util.List;

/**
 * Sample-ratio mismatch over weight epochs: each unit is compared against the weights in force when
 * it was first exposed. Within an epoch the units per variant are multinomial with that epoch's
 * weights, and epochs are independent, so the per-epoch Pearson statistics add up to a chi-squared
 * statistic whose degrees of freedom are the sum of the epochs' (cells − 1). One epoch gives
 * exactly {@link Srm#check}. Flagged at p &lt; {@link Srm#THRESHOLD}, like the single test.
 */
public final class EpochSrm {

  /** The units per variant first exposed while {@code weights} were in force. */
  public record Epoch(List<Long> weights, List<Long> units) {
    public Epoch {
      weights = List.copyOf(weights);
      units = List.copyOf(units);
    }
  }

  private EpochSrm() {}

  public static Srm check(List<Epoch> epochs) {
    double chi2 = 0;
    int df = 0;
    boolean any = false;
    for (Epoch e : epochs) {
      Srm one = Srm.check(e.units(), e.weights());
      if (one.pValue() == null) {
        continue; // no units in this epoch: no information
      }
      any = true;
      if (one.chi2() == null) {
        return new Srm(null, 0.0, true); // units in a variant this epoch had switched off
      }
      chi2 += one.chi2();
      df += cells(e) - 1;
    }
    if (!any) {
      return new Srm(null, null, false);
    }
    if (df < 1) {
      return new Srm(0.0, 1.0, false);
    }
    double p = Dist.chiSquaredUpper(chi2, df);
    return new Srm(chi2, p, p < Srm.THRESHOLD);
  }

  /** Variants with a positive weight in the epoch (a switched-off, empty one carries nothing). */
  private static int cells(Epoch e) {
    int cells = 0;
    for (Long w : e.weights()) {
      if (w > 0) {
        cells++;
      }
    }
    return cells;
  }
}
