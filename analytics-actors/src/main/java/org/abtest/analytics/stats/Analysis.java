package org.abtest.analytics.stats;

import java.util.List;
import java.util.Optional;

/**
 * The engine's answer to an {@link AnalysisSpec}.
 *
 * @param srm present when the spec had weights
 * @param comparisons every variant but the baseline against it, in the spec's order
 */
public record Analysis(Optional<Srm> srm, List<VariantComparison> comparisons) {
  public Analysis {
    comparisons = List.copyOf(comparisons);
  }
}
