package org.abtest.analytics.ingest;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * A partition's unit state and the offset it reflects, in Cassandra. The state is written in chunks
 * under a new generation, and only then the head row naming that generation and the next offset: a
 * single-row write, so a reader sees either the old state with the old offset or the new state with
 * the new offset, never a mix, whenever the writer dies.
 */
public final class PartitionSnapshots {

  /** A stored snapshot: the state's bytes and the offset of the first record it has not seen. */
  public record Snapshot(byte[] state, long nextOffset, long generation) {}

  private static final int CHUNK = 512 * 1024;

  private final CassandraSession session;
  private final String keyspace;

  public PartitionSnapshots(CassandraSession session, String keyspace) {
    this.session = session;
    this.keyspace = keyspace;
  }

  /** Creates the tables (local and test setups only; production creates them by migration). */
  public CompletionStage<Done> createTables() {
    return session
        .executeDDL(
            "CREATE TABLE IF NOT EXISTS "
                + keyspace
                + ".unit_state_head (topic text, partition int, generation bigint,"
                + " next_offset bigint, chunks int, written_at timestamp,"
                + " PRIMARY KEY ((topic, partition)))")
        .thenCompose(
            d ->
                session.executeDDL(
                    "CREATE TABLE IF NOT EXISTS "
                        + keyspace
                        + ".unit_state_chunks (topic text, partition int, generation bigint,"
                        + " chunk int, data blob,"
                        + " PRIMARY KEY ((topic, partition, generation), chunk))"));
  }

  public CompletionStage<Optional<Snapshot>> load(String topic, int partition) {
    return session
        .selectOne(
            SimpleStatement.newInstance(
                "SELECT generation, next_offset, chunks FROM "
                    + keyspace
                    + ".unit_state_head WHERE topic = ? AND partition = ?",
                topic,
                partition))
        .thenCompose(
            head -> {
              if (head.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.empty());
              }
              long generation = head.get().getLong("generation");
              long next = head.get().getLong("next_offset");
              int chunks = head.get().getInt("chunks");
              return session
                  .selectAll(
                      SimpleStatement.newInstance(
                          "SELECT chunk, data FROM "
                              + keyspace
                              + ".unit_state_chunks WHERE topic = ? AND partition = ?"
                              + " AND generation = ?",
                          topic,
                          partition,
                          generation))
                  .thenApply(
                      rows -> {
                        // a failed earlier attempt at this generation may have left more chunks
                        List<Row> mine =
                            rows.stream().filter(r -> r.getInt("chunk") < chunks).toList();
                        if (mine.size() != chunks) {
                          throw new IllegalStateException(
                              "snapshot of "
                                  + topic
                                  + "/"
                                  + partition
                                  + " has "
                                  + mine.size()
                                  + " of "
                                  + chunks
                                  + " chunks");
                        }
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        mine.forEach(
                            r -> {
                              ByteBuffer b = r.getByteBuffer("data");
                              byte[] bytes = new byte[b.remaining()];
                              b.get(bytes);
                              out.writeBytes(bytes);
                            });
                        return Optional.of(new Snapshot(out.toByteArray(), next, generation));
                      });
            });
  }

  /**
   * Writes {@code state} as chunk set {@code generation}, then points the head at it, then drops
   * {@code previous} (the set this writer loaded or wrote last). A generation must be unique to its
   * writer (callers draw it at random): during a rebalance an old and a new owner of the partition
   * may both be saving, and with shared ids one's chunks could overwrite the other's under a head
   * that names a different offset. With unique ids every head names one consistent (state, offset)
   * pair, and the last head written wins; an older consistent snapshot only means a longer replay.
   */
  public CompletionStage<Done> save(
      String topic, int partition, long generation, long previous, byte[] state, long nextOffset) {
    List<CompletionStage<Done>> writes = new ArrayList<>();
    int chunks = 0;
    for (int from = 0; from < state.length || chunks == 0; from += CHUNK) {
      int to = Math.min(state.length, from + CHUNK);
      writes.add(
          session.executeWrite(
              SimpleStatement.newInstance(
                  "INSERT INTO "
                      + keyspace
                      + ".unit_state_chunks (topic, partition, generation, chunk, data)"
                      + " VALUES (?, ?, ?, ?, ?)",
                  topic,
                  partition,
                  generation,
                  chunks,
                  ByteBuffer.wrap(Arrays.copyOfRange(state, from, to)))));
      chunks++;
    }
    int total = chunks;
    return CompletableFuture.allOf(
            writes.stream()
                .map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new))
        .thenCompose(
            v ->
                session.executeWrite(
                    SimpleStatement.newInstance(
                        "INSERT INTO "
                            + keyspace
                            + ".unit_state_head (topic, partition, generation, next_offset,"
                            + " chunks, written_at) VALUES (?, ?, ?, ?, ?, ?)",
                        topic,
                        partition,
                        generation,
                        nextOffset,
                        total,
                        Instant.now())))
        .thenCompose(
            d ->
                session.executeWrite(
                    SimpleStatement.newInstance(
                        "DELETE FROM "
                            + keyspace
                            + ".unit_state_chunks WHERE topic = ? AND partition = ?"
                            + " AND generation = ?",
                        topic,
                        partition,
                        previous)));
  }
}
