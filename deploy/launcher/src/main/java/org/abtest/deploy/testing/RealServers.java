package org.abtest.deploy.testing;

import org.abtest.deploy.servers.ProjectRoot;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension for integration tests against the real Cassandra and Kafka of this build:
 * {@code @ExtendWith(RealServers.class)}, then {@link #endpoints()}. The servers are started once
 * per Maven build, shared by every test class, test JVM and module, and stopped when Maven exits
 * (see {@link ItServers}). Their data is wiped at the start of each build, not between tests: use
 * unique keyspaces, topics and ids per test.
 *
 * <p>Fault tests that kill servers must not use these shared ones; they start a private set with
 * {@link CassandraServer} and {@link KafkaServer} on their own ports and directories.
 */
public final class RealServers implements BeforeAllCallback {

  /** Where the shared servers listen. */
  public record Endpoints(
      String cassandraHost, int cassandraPort, String datacenter, String kafkaBootstrap) {

    /** "host:port", the form of {@code datastax-java-driver.basic.contact-points}. */
    public String cassandraContactPoint() {
      return cassandraHost + ":" + cassandraPort;
    }
  }

  private static Endpoints endpoints;

  @Override
  public void beforeAll(ExtensionContext context) {
    endpoints();
  }

  /** The shared servers of this build, started on first use; blocks until they are ready. */
  public static synchronized Endpoints endpoints() {
    if (endpoints == null) {
      ItState state = ItServersClient.acquire(ProjectRoot.find());
      endpoints =
          new Endpoints(
              state.cassandraHost(), state.cqlPort(), state.datacenter(), state.kafkaBootstrap());
    }
    return endpoints;
  }
}
