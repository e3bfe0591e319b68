package org.abtest.node.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialStatementsTest {

  private static Config nodeConfig(String overrides) {
    ConfigFactory.invalidateCaches();
    return ConfigFactory.parseString(overrides)
        .withFallback(ConfigFactory.parseResourcesAnySyntax("application.conf"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }

  @Test
  void theNodesCredentialStatementsGoAtLocalQuorumByDefault() {
    var statements = CredentialStatements.from(nodeConfig(""));
    assertThat(statements.level()).isEqualTo(DefaultConsistencyLevel.LOCAL_QUORUM);
    assertThat(statements.of("SELECT id FROM t WHERE id = ?", "x").getConsistencyLevel())
        .isEqualTo(DefaultConsistencyLevel.LOCAL_QUORUM);
  }

  @Test
  void theRevocationAndTheReadThatSeesItCarryTheSameLevel() {
    var statements = CredentialStatements.from(nodeConfig(""));
    var revoke = statements.of("UPDATE t SET revoked_at = ? WHERE id = ?", Instant.EPOCH, "tok_1");
    var readBack = statements.of("SELECT id, secret_hash, revoked_at FROM t");
    assertThat(revoke.getConsistencyLevel()).isEqualTo(DefaultConsistencyLevel.LOCAL_QUORUM);
    assertThat(readBack.getConsistencyLevel()).isEqualTo(revoke.getConsistencyLevel());
  }

  @Test
  void theValuesAreBoundInOrder() {
    var statement =
        CredentialStatements.from(nodeConfig("")).of("INSERT INTO t (a, b) VALUES (?, ?)", "x", 7);
    assertThat(statement.getQuery()).isEqualTo("INSERT INTO t (a, b) VALUES (?, ?)");
    assertThat(statement.getPositionalValues()).containsExactly("x", 7);
  }

  @Test
  void anotherQuorumLevelCanBeConfiguredInAnyCase() {
    var statements =
        CredentialStatements.from(nodeConfig("abtest.credentials.consistency = quorum"));
    assertThat(statements.of("SELECT 1").getConsistencyLevel())
        .isEqualTo(DefaultConsistencyLevel.QUORUM);
  }

  @ParameterizedTest
  @EnumSource(
      value = DefaultConsistencyLevel.class,
      names = {"ANY", "ONE", "TWO", "THREE", "LOCAL_ONE", "SERIAL", "LOCAL_SERIAL", "EACH_QUORUM"})
  void aLevelThatCouldMissARevocationIsRefused(DefaultConsistencyLevel weak) {
    assertThatThrownBy(
            () ->
                CredentialStatements.from(
                    nodeConfig("abtest.credentials.consistency = " + weak.name())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("abtest.credentials.consistency")
        .hasMessageContaining(weak.name());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "LOCALQUORUM", "majority"})
  void aNameThatIsNoLevelIsRefusedNamingTheSetting(String name) {
    assertThatThrownBy(
            () ->
                CredentialStatements.from(
                    nodeConfig("abtest.credentials.consistency = \"" + name + "\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("abtest.credentials.consistency");
  }
}
