package org.abtest.node.aggregation;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.analytics.units.ExperimentDefinition;

/**
 * The durable record of every experiment phase's definition that unit state has counted with,
 * whatever the experiment's status now: a node that restarts, or takes over a partition, after a
 * pause or a conclusion still knows what those exposures meant.
 */
public interface DefinitionHistory {

  /** Every stored definition, at most {@code limit} of them. */
  CompletionStage<List<ExperimentDefinition>> loadAll(int limit);

  /** Stores (or replaces) the definition of one experiment × phase. */
  CompletionStage<Void> save(ExperimentDefinition definition);

  /** A history that keeps nothing: tests and tools that run without Cassandra. */
  DefinitionHistory NONE =
      new DefinitionHistory() {
        @Override
        public CompletionStage<List<ExperimentDefinition>> loadAll(int limit) {
          return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletionStage<Void> save(ExperimentDefinition definition) {
          return CompletableFuture.completedFuture(null);
        }
      };
}
