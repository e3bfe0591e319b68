package org.abtest.node.sticky;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.protocol.assignment.StickyBuckets;

/**
 * Where the server keeps units' first variants (sticky bucketing, decisions §32). {@link #load}
 * makes a unit's rows ready in memory, {@link #bucketsOf} evaluates against them. Neither ever
 * fails: a store that cannot answer in time leaves the unit unknown, and an unknown unit is
 * assigned by the hash with nothing kept.
 */
public interface StickyStore {

  /** No store: every unit is unknown (plain hashing). */
  StickyStore NONE =
      new StickyStore() {
        @Override
        public CompletionStage<Void> load(String unit) {
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public StickyBuckets bucketsOf(String unit) {
          return null;
        }
      };

  /**
   * Completes when the unit's rows are in memory, or when waiting longer would delay the answer.
   */
  CompletionStage<Void> load(String unit);

  /** The unit's stored variants, keeping new first variants; null when the unit is not loaded. */
  StickyBuckets bucketsOf(String unit);
}
