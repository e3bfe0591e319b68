package org.abtest.analytics.aggregate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.CborSerializable;

/**
 * Everything the statistics need of one experiment phase, merged over every partition: the contract
 * between the aggregation pipeline and the results document.
 *
 * @param unitsPerVariant units whose first exposure was to each variant
 * @param metrics metric key → variant key → sums of per-unit values
 * @param funnelSteps per variant, units reaching each funnel step in order (empty without a funnel)
 * @param multipleExposureUnits units later exposed to another variant (a data-quality warning)
 * @param epochs units per variant of each weight epoch, by first exposure (empty when the phase's
 *     weight history is not known; SRM then tests all units against the current weights)
 */
public record ExperimentTotals(
    String experiment,
    int phase,
    Instant asOf,
    Map<String, Long> unitsPerVariant,
    Map<String, Map<String, MetricSums>> metrics,
    Map<String, List<Long>> funnelSteps,
    long multipleExposureUnits,
    List<EpochUnits> epochs)
    implements CborSerializable {

  public ExperimentTotals {
    epochs = epochs == null ? List.of() : List.copyOf(epochs);
  }

  /** Without weight epochs. */
  public ExperimentTotals(
      String experiment,
      int phase,
      Instant asOf,
      Map<String, Long> unitsPerVariant,
      Map<String, Map<String, MetricSums>> metrics,
      Map<String, List<Long>> funnelSteps,
      long multipleExposureUnits) {
    this(
        experiment,
        phase,
        asOf,
        unitsPerVariant,
        metrics,
        funnelSteps,
        multipleExposureUnits,
        List.of());
  }
}
