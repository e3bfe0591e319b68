package org.abtest.analytics.ingest;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the chunk sets of snapshot writes that did not become a partition's snapshot. Every write
 * registers its generation in {@code unit_state_writes} before its first chunk, and the row goes
 * with its chunks; so a set is found whether its write failed (deleted at once by its writer) or
 * its writer died (deleted by the sweep when the partition next starts). Neither ever deletes the
 * set the head names, and the sweep leaves a set younger than {@code orphanAge} alone: it may be
 * another owner's write still in flight during a rebalance.
 */
public final class SnapshotJanitor {

  private static final Logger log = LoggerFactory.getLogger(SnapshotJanitor.class);

  /** What became of a failed write's chunks. */
  public enum Outcome {
    /** Deleted. */
    DELETED,
    /** Kept: the head names it (the write failed after its head was stored). */
    CURRENT
  }

  private final CassandraSession session;
  private final String keyspace;
  private final Duration orphanAge;
  private final SnapshotHealth health;
  private final AtomicBoolean registryWarned = new AtomicBoolean();

  SnapshotJanitor(
      CassandraSession session, String keyspace, Duration orphanAge, SnapshotHealth health) {
    this.session = session;
    this.keyspace = keyspace;
    this.orphanAge = orphanAge;
    this.health = health;
  }

  static String writesTable(String keyspace) {
    return "CREATE TABLE IF NOT EXISTS "
        + keyspace
        + ".unit_state_writes (topic text, partition int, generation bigint,"
        + " started_at timestamp, PRIMARY KEY ((topic, partition), generation))";
  }

  /**
   * Registers a write before its first chunk. Best effort: without the table (a production keyspace
   * not yet migrated, docs/operations.md "Schema changes") snapshots still work, and only a crashed
   * write's orphan goes unfound; that is logged once.
   */
  CompletionStage<Done> register(String topic, int partition, long generation) {
    return tolerant(
        session.executeWrite(
            SimpleStatement.newInstance(
                "INSERT INTO "
                    + keyspace
                    + ".unit_state_writes (topic, partition, generation, started_at)"
                    + " VALUES (?, ?, ?, ?)",
                topic,
                partition,
                generation,
                Instant.now())));
  }

  private CompletionStage<Done> tolerant(CompletionStage<Done> registryWrite) {
    return registryWrite.exceptionally(
        e -> {
          if (!registryWarned.getAndSet(true)) {
            log.warn(
                "{}.unit_state_writes cannot be written: orphans of crashed snapshot writes will"
                    + " not be swept (create the table, docs/operations.md)",
                keyspace,
                e);
          }
          return Done.getInstance();
        });
  }

  /** Deletes a chunk set and its registration (the caller knows it is not the head's). */
  CompletionStage<Done> drop(String topic, int partition, long generation) {
    return session
        .executeWrite(
            SimpleStatement.newInstance(
                "DELETE FROM "
                    + keyspace
                    + ".unit_state_chunks WHERE topic = ? AND partition = ? AND generation = ?",
                topic,
                partition,
                generation))
        .thenCompose(
            d ->
                tolerant(
                    session.executeWrite(
                        SimpleStatement.newInstance(
                            "DELETE FROM "
                                + keyspace
                                + ".unit_state_writes WHERE topic = ? AND partition = ?"
                                + " AND generation = ?",
                            topic,
                            partition,
                            generation))));
  }

  /** After a failed save of {@code generation}: deletes its chunks unless the head names it. */
  public CompletionStage<Outcome> discardFailed(String topic, int partition, long generation) {
    return head(topic, partition)
        .thenCompose(
            head -> {
              if (head.isPresent() && head.getAsLong() == generation) {
                return CompletableFuture.completedFuture(Outcome.CURRENT);
              }
              return drop(topic, partition, generation)
                  .thenApply(
                      d -> {
                        health.cleanedFailed();
                        return Outcome.DELETED;
                      });
            });
  }

  /**
   * Deletes the partition's registered chunk sets that the head does not name and whose write
   * started more than {@code orphanAge} ago; completes with how many.
   */
  public CompletionStage<Integer> sweep(String topic, int partition) {
    Instant before = Instant.now().minus(orphanAge);
    return head(topic, partition)
        .thenCompose(
            head ->
                session
                    .selectAll(
                        SimpleStatement.newInstance(
                            "SELECT generation, started_at FROM "
                                + keyspace
                                + ".unit_state_writes WHERE topic = ? AND partition = ?",
                            topic,
                            partition))
                    .thenCompose(rows -> dropOrphans(topic, partition, head, rows, before)));
  }

  private CompletionStage<Integer> dropOrphans(
      String topic, int partition, OptionalLong head, List<Row> rows, Instant before) {
    CompletionStage<Integer> done = CompletableFuture.completedFuture(0);
    for (Row row : rows) {
      long generation = row.getLong("generation");
      Instant started = row.getInstant("started_at");
      boolean current = head.isPresent() && head.getAsLong() == generation;
      if (current || (started != null && started.isAfter(before))) {
        continue;
      }
      done =
          done.thenCompose(
              n ->
                  drop(topic, partition, generation)
                      .thenApply(
                          d -> {
                            health.cleanedOrphan();
                            return n + 1;
                          }));
    }
    return done;
  }

  private CompletionStage<OptionalLong> head(String topic, int partition) {
    return session
        .selectOne(
            SimpleStatement.newInstance(
                "SELECT generation FROM "
                    + keyspace
                    + ".unit_state_head WHERE topic = ? AND partition = ?",
                topic,
                partition))
        .thenApply(
            r ->
                r.map(row -> OptionalLong.of(row.getLong("generation")))
                    .orElse(OptionalLong.empty()));
  }
}
