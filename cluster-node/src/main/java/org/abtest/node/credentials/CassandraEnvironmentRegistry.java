package org.abtest.node.credentials;

import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.georeplication.CassandraSchema;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.EnvironmentRegistry;
import org.abtest.http.ports.PortFailure;
import org.abtest.protocol.experiment.Environments;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The environments an admin added, in a CQL table beside the credentials; the defaults are not
 * stored. Every node keeps the set in memory and re-reads it every {@code refresh}, as it does the
 * credentials, so an environment added on one node can be named on every node within that interval,
 * and on the node that added it at once. An add is a lightweight transaction ({@code IF NOT
 * EXISTS}), so two admins adding the same key get one row and one 409.
 */
public final class CassandraEnvironmentRegistry implements EnvironmentRegistry {

  private static final Logger log = LoggerFactory.getLogger(CassandraEnvironmentRegistry.class);

  private final CassandraSession session;
  private final String table;
  private final CassandraSchema schema;
  private final CredentialStatements statements;
  private final Clock clock;
  private volatile Map<String, Instant> added = Map.of();

  public CassandraEnvironmentRegistry(
      ActorSystem<?> system,
      CassandraSession session,
      String keyspace,
      boolean createTables,
      Duration refresh,
      Clock clock) {
    this.session = session;
    this.table = keyspace + ".environments";
    this.clock = clock;
    this.statements = CredentialStatements.from(system.settings().config());
    this.schema =
        new CassandraSchema(
            session,
            keyspace,
            system.settings().config().getString("abtest.cassandra.replication"),
            "CREATE TABLE IF NOT EXISTS "
                + table
                + " (key text PRIMARY KEY, created_at timestamp, created_by text)",
            createTables);
    system
        .scheduler()
        .scheduleWithFixedDelay(Duration.ZERO, refresh, this::refresh, system.executionContext());
  }

  @Override
  public Set<String> known() {
    return EnvironmentRegistry.known(added.keySet());
  }

  /** From the copy {@link #known} answers from, so the list and the checks agree. */
  @Override
  public CompletionStage<List<Environment>> list() {
    return CompletableFuture.completedFuture(EnvironmentRegistry.listed(added));
  }

  @Override
  public CompletionStage<Environment> add(String key, Authenticator.Principal by) {
    if (Environments.DEFAULTS.contains(key) || added.containsKey(key)) {
      return CompletableFuture.failedFuture(duplicate(key));
    }
    if (Environments.DEFAULTS.size() + added.size() >= Environments.MAX) {
      return CompletableFuture.failedFuture(full());
    }
    Instant now = clock.instant();
    return schema
        .ready()
        .thenCompose(
            done ->
                session.selectOne(
                    statements.of(
                        "INSERT INTO "
                            + table
                            + " (key, created_at, created_by) VALUES (?, ?, ?) IF NOT EXISTS",
                        key,
                        now,
                        by.id())))
        .thenApply(
            row -> {
              if (row.isPresent() && !row.get().getBoolean("[applied]")) {
                throw duplicate(key);
              }
              synchronized (this) {
                Map<String, Instant> next = new TreeMap<>(added);
                next.put(key, now);
                added = Map.copyOf(next);
              }
              log.info("environment {} added by {}", key, by.id());
              return new Environment(key, false, now);
            });
  }

  private static PortFailure duplicate(String key) {
    return PortFailure.conflict("duplicate_key", "environment '" + key + "' exists");
  }

  private static PortFailure full() {
    return PortFailure.conflict(
        "too_many", "there are " + Environments.MAX + " environments already, the most allowed");
  }

  /** A failed read keeps the last good set (and is logged). */
  private void refresh() {
    schema
        .ready()
        .thenCompose(
            done -> session.selectAll(statements.of("SELECT key, created_at FROM " + table)))
        .whenComplete(
            (rows, failure) -> {
              if (failure != null) {
                log.debug("environments not refreshed: {}", failure.toString());
              } else {
                merge(read(rows));
              }
            });
  }

  /** Environments are never removed, so a read only adds: a stale read cannot drop a new one. */
  private synchronized void merge(Map<String, Instant> read) {
    if (!added.keySet().containsAll(read.keySet())) {
      Map<String, Instant> next = new TreeMap<>(added);
      next.putAll(read);
      added = Map.copyOf(next);
    }
  }

  private static Map<String, Instant> read(List<Row> rows) {
    Map<String, Instant> out = new TreeMap<>();
    for (Row row : rows) {
      out.put(row.getString("key"), row.getInstant("created_at"));
    }
    return out;
  }
}
