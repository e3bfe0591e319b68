package org.abtest.analytics.ingest;

import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * A partition's unit state and the offset it reflects, in Cassandra. The state is written in chunks
 * under a new generation, and only then the head row naming that generation and the next offset: a
 * single-row write, so a reader sees either the old state with the old offset or the new state with
 * the new offset, never a mix, whenever the writer dies.
 */
public final class PartitionSnapshots implements SnapshotWriter {

  /**
   * A stored snapshot: the state's chunks, in order, and the offset of the first record it has not
   * seen. Read through {@link #stream()}: the chunks are never joined into one array.
   */
  public record Snapshot(List<ByteBuffer> chunks, long nextOffset, long generation, int expected) {

    public Snapshot(List<ByteBuffer> chunks, long nextOffset, long generation) {
      this(chunks, nextOffset, generation, chunks.size());
    }

    /** Whether every chunk the head names was found (a lost chunk makes it unreadable). */
    public boolean complete() {
      return chunks.size() == expected;
    }

    /** What is missing, for the log line (empty when complete). */
    public String missing() {
      return complete() ? "" : "only " + chunks.size() + " of its " + expected + " chunks exist";
    }

    /** The state's bytes, chunk after chunk, read straight from the rows' buffers. */
    public InputStream stream() {
      List<InputStream> parts = new ArrayList<>();
      for (ByteBuffer chunk : chunks) {
        parts.add(new BufferStream(chunk.duplicate()));
      }
      return new SequenceInputStream(Collections.enumeration(parts));
    }

    /** The state's first bytes (its layout version), at most {@code n}. */
    public byte[] head(int n) {
      if (chunks.isEmpty()) {
        return new byte[0];
      }
      ByteBuffer b = chunks.get(0).duplicate();
      byte[] out = new byte[Math.min(n, b.remaining())];
      b.get(out);
      return out;
    }
  }

  /** An input stream over one buffer, without copying it. */
  private static final class BufferStream extends InputStream {
    private final ByteBuffer buffer;

    BufferStream(ByteBuffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public int read() {
      return buffer.hasRemaining() ? buffer.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (!buffer.hasRemaining()) {
        return -1;
      }
      int n = Math.min(len, buffer.remaining());
      buffer.get(b, off, n);
      return n;
    }
  }

  /** The size of one stored chunk: the encoder cuts the state at it. */
  public static final int CHUNK = 512 * 1024;

  /** Chunk writes in flight at once: enough to hide latency, few enough to bound the driver. */
  private static final int IN_FLIGHT = 4;

  private final CassandraSession session;
  private final String keyspace;
  private final SnapshotSettings settings;
  private final SnapshotHealth health = new SnapshotHealth();
  private final SnapshotJanitor janitor;
  // partitions whose first snapshot the test fault already failed on this node
  private final Set<Integer> faulted = ConcurrentHashMap.newKeySet();

  public PartitionSnapshots(CassandraSession session, String keyspace) {
    this(session, keyspace, SnapshotSettings.DEFAULTS);
  }

  public PartitionSnapshots(CassandraSession session, String keyspace, SnapshotSettings settings) {
    this.session = session;
    this.keyspace = keyspace;
    this.settings = settings;
    this.janitor = new SnapshotJanitor(session, keyspace, settings.orphanAge(), health);
  }

  public SnapshotSettings settings() {
    return settings;
  }

  /** The housekeeping and restore counts of this node, for metrics and /health/ready. */
  public SnapshotHealth health() {
    return health;
  }

  /** Deletes failed and orphaned chunk sets, never the one the head names. */
  public SnapshotJanitor janitor() {
    return janitor;
  }

  @Override
  public CompletionStage<SnapshotJanitor.Outcome> discardFailed(
      String topic, int partition, long generation) {
    return janitor.discardFailed(topic, partition, generation);
  }

  private CompletionStage<Done> writeChunk(
      String topic, int partition, long generation, int chunk, List<byte[]> chunks) {
    return session.executeWrite(
        SimpleStatement.newInstance(
            "INSERT INTO "
                + keyspace
                + ".unit_state_chunks (topic, partition, generation, chunk, data)"
                + " VALUES (?, ?, ?, ?, ?)",
            topic,
            partition,
            generation,
            chunk,
            ByteBuffer.wrap(chunks.get(chunk))));
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
                        + " PRIMARY KEY ((topic, partition, generation), chunk))"))
        .thenCompose(d -> session.executeDDL(SnapshotJanitor.writesTable(keyspace)));
  }

  /**
   * The snapshot the head names now. A head read just before another owner's save switched it and
   * dropped the previous chunks names chunks that are gone (a rebalance race): the head is then
   * read again, up to {@link #HEAD_READS} times, and only a set still incomplete is reported as
   * such.
   */
  public CompletionStage<Optional<Snapshot>> load(String topic, int partition) {
    return load(topic, partition, HEAD_READS);
  }

  private static final int HEAD_READS = 3;

  private CompletionStage<Optional<Snapshot>> load(String topic, int partition, int reads) {
    return loadOnce(topic, partition)
        .thenCompose(
            s ->
                reads > 1 && s.isPresent() && !s.get().complete()
                    ? load(topic, partition, reads - 1)
                    : CompletableFuture.completedFuture(s));
  }

  private CompletionStage<Optional<Snapshot>> loadOnce(String topic, int partition) {
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
                        List<ByteBuffer> parts =
                            rows.stream()
                                .filter(r -> r.getInt("chunk") < chunks)
                                .sorted(Comparator.comparingInt(r -> r.getInt("chunk")))
                                .map(r -> r.getByteBuffer("data"))
                                .toList();
                        return Optional.of(new Snapshot(parts, next, generation, chunks));
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
   * The set is registered before its first chunk, so a write that dies half-way leaves an orphan
   * the start sweep finds ({@link SnapshotJanitor}). A failure completes only once every chunk
   * write in flight has settled, so the caller's cleanup deletes all that was written.
   */
  @Override
  public CompletionStage<Done> save(
      String topic,
      int partition,
      long generation,
      long previous,
      List<byte[]> state,
      long nextOffset) {
    List<byte[]> chunks = state.isEmpty() ? List.of(new byte[0]) : state;
    int total = chunks.size();
    int faultAfter = settings.failAfterChunks();
    boolean fault = faultAfter > 0 && faulted.add(partition);
    CompletionStage<Done> registered = janitor.register(topic, partition, generation);
    CompletionStage<Done> written;
    if (fault) {
      // test fault: the first N chunks, one after the other, then a failure (as a crash would)
      CompletionStage<Done> chain = registered;
      for (int c = 0; c < Math.min(faultAfter, total); c++) {
        int chunk = c;
        chain = chain.thenCompose(d -> writeChunk(topic, partition, generation, chunk, chunks));
      }
      written =
          chain.thenCompose(
              d ->
                  CompletableFuture.failedFuture(
                      new IllegalStateException(
                          "test fault (abtest.aggregation.test-faults.fail-snapshot-after-chunks):"
                              + " snapshot of "
                              + topic
                              + "/"
                              + partition
                              + " failed after "
                              + Math.min(faultAfter, total)
                              + " chunks")));
    } else {
      // IN_FLIGHT lanes, each writing its chunks one after the other
      List<CompletableFuture<Done>> lanes = new ArrayList<>();
      for (int lane = 0; lane < Math.min(IN_FLIGHT, total); lane++) {
        CompletionStage<Done> chain = registered;
        for (int c = lane; c < total; c += IN_FLIGHT) {
          int chunk = c;
          chain = chain.thenCompose(d -> writeChunk(topic, partition, generation, chunk, chunks));
        }
        lanes.add(chain.toCompletableFuture());
      }
      written = settled(lanes);
    }
    return written
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
        .thenCompose(d -> janitor.drop(topic, partition, previous));
  }

  /** Completes when every lane has, failed if any failed (never while one still writes). */
  private static CompletionStage<Done> settled(List<CompletableFuture<Done>> lanes) {
    CompletableFuture<?>[] all =
        lanes.stream().map(l -> l.handle((ok, e) -> e)).toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(all)
        .thenCompose(
            v -> {
              for (CompletableFuture<?> f : all) {
                Object error = f.join();
                if (error != null) {
                  return CompletableFuture.failedFuture((Throwable) error);
                }
              }
              return CompletableFuture.completedFuture(Done.getInstance());
            });
  }
}
