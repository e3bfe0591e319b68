package org.abtest.node.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.abtest.http.ports.Authenticator.Principal;
import org.abtest.http.ports.Role;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What the credential store asks Cassandra, recorded: every read and write at LOCAL_QUORUM, a
 * revocation read back by the refresh, and the bootstrap admin stored once only.
 */
class CassandraCredentialStoreTest {

  private static final ActorTestKit KIT =
      ActorTestKit.create(
          ConfigFactory.load(
              ConfigFactory.parseString(
                      "pekko.actor.provider = local\npekko.coordinated-shutdown.exit-jvm = off")
                  .withFallback(ConfigFactory.parseResourcesAnySyntax("application.conf"))));
  private static final Principal ADMIN = new Principal("tok_admin", "admin", Role.ADMIN, null);

  /** Rows of the credentials table, by id, as the fake Cassandra answers them. */
  private final Map<String, Map<String, Object>> table = new ConcurrentHashMap<>();

  private final RecordingCassandra cassandra = new RecordingCassandra(this::answer);

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private List<Map<String, Object>> answer(String cql) {
    if (cql.startsWith("SELECT id, role")) {
      return List.copyOf(table.values());
    }
    // by id: the tests keep one row, so any row answers
    return cql.contains("WHERE id = ?") ? table.values().stream().limit(1).toList() : List.of();
  }

  private CassandraCredentialStore store() {
    return new CassandraCredentialStore(
        KIT.system(),
        cassandra.session(KIT.system()),
        "ks",
        false,
        DevCredentials.none(),
        Duration.ofMillis(50),
        Clock.systemUTC());
  }

  private static void await(BooleanSupplier condition) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(condition::getAsBoolean);
  }

  private void assertEveryStatementAtLocalQuorum() {
    assertThat(cassandra.executed).isNotEmpty();
    assertThat(cassandra.executed)
        .allSatisfy(
            s ->
                assertThat(s.getConsistencyLevel())
                    .as(((SimpleStatement) s).getQuery())
                    .isEqualTo(DefaultConsistencyLevel.LOCAL_QUORUM));
  }

  private static Map<String, Object> row(String id, String hash, Instant revokedAt) {
    Map<String, Object> row = new HashMap<>();
    row.put("id", id);
    row.put("kind", "token");
    row.put("role", "admin");
    row.put("name", "n");
    row.put("secret_hash", hash);
    row.put("revoked_at", revokedAt);
    return row;
  }

  @Test
  void issuingAndRevokingATokenWritesAndReadsAtLocalQuorum() throws Exception {
    CassandraCredentialStore store = store();
    var issued =
        store.issueToken(Role.VIEWER, "it", ADMIN).toCompletableFuture().get(5, TimeUnit.SECONDS);
    table.put(issued.id(), row(issued.id(), CassandraCredentialStore.hash(issued.secret()), null));
    store.revokeToken(issued.id()).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(cassandra.queries())
        .anyMatch(q -> q.startsWith("INSERT INTO ks.credentials"))
        .anyMatch(q -> q.startsWith("SELECT kind, secret_hash, revoked_at"))
        .anyMatch(q -> q.startsWith("UPDATE ks.credentials SET revoked_at"));
    assertThat(store.identify(issued.secret())).isEmpty();
    assertEveryStatementAtLocalQuorum();
  }

  @Test
  void aRevocationMadeElsewhereIsReadBackAtLocalQuorumAndHoldsHere() throws Exception {
    String secret = "abt_made-on-another-node";
    String hash = CassandraCredentialStore.hash(secret);
    table.put("tok_other", row("tok_other", hash, null));
    CassandraCredentialStore store = store();
    await(() -> store.identify(secret).isPresent());
    table.put("tok_other", row("tok_other", hash, Instant.now()));
    await(() -> store.identify(secret).isEmpty());
    assertThat(cassandra.queries()).anyMatch(q -> q.startsWith("SELECT id, role"));
    assertEveryStatementAtLocalQuorum();
  }

  @Test
  void theBootstrapAdminIsStoredWhenItsRowIsMissingAndNeverAgainOnceItExists() throws Exception {
    String secret = "abt_first-admin";
    BootstrapAdmin first = new BootstrapAdmin(HexFormat.of().formatHex(Sha256.of(secret)));
    CassandraCredentialStore store = store();
    assertThat(store.ensureAdmin(first).toCompletableFuture().get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(store.identify(secret)).map(Principal::id).contains(first.id());

    // revoked since: the row is there, so it is left alone and not written again
    table.put(first.id(), row(first.id(), first.secretHash(), Instant.now()));
    long inserts = cassandra.queries().stream().filter(q -> q.startsWith("INSERT")).count();
    assertThat(store.ensureAdmin(first).toCompletableFuture().get(5, TimeUnit.SECONDS)).isFalse();
    assertThat(cassandra.queries().stream().filter(q -> q.startsWith("INSERT")).count())
        .isEqualTo(inserts);
    await(() -> store.identify(secret).isEmpty());
    assertEveryStatementAtLocalQuorum();
  }

  @Test
  void theBootstrapRowNeverCarriesARevocationTimeSoItCannotUndoOne() throws Exception {
    BootstrapAdmin first = new BootstrapAdmin(HexFormat.of().formatHex(Sha256.of("abt_x")));
    store().ensureAdmin(first).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(cassandra.queries())
        .filteredOn(q -> q.startsWith("INSERT"))
        .singleElement()
        .asString()
        .doesNotContain("revoked_at");
  }

  @Test
  void withoutDevCredentialsNoEnvironmentTokenIsAdmitted() {
    assertThat(store().identify("adm_anything")).isEmpty();
  }
}
