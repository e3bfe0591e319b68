package org.abtest.analytics.ingest;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * Where a unit-state actor writes its snapshots ({@link PartitionSnapshots}, in Cassandra): the two
 * calls it makes, so that its snapshot rhythm can be tested without a database.
 */
public interface SnapshotWriter {

  /** See {@link PartitionSnapshots#save}. */
  CompletionStage<Done> save(
      String topic,
      int partition,
      long generation,
      long previous,
      List<byte[]> state,
      long nextOffset);

  /** Deletes the chunks of a failed save, never those the head names ({@link SnapshotJanitor}). */
  CompletionStage<SnapshotJanitor.Outcome> discardFailed(
      String topic, int partition, long generation);
}
