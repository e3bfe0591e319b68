package org.abtest.node.credentials;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.georeplication.CassandraSchema;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A column added to a table after it first shipped, so that an existing table gets it too: in local
 * and test config (where the store creates its table) {@code ALTER TABLE … ADD} once the table
 * exists, "already there" counting as done; production adds it by migration, like the table. A
 * failed attempt (a DDL timeout on a busy cluster) is logged and tried again on the next {@link
 * #ready()}, which never fails itself: the store's own statements then report what is missing.
 */
final class AddedColumn {

  private static final Logger log = LoggerFactory.getLogger(AddedColumn.class);

  private final CassandraSession session;
  private final CassandraSchema schema;
  private final String ddl;
  private final boolean create;
  private volatile CompletableFuture<Boolean> added;

  AddedColumn(
      CassandraSession session,
      CassandraSchema schema,
      String table,
      String column,
      boolean create) {
    this.session = session;
    this.schema = schema;
    this.ddl = "ALTER TABLE " + table + " ADD " + column;
    this.create = create;
    this.added = attempt();
  }

  /** Completes once the table exists and the column's addition has been tried. */
  CompletionStage<?> ready() {
    CompletableFuture<Boolean> current = added;
    if (current.isDone() && !current.join()) {
      current = attempt();
      added = current;
    }
    return current.thenCompose(done -> schema.ready());
  }

  /** True once the column is known to exist (or is not this store's to create). */
  private CompletableFuture<Boolean> attempt() {
    if (!create) {
      return CompletableFuture.completedFuture(true);
    }
    return schema
        .ready()
        .thenCompose(done -> session.executeDDL(ddl))
        .handle(
            (done, failure) -> {
              if (failure == null || alreadyThere(failure)) {
                return true;
              }
              log.warn("'{}' did not complete ({}); trying again", ddl, failure.toString());
              return false;
            })
        .toCompletableFuture();
  }

  private static boolean alreadyThere(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("conflicts with an existing column") || m.contains("already exist")) {
        return true;
      }
    }
    return false;
  }
}
