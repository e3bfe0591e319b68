package org.abtest.multijvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.abtest.deploy.servers.CassandraConfig;
import org.abtest.deploy.servers.CassandraServer;
import org.abtest.deploy.servers.KafkaConfig;
import org.abtest.deploy.servers.KafkaServer;

/**
 * Real processes on loopback for one test class: Cassandra nodes (one data center per region),
 * Kafka brokers and node JVMs, each started from the jars of this build. Everything started is
 * stopped by {@link #close()} (and killed when the test JVM exits), so a failing test leaves
 * nothing running. Every start and wait is bounded.
 */
final class Harness implements AutoCloseable {

  static final Duration SERVER_START = Duration.ofSeconds(180);
  static final Duration NODE_START = Duration.ofSeconds(180);

  final Path dir;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  Harness(String name) throws Exception {
    this.dir = Path.of("target", "mjvm", name + "-" + System.currentTimeMillis()).toAbsolutePath();
    Files.createDirectories(dir);
  }

  /** A Cassandra node for {@code region}: its own data center when {@code datacenter} is set. */
  static CassandraConfig cassandraConfig(
      Path dataDir, String host, int cql, int storage, int jmx, List<String> seeds) {
    return CassandraConfig.singleNode(dataDir)
        .withHost(host)
        .withPorts(cql, storage, storage + 1, jmx)
        .withSeeds(seeds);
  }

  CassandraServer startCassandra(CassandraConfig config) throws Exception {
    CassandraServer server = CassandraServer.start(config);
    started.push(server::kill);
    return server;
  }

  KafkaServer startKafka(String name, String host, int port) throws Exception {
    KafkaConfig config =
        KafkaConfig.singleNode(dir.resolve(name)).withHost(host).withPorts(port, port + 1);
    return startKafka(config);
  }

  KafkaServer startKafka(KafkaConfig config) throws Exception {
    KafkaServer server = KafkaServer.start(config);
    started.push(server::kill);
    return server;
  }

  NodeJvm node(String name, int httpPort, int remotePort, Map<String, String> env) {
    NodeJvm node = new NodeJvm(name, httpPort, remotePort, env, dir.resolve(name + ".log"));
    started.push(node::kill);
    return node;
  }

  @Override
  public void close() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        System.err.println("cleanup: " + e);
      }
    }
  }
}
