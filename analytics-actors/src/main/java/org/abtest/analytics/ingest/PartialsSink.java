package org.abtest.analytics.ingest;

import org.abtest.analytics.aggregate.ExperimentAggregator;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Where a unit-state actor sends its partials: to each experiment's aggregator, sharded across the
 * cluster ({@link #sharded}). Fire and forget: a lost partial is replaced by the next one.
 */
@FunctionalInterface
public interface PartialsSink {

  void replace(String experiment, ExperimentAggregator.ReplacePartial partial);

  static PartialsSink sharded(ClusterSharding sharding) {
    return (experiment, partial) ->
        sharding.entityRefFor(ExperimentAggregator.ENTITY_TYPE_KEY, experiment).tell(partial);
  }
}
