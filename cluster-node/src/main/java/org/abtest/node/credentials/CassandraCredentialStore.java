package org.abtest.node.credentials;

import com.datastax.oss.driver.api.core.cql.Row;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.georeplication.CassandraSchema;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.CredentialService;
import org.abtest.http.ports.EnvironmentRegistry;
import org.abtest.http.ports.PortFailure;
import org.abtest.http.ports.Role;
import org.abtest.http.ports.WebhookService;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin tokens and SDK keys in a CQL table, by SHA-256 of a 256-bit random secret (a slow hash buys
 * nothing against a secret that cannot be guessed). Every node keeps the table in memory and
 * re-reads it every {@code refresh} interval, so a revocation made on any node holds everywhere
 * within that interval; on the node that made it, at once. Reads and writes go at a quorum of the
 * region ({@link CredentialStatements}). The dev credentials work in local mode only (the node
 * passes {@link DevCredentials#none()} elsewhere); production's first admin is {@link
 * #ensureAdmin}.
 */
public final class CassandraCredentialStore implements Authenticator, CredentialService {

  private static final Logger log = LoggerFactory.getLogger(CassandraCredentialStore.class);
  private static final String TOKEN = "token";
  private static final String SDK_KEY = "sdk-key";

  private final CassandraSession session;
  private final String table;
  private static final Principal DEV_ADMIN =
      new Principal("dev-admin", "dev credentials", Role.ADMIN, null);
  private static final Principal DEV_SDK =
      new Principal("dev-sdk-key", "dev credentials", Role.SDK, null);

  private final DevCredentials bootstrap;
  private final Clock clock;
  private final CassandraSchema schema;
  private final CredentialStatements statements;
  private final AddedColumn obfuscatedColumn;
  private final AddedColumn rateLimitColumn;
  private final SecureRandom random = new SecureRandom();
  private volatile Map<String, Principal> byHash = Map.of();
  private volatile EnvironmentRegistry environments = EnvironmentRegistry.DEFAULTS_ONLY;
  private volatile WebhookService webhooks = WebhookService.NONE;

  /**
   * Local issues and revocations since start. A table re-read that began before one of them must
   * not replace the cache (it would drop a token just issued or re-admit one just revoked); it is
   * skipped, and the next re-read, one interval later, sees the write.
   */
  private long localWrites;

  public CassandraCredentialStore(
      ActorSystem<?> system,
      CassandraSession session,
      String keyspace,
      boolean createTables,
      DevCredentials bootstrap,
      Duration refresh,
      Clock clock) {
    this.session = session;
    this.table = keyspace + ".credentials";
    this.bootstrap = bootstrap;
    this.clock = clock;
    this.statements = CredentialStatements.from(system.settings().config());
    this.schema =
        new CassandraSchema(
            session,
            keyspace,
            system.settings().config().getString("abtest.cassandra.replication"),
            "CREATE TABLE IF NOT EXISTS "
                + table
                + " (id text PRIMARY KEY, kind text, role text, environment text,"
                + " name text, secret_hash text, created_at timestamp,"
                + " created_by text, revoked_at timestamp, rate_limit int)",
            createTables);
    this.obfuscatedColumn =
        new AddedColumn(session, schema, table, "obfuscated boolean", createTables);
    this.rateLimitColumn = new AddedColumn(session, schema, table, "rate_limit int", createTables);
    system
        .scheduler()
        .scheduleWithFixedDelay(Duration.ZERO, refresh, this::refresh, system.executionContext());
  }

  /** The registry SDK keys' environments are checked against (the node's Cassandra one). */
  public CassandraCredentialStore withEnvironments(EnvironmentRegistry registry) {
    this.environments = registry;
    return this;
  }

  @Override
  public EnvironmentRegistry environments() {
    return environments;
  }

  /** The node's webhooks, managed through the same admin routes as the credentials. */
  public CassandraCredentialStore withWebhooks(WebhookService store) {
    this.webhooks = store;
    return this;
  }

  @Override
  public WebhookService webhooks() {
    return webhooks;
  }

  @Override
  public Optional<Role> authenticate(String bearerToken) {
    return identify(bearerToken).map(Principal::role);
  }

  @Override
  public Optional<Principal> identify(String bearerToken) {
    byte[] digest = Sha256.of(bearerToken);
    Optional<Role> dev = bootstrap.authenticateDigest(digest);
    if (dev.isPresent()) {
      return Optional.of(dev.get() == Role.SDK ? DEV_SDK : DEV_ADMIN);
    }
    return Optional.ofNullable(byHash.get(HexFormat.of().formatHex(digest)));
  }

  @Override
  public CompletionStage<Issued> issueToken(Role role, String name, Principal by) {
    return issue(TOKEN, "tok_", "abt_", role, null, name, false, 0, by);
  }

  @Override
  public CompletionStage<Issued> issueSdkKey(
      String environment, String name, boolean obfuscated, int rateLimitPerSecond, Principal by) {
    return issue(
        SDK_KEY, "key_", "sdk_", Role.SDK, environment, name, obfuscated, rateLimitPerSecond, by);
  }

  private CompletionStage<Issued> issue(
      String kind,
      String idPrefix,
      String secretPrefix,
      Role role,
      String environment,
      String name,
      boolean obfuscated,
      int rateLimit,
      Principal by) {
    String id = idPrefix + randomHex(8);
    String secret = secretPrefix + randomHex(32);
    String hash = hash(secret);
    Instant now = clock.instant();
    return ready()
        .thenCompose(
            done ->
                session.executeWrite(
                    statements.of(
                        "INSERT INTO "
                            + table
                            + " (id, kind, role, environment, name, secret_hash, created_at, created_by,"
                            + " obfuscated, rate_limit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        id,
                        kind,
                        role.name(),
                        environment,
                        name,
                        hash,
                        now,
                        by.id(),
                        obfuscated,
                        // null: the key follows the configured default, also when that changes
                        rateLimit > 0 ? Integer.valueOf(rateLimit) : null)))
        .thenApply(
            done -> {
              synchronized (this) {
                localWrites++;
                Map<String, Principal> next = new HashMap<>(byHash);
                next.put(hash, new Principal(id, name, role, environment, obfuscated, rateLimit));
                byHash = Map.copyOf(next);
              }
              log.info("issued {} {} ({}) by {}", kind, id, role, by.id());
              return new Issued(id, secret, kind, role, environment, name, now, rateLimit);
            });
  }

  @Override
  public CompletionStage<Void> revokeToken(String id) {
    return revoke(id, TOKEN);
  }

  @Override
  public CompletionStage<Void> revokeSdkKey(String id) {
    return revoke(id, SDK_KEY);
  }

  private CompletionStage<Void> revoke(String id, String kind) {
    return ready()
        .thenCompose(
            done ->
                session.selectOne(
                    statements.of(
                        "SELECT kind, secret_hash, revoked_at FROM " + table + " WHERE id = ?",
                        id)))
        .thenCompose(
            row -> {
              if (row.isEmpty()
                  || !kind.equals(row.get().getString("kind"))
                  || row.get().getInstant("revoked_at") != null) {
                throw PortFailure.notFound("no active " + kind + " with id '" + id + "'");
              }
              String hash = row.get().getString("secret_hash");
              return session
                  .executeWrite(
                      statements.of(
                          "UPDATE " + table + " SET revoked_at = ? WHERE id = ?",
                          clock.instant(),
                          id))
                  .thenApply(
                      written -> {
                        synchronized (this) {
                          localWrites++;
                          Map<String, Principal> next = new HashMap<>(byHash);
                          next.remove(hash);
                          byHash = Map.copyOf(next);
                        }
                        log.info("revoked {} {}", kind, id);
                        return null;
                      });
            });
  }

  /**
   * Stores the bootstrap admin token unless its row exists: a row that is there, revoked or not, is
   * left alone, so a node restarted with the same setting never re-admits a revoked first token (an
   * INSERT racing a revocation writes no revoked_at, so it cannot undo one either). True when this
   * call stored it.
   */
  public CompletionStage<Boolean> ensureAdmin(BootstrapAdmin admin) {
    String id = admin.id();
    Instant now = clock.instant();
    return schema
        .ready()
        .thenCompose(
            done ->
                session.selectOne(statements.of("SELECT id FROM " + table + " WHERE id = ?", id)))
        .thenCompose(
            existing -> {
              if (existing.isPresent()) {
                return CompletableFuture.completedFuture(false);
              }
              return session
                  .executeWrite(
                      statements.of(
                          "INSERT INTO "
                              + table
                              + " (id, kind, role, name, secret_hash, created_at, created_by)"
                              + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                          id,
                          TOKEN,
                          Role.ADMIN.name(),
                          BootstrapAdmin.NAME,
                          admin.secretHash(),
                          now,
                          "bootstrap"))
                  .thenApply(
                      written -> {
                        synchronized (this) {
                          localWrites++;
                          Map<String, Principal> next = new HashMap<>(byHash);
                          next.put(
                              admin.secretHash(),
                              new Principal(id, BootstrapAdmin.NAME, Role.ADMIN, null));
                          byHash = Map.copyOf(next);
                        }
                        log.info("stored the bootstrap admin token {}", id);
                        return true;
                      });
            });
  }

  /** Re-reads every credential; a failed read keeps the last good set (and is logged). */
  private void refresh() {
    long writesBefore;
    synchronized (this) {
      writesBefore = localWrites;
    }
    ready()
        .thenCompose(
            done ->
                session.selectAll(
                    statements.of(
                        "SELECT id, role, environment, name, secret_hash, revoked_at, obfuscated,"
                            + " rate_limit FROM "
                            + table)))
        .whenComplete(
            (rows, failure) -> {
              if (failure != null) {
                log.debug("credentials not refreshed: {}", failure.toString());
                return;
              }
              Map<String, Principal> read = index(rows);
              synchronized (this) {
                if (localWrites == writesBefore) {
                  byHash = read;
                }
              }
            });
  }

  private static Map<String, Principal> index(List<Row> rows) {
    Map<String, Principal> next = new HashMap<>();
    for (Row row : rows) {
      if (row.getInstant("revoked_at") == null) {
        next.put(
            row.getString("secret_hash"),
            new Principal(
                row.getString("id"),
                row.getString("name"),
                Role.valueOf(row.getString("role").toUpperCase(Locale.ROOT)),
                row.getString("environment"),
                row.getBoolean("obfuscated"),
                row.getInt("rate_limit"))); // 0 when null: the default
      }
    }
    return Map.copyOf(next);
  }

  /** The table, once the columns added after it first shipped have been tried. */
  private CompletionStage<?> ready() {
    return obfuscatedColumn.ready().thenCompose(done -> rateLimitColumn.ready());
  }

  private String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static String hash(String secret) {
    return HexFormat.of().formatHex(Sha256.of(secret));
  }
}
