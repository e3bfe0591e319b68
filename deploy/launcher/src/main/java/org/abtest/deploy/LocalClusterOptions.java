package org.abtest.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abtest.deploy.servers.CassandraConfig;
import org.abtest.deploy.servers.ClusterNode;
import org.abtest.deploy.servers.KafkaConfig;

/**
 * The command line of {@link LocalCluster}. Precedence: flag, then environment variable, then
 * default. Defaults stay off the standard ports so that a developer's own Cassandra or Kafka keeps
 * running beside ours.
 */
record LocalClusterOptions(
    Path dataDir,
    String host,
    int cqlPort,
    int storagePort,
    int sslStoragePort,
    int jmxPort,
    int kafkaPort,
    int kafkaControllerPort,
    int httpPort,
    boolean withNode,
    boolean wipe,
    boolean demo,
    String heap,
    String nodeHeap,
    boolean cds,
    Duration timeout) {

  static final String USAGE =
      """
      Usage: LocalCluster up [options]
        Starts Cassandra and Kafka (and with --node the cluster node) on loopback and stays in the
        foreground until Ctrl-C or SIGTERM, then stops node, Kafka and Cassandra in that order.

        --data-dir DIR            data kept across restarts (default <root>/.abtest-data)
        --wipe                    delete the data directory first
        --demo                    with --node: create demo experiments (a real effect, an A/A,
                                  an SRM) and send simulated traffic until stopped; needs
                                  ABTEST_ADMIN_TOKEN and ABTEST_SDK_KEY (run-local.sh sets them)
        --node                    also start org.abtest.node.Main from cluster-node/target
        --host ADDR               loopback address to bind (default 127.0.0.1)
        --cql-port N              Cassandra CQL port (env ABTEST_CQL_PORT, default 19042)
        --storage-port N          Cassandra storage port (default 17000)
        --ssl-storage-port N      Cassandra SSL storage port (default 17001)
        --jmx-port N              Cassandra JMX port, for nodetool (default 17199)
        --kafka-port N            Kafka broker port (env ABTEST_KAFKA_PORT, default 19092)
        --kafka-controller-port N Kafka KRaft controller port (default 19093)
        --http-port N             node HTTP port (env ABTEST_HTTP_PORT, default 8080)
        --heap SIZE               -Xmx of Cassandra and Kafka each (default 512m)
        --node-heap SIZE          -Xmx of the node (default 1g; a production pod has ~2g)
        --cds                     with --node: class-data sharing for the node's start-up; the
                                  first start records cluster-node/target/cds/node.jsa when
                                  the node stops, later starts use it (docs/benchmarks.md, Soak)
        --timeout SECONDS         how long to wait for each to be ready (default 180)
      """;

  /** Parses {@code up [options]}; throws IllegalArgumentException with a message for the user. */
  static LocalClusterOptions parse(List<String> args, Map<String, String> env, Path root) {
    if (args.isEmpty() || !args.get(0).equals("up")) {
      throw new IllegalArgumentException(
          args.isEmpty() ? "missing command" : "unknown command '" + args.get(0) + "'");
    }
    Path dataDir = root.resolve(".abtest-data");
    String host = "127.0.0.1";
    int cql = envPort(env, "ABTEST_CQL_PORT", 19042);
    int storage = 17000;
    int sslStorage = 17001;
    int jmx = 17199;
    int kafka = envPort(env, "ABTEST_KAFKA_PORT", 19092);
    int controller = 19093;
    int http = envPort(env, "ABTEST_HTTP_PORT", 8080);
    boolean node = false;
    boolean wipe = false;
    boolean demo = false;
    boolean cds = false;
    String heap = "512m";
    String nodeHeap = ClusterNode.DEFAULT_HEAP;
    Duration timeout = Duration.ofSeconds(180);
    List<String> rest = new ArrayList<>(args.subList(1, args.size()));
    while (!rest.isEmpty()) {
      String flag = rest.remove(0);
      switch (flag) {
        case "--node" -> node = true;
        case "--wipe" -> wipe = true;
        case "--demo" -> demo = true;
        case "--cds" -> cds = true;
        case "--data-dir" -> dataDir = Path.of(value(flag, rest)).toAbsolutePath();
        case "--host" -> host = value(flag, rest);
        case "--cql-port" -> cql = port(flag, value(flag, rest));
        case "--storage-port" -> storage = port(flag, value(flag, rest));
        case "--ssl-storage-port" -> sslStorage = port(flag, value(flag, rest));
        case "--jmx-port" -> jmx = port(flag, value(flag, rest));
        case "--kafka-port" -> kafka = port(flag, value(flag, rest));
        case "--kafka-controller-port" -> controller = port(flag, value(flag, rest));
        case "--http-port" -> http = port(flag, value(flag, rest));
        case "--heap" -> heap = value(flag, rest);
        case "--node-heap" -> nodeHeap = value(flag, rest);
        case "--timeout" -> timeout = Duration.ofSeconds(number(flag, value(flag, rest)));
        default -> throw new IllegalArgumentException("unknown option '" + flag + "'");
      }
    }
    if (demo && !node) {
      throw new IllegalArgumentException("--demo needs --node");
    }
    if (cds && !node) {
      throw new IllegalArgumentException("--cds needs --node");
    }
    return new LocalClusterOptions(
        dataDir,
        host,
        cql,
        storage,
        sslStorage,
        jmx,
        kafka,
        controller,
        http,
        node,
        wipe,
        demo,
        heap,
        nodeHeap,
        cds,
        timeout);
  }

  CassandraConfig cassandra() {
    return CassandraConfig.singleNode(dataDir.resolve("cassandra"))
        .withHost(host)
        .withPorts(cqlPort, storagePort, sslStoragePort, jmxPort)
        .withHeap(heap);
  }

  KafkaConfig kafka() {
    return KafkaConfig.singleNode(dataDir.resolve("kafka"))
        .withHost(host)
        .withPorts(kafkaPort, kafkaControllerPort)
        .withHeap(heap);
  }

  private static String value(String flag, List<String> rest) {
    if (rest.isEmpty()) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return rest.remove(0);
  }

  private static int envPort(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : port(name, value);
  }

  private static int port(String source, String value) {
    int port = number(source, value);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(source + ": " + port + " is not a port number");
    }
    return port;
  }

  private static int number(String source, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(source + ": '" + value + "' is not a number");
    }
  }
}
