package org.abtest.georeplication;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * A keyspace and one table that a store creates itself in local and test config (production creates
 * them by migration). Created once, on construction; a failed attempt (a slow first DDL on an empty
 * cluster) is tried again on the next {@link #ready()}.
 */
public final class CassandraSchema {

  private final CassandraSession session;
  private final String keyspaceDdl;
  private final String tableDdl;
  private final boolean create;
  private volatile CompletableFuture<?> ready;

  /**
   * @param replication the CQL replication map of the keyspace, if this creates it
   * @param tableDdl a {@code CREATE TABLE IF NOT EXISTS} statement
   * @param create false in production: then nothing is created
   */
  public CassandraSchema(
      CassandraSession session,
      String keyspace,
      String replication,
      String tableDdl,
      boolean create) {
    this.session = session;
    this.keyspaceDdl =
        "CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = " + replication;
    this.tableDdl = tableDdl;
    this.create = create;
    this.ready = attempt();
  }

  /** Completes once the schema exists (at once when this creates nothing). */
  public CompletionStage<?> ready() {
    CompletableFuture<?> current = ready;
    if (current.isCompletedExceptionally()) {
      current = attempt();
      ready = current;
    }
    return current;
  }

  private CompletableFuture<?> attempt() {
    if (!create) {
      return CompletableFuture.completedFuture(null);
    }
    return session
        .executeDDL(keyspaceDdl)
        .thenCompose(done -> session.executeDDL(tableDdl))
        .toCompletableFuture();
  }
}
