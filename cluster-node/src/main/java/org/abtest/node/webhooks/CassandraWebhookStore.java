package org.abtest.node.webhooks;

import com.datastax.oss.driver.api.core.cql.Row;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.georeplication.CassandraSchema;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.PortFailure;
import org.abtest.http.ports.WebhookService;
import org.abtest.node.credentials.CredentialStatements;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhooks in a CQL table beside the credentials, secrets included (they key each delivery's HMAC,
 * so they cannot be stored hashed; never logged, never answered). Every node keeps the table in
 * memory, re-read every {@code refresh}, and delivers from that copy.
 */
public final class CassandraWebhookStore implements WebhookService {

  private static final Logger log = LoggerFactory.getLogger(CassandraWebhookStore.class);

  /** A webhook with what delivering to it needs. */
  record Target(Webhook webhook, String secret) {}

  private final CassandraSession session;
  private final String table;
  private final CassandraSchema schema;
  private final CredentialStatements statements;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private volatile Map<String, Target> byId = Map.of();
  private long localWrites;

  public CassandraWebhookStore(
      ActorSystem<?> system,
      CassandraSession session,
      String keyspace,
      boolean createTables,
      Duration refresh,
      Clock clock) {
    this.session = session;
    this.table = keyspace + ".webhooks";
    this.clock = clock;
    this.statements = CredentialStatements.from(system.settings().config());
    this.schema =
        new CassandraSchema(
            session,
            keyspace,
            system.settings().config().getString("abtest.cassandra.replication"),
            "CREATE TABLE IF NOT EXISTS "
                + table
                + " (id text PRIMARY KEY, url text, secret text, events set<text>,"
                + " created_at timestamp, created_by text)",
            createTables);
    system
        .scheduler()
        .scheduleWithFixedDelay(Duration.ZERO, refresh, this::refresh, system.executionContext());
  }

  /** The webhooks subscribed to {@code kind}, as this node knows them now. */
  List<Target> subscribers(String kind) {
    return byId.values().stream().filter(t -> t.webhook().events().contains(kind)).toList();
  }

  @Override
  public CompletionStage<Webhook> add(
      String url, String secret, Set<String> events, Authenticator.Principal by) {
    if (byId.size() >= MAX_WEBHOOKS) {
      return CompletableFuture.failedFuture(
          PortFailure.conflict(
              "too_many", "there are " + MAX_WEBHOOKS + " webhooks already, the most allowed"));
    }
    byte[] b = new byte[8];
    random.nextBytes(b);
    String id = "whk_" + HexFormat.of().formatHex(b);
    Instant now = clock.instant();
    Webhook webhook = new Webhook(id, url, Set.copyOf(events), now);
    return schema
        .ready()
        .thenCompose(
            done ->
                session.executeWrite(
                    statements.of(
                        "INSERT INTO "
                            + table
                            + " (id, url, secret, events, created_at, created_by)"
                            + " VALUES (?, ?, ?, ?, ?, ?)",
                        id,
                        url,
                        secret,
                        Set.copyOf(events),
                        now,
                        by.id())))
        .thenApply(
            done -> {
              synchronized (this) {
                localWrites++;
                Map<String, Target> next = new TreeMap<>(byId);
                next.put(id, new Target(webhook, secret));
                byId = Map.copyOf(next);
              }
              log.info("webhook {} to {} added by {}", id, url, by.id());
              return webhook;
            });
  }

  @Override
  public CompletionStage<List<Webhook>> list() {
    return CompletableFuture.completedFuture(
        new TreeMap<>(byId).values().stream().map(Target::webhook).toList());
  }

  @Override
  public CompletionStage<Void> remove(String id) {
    if (!byId.containsKey(id)) {
      return CompletableFuture.failedFuture(PortFailure.notFound("no webhook '" + id + "'"));
    }
    return schema
        .ready()
        .thenCompose(
            done ->
                session.executeWrite(statements.of("DELETE FROM " + table + " WHERE id = ?", id)))
        .thenApply(
            done -> {
              synchronized (this) {
                localWrites++;
                Map<String, Target> next = new TreeMap<>(byId);
                next.remove(id);
                byId = Map.copyOf(next);
              }
              log.info("webhook {} removed", id);
              return null;
            });
  }

  /** A read that began before a local write is dropped (it would undo it); the next one is not. */
  private void refresh() {
    long before;
    synchronized (this) {
      before = localWrites;
    }
    schema
        .ready()
        .thenCompose(
            done ->
                session.selectAll(
                    statements.of("SELECT id, url, secret, events, created_at FROM " + table)))
        .whenComplete(
            (rows, failure) -> {
              if (failure != null) {
                log.debug("webhooks not refreshed: {}", failure.toString());
                return;
              }
              Map<String, Target> read = new TreeMap<>();
              for (Row row : rows) {
                String id = row.getString("id");
                read.put(
                    id,
                    new Target(
                        new Webhook(
                            id,
                            row.getString("url"),
                            Set.copyOf(row.getSet("events", String.class)),
                            row.getInstant("created_at")),
                        row.getString("secret")));
              }
              synchronized (this) {
                if (localWrites == before) {
                  byId = Map.copyOf(read);
                }
              }
            });
  }
}
