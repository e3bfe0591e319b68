package org.abtest.node.adapters;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.ExposureAggregator;
import org.abtest.analytics.results.TotalsSource;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Totals from the exposure aggregator: units per variant only, no metric sums yet. A stopgap until
 * the event pipeline's merged totals replace it behind the same interface.
 */
public final class ExposureTotalsSource implements TotalsSource {

  private final ClusterSharding sharding;
  private final Duration timeout;
  private final Clock clock;

  public ExposureTotalsSource(ClusterSharding sharding, Duration timeout, Clock clock) {
    this.sharding = sharding;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public CompletionStage<ExperimentTotals> totals(String experiment, int phase) {
    return sharding
        .entityRefFor(ExposureAggregator.ENTITY_TYPE_KEY, experiment)
        .ask(ExposureAggregator.GetCounts::new, timeout)
        .thenApply(
            counts ->
                new ExperimentTotals(
                    experiment,
                    phase,
                    clock.instant(),
                    counts.unitsPerVariant(),
                    Map.of(),
                    Map.of(),
                    0));
  }
}
