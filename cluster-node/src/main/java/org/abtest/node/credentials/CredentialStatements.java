package org.abtest.node.credentials;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.Config;
import java.util.Locale;
import java.util.Set;

/**
 * Every credential statement, read or write, at one configured consistency level. The driver's
 * default (LOCAL_ONE) lets a read ask a replica that missed a revocation and admit the revoked
 * token again; a quorum read after a quorum write always overlaps it.
 */
public final class CredentialStatements {

  /**
   * Levels at which a write and a later read always share a replica. Not EACH_QUORUM: Cassandra
   * refuses it for reads, and one level serves both here.
   */
  static final Set<DefaultConsistencyLevel> OVERLAPPING =
      Set.of(
          DefaultConsistencyLevel.LOCAL_QUORUM,
          DefaultConsistencyLevel.QUORUM,
          DefaultConsistencyLevel.ALL);

  private final DefaultConsistencyLevel level;

  CredentialStatements(DefaultConsistencyLevel level) {
    if (!OVERLAPPING.contains(level)) {
      throw new IllegalArgumentException(
          "abtest.credentials.consistency = "
              + level
              + " could read a replica that missed a revocation; use one of "
              + OVERLAPPING);
    }
    this.level = level;
  }

  /** From {@code abtest.credentials.consistency} (ABTEST_CREDENTIALS_CONSISTENCY). */
  public static CredentialStatements from(Config config) {
    String name = config.getString("abtest.credentials.consistency");
    DefaultConsistencyLevel level;
    try {
      level = DefaultConsistencyLevel.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "abtest.credentials.consistency: '" + name + "' is no consistency level", e);
    }
    return new CredentialStatements(level);
  }

  public ConsistencyLevel level() {
    return level;
  }

  /** A statement with its values bound positionally, at the configured level. */
  public SimpleStatement of(String cql, Object... values) {
    return SimpleStatement.newInstance(cql, values).setConsistencyLevel(level);
  }
}
