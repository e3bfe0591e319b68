package org.abtest.node.adapters;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.georeplication.CassandraSchema;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A column added to a table after it first shipped, so that an existing table gets it too: {@code
 * ALTER TABLE … ADD} once the table exists, where "it is already there" counts as done. Any other
 * failure (a node without DDL rights) is logged with the statement an operator can run instead.
 */
final class AddedColumn {

  private static final Logger log = LoggerFactory.getLogger(AddedColumn.class);

  private final CassandraSchema schema;
  private final CompletableFuture<Void> added = new CompletableFuture<>();

  AddedColumn(CassandraSession session, CassandraSchema schema, String table, String column) {
    this.schema = schema;
    String ddl = "ALTER TABLE " + table + " ADD " + column;
    schema
        .ready()
        .thenCompose(done -> session.executeDDL(ddl))
        .whenComplete(
            (done, failure) -> {
              if (failure != null && !alreadyThere(failure)) {
                log.warn("could not run '{}' ({}); run it by hand", ddl, failure.toString());
              }
              added.complete(null);
            });
  }

  /** The table's readiness, after the column's addition was tried. */
  CompletionStage<?> ready() {
    return added.thenCompose(done -> schema.ready());
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
