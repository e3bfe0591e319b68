package org.abtest.client;

import java.util.Optional;

/**
 * Where the client keeps each unit's first variant per (experiment, salt), for the experiments with
 * {@code stickyBucketing}, so a sticky weight change does not move units that were already assigned
 * ({@link org.abtest.protocol.assignment.StickyBuckets} has the rule). Give one to {@link
 * AbTestClient.Builder#stickyBuckets}. Implementations are called on the caller's thread during
 * evaluation and must not block for long; one that throws is ignored for that call (the hash answer
 * stands).
 */
public interface StickyBucketStore {

  /**
   * The unit's stored variant, keyed as the manifest keys the experiment (hashed if obfuscated).
   */
  Optional<String> get(String experiment, String salt, String unit);

  /** Stores (or replaces) the unit's variant. */
  void put(String experiment, String salt, String unit, String variant);
}
