package org.abtest.deploy.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.abtest.deploy.servers.CassandraConfig;
import org.abtest.deploy.servers.CassandraServer;
import org.abtest.deploy.servers.Deletion;
import org.abtest.deploy.servers.KafkaConfig;
import org.abtest.deploy.servers.KafkaServer;
import org.abtest.deploy.servers.ProjectRoot;

/**
 * The integration-test supervisor: a detached JVM that owns the Cassandra and Kafka of one Maven
 * build. {@link ItServersClient} starts it; it wipes the data, starts both servers, publishes an
 * {@link ItState}, and stops everything when the Maven process it watches ends. A separate JVM
 * because test JVMs come and go (one per module) while the servers must outlive each of them, but
 * not the build.
 */
public final class ItServers {

  static final String WATCH_PID = "abtest.it.watchPid";
  static final Duration READY_TIMEOUT = Duration.ofSeconds(150);

  /**
   * The shared Cassandra of a whole {@code mvn verify}: every IT class adds a keyspace with its
   * tables (about 20 by the end), and at 512m its old generation filled and every query timed out
   * in a clean-clone run (collections back to back, 530 of 512 MB).
   */
  static final String CASSANDRA_HEAP = "1g";

  private ItServers() {}

  static Path dir(Path root) {
    return root.resolve("target/it-servers");
  }

  static Path stateFile(Path root) {
    return dir(root).resolve("state.properties");
  }

  public static void main(String[] args) throws Exception {
    Path root = ProjectRoot.find();
    long watched = Long.getLong(WATCH_PID, -1L);
    long self = ProcessHandle.current().pid();
    Path stateFile = stateFile(root);
    Optional<ProcessHandle> maven = ProcessHandle.of(watched);
    if (maven.isEmpty()) {
      ItState.failed(self, watched, "watched pid " + watched + " is not running").write(stateFile);
      System.exit(1);
    }
    Path data = dir(root).resolve("data");
    Deletion.deleteTree(data);
    ItPorts ports = ItPorts.fromSystemProperties();
    CassandraConfig cassandraConfig =
        CassandraConfig.singleNode(data.resolve("cassandra"))
            .withPorts(ports.cql(), ports.storage(), ports.sslStorage(), ports.jmx())
            .withHeap(CASSANDRA_HEAP);
    KafkaConfig kafkaConfig =
        KafkaConfig.singleNode(data.resolve("kafka"))
            .withPorts(ports.kafka(), ports.kafkaController());
    long start = System.nanoTime();
    CompletableFuture<CassandraServer> cassandra =
        CompletableFuture.supplyAsync(
            () -> started(() -> CassandraServer.start(root, cassandraConfig)));
    CompletableFuture<KafkaServer> kafka =
        CompletableFuture.supplyAsync(() -> started(() -> KafkaServer.start(root, kafkaConfig)));
    try {
      cassandra.thenAccept(c -> c.awaitReady(READY_TIMEOUT)).join();
      log("Cassandra ready at %s after %.1f s", cassandraConfig.contactPoint(), since(start));
      kafka.thenAccept(k -> k.awaitReady(READY_TIMEOUT)).join();
      log("Kafka ready at %s after %.1f s", kafkaConfig.bootstrap(), since(start));
    } catch (CompletionException e) {
      String reason = e.getCause() == null ? e.toString() : e.getCause().getMessage();
      log("start failed: %s", reason);
      ItState.failed(self, watched, reason).write(stateFile);
      System.exit(1); // the exit hooks stop whatever did start
    }
    new ItState(
            self,
            watched,
            cassandra.join().process().pid(),
            kafka.join().process().pid(),
            cassandraConfig.host(),
            cassandraConfig.cqlPort(),
            cassandraConfig.datacenterName(),
            kafkaConfig.bootstrap(),
            true,
            null)
        .write(stateFile);
    log(
        "ready; watching pid %d (%s)",
        watched, maven.get().info().commandLine().orElse("command line unknown"));
    maven.get().onExit().join();
    log("pid %d ended; stopping Kafka and Cassandra", watched);
    // Withdraw the state first, so that no test JVM picks up servers that are going away. Only
    // if it is still ours: a later build may have replaced it.
    if (ItState.read(stateFile).map(s -> s.supervisorPid() == self).orElse(false)) {
      Files.deleteIfExists(stateFile);
    }
    kafka.join().stop();
    cassandra.join().stop();
    log("stopped");
    System.exit(0);
  }

  private interface Start<T> {
    T run() throws Exception;
  }

  private static <T> T started(Start<T> start) {
    try {
      return start.run();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  private static double since(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void log(String format, Object... args) {
    System.out.printf("%tT ItServers: %s%n", System.currentTimeMillis(), format.formatted(args));
  }
}
