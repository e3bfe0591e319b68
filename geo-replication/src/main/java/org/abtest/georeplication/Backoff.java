package org.abtest.georeplication;

import java.time.Duration;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.persistence.typed.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.typed.javadsl.Recovery;

/**
 * How entities ride out a journal that fails a write or a recovery (Cassandra restarting, or a
 * keyspace still being created on first start): restart after a short, growing pause instead of
 * stopping, so the next command finds the entity again.
 */
final class Backoff {

  static final BackoffSupervisorStrategy JOURNAL =
      SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2);

  /** Recovery from events alone: these entities take no snapshots. */
  static final Recovery EVENTS_ONLY =
      Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());

  private Backoff() {}
}
