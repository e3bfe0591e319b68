package org.abtest.analytics.results;

import java.util.ArrayList;
import java.util.List;
import org.abtest.analytics.aggregate.EpochUnits;
import org.abtest.analytics.stats.EpochSrm;
import org.abtest.analytics.stats.Srm;

/** The SRM of a phase with a weight history: each epoch's units against that epoch's weights. */
final class SrmByEpoch {

  private SrmByEpoch() {}

  /**
   * Each epoch's variants in the order of its weights, then any variant with units but no weight
   * then (weight 0: a mismatch). Epochs of unknown weights are left out.
   */
  static Srm check(List<EpochUnits> epochs) {
    return EpochSrm.check(epochs(epochs));
  }

  /** The epochs as weights and units per variant, in the order {@link #check} describes. */
  static List<EpochSrm.Epoch> epochs(List<EpochUnits> epochs) {
    List<EpochSrm.Epoch> out = new ArrayList<>();
    for (EpochUnits e : epochs) {
      if (e.weights().isEmpty()) {
        continue;
      }
      List<Long> weights = new ArrayList<>();
      List<Long> units = new ArrayList<>();
      e.weights()
          .forEach(
              (variant, w) -> {
                weights.add((long) w);
                units.add(e.units().getOrDefault(variant, 0L));
              });
      e.units()
          .forEach(
              (variant, n) -> {
                if (!e.weights().containsKey(variant) && n > 0) {
                  weights.add(0L);
                  units.add(n);
                }
              });
      if (weights.size() >= 2) {
        out.add(new EpochSrm.Epoch(weights, units));
      }
    }
    return out;
  }
}
