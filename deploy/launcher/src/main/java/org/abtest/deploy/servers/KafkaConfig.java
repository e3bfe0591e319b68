package org.abtest.deploy.servers;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Kafka 4 broker in KRaft mode, acting as its own controller, on loopback.
 *
 * @param heap the {@code -Xmx} value, e.g. "512m"
 * @param extraJvmArgs appended to the JVM flags; see {@link JvmFlags#QUICK_START}
 */
public record KafkaConfig(
    Path dataDir,
    String host,
    int port,
    int controllerPort,
    int nodeId,
    String heap,
    List<String> extraJvmArgs) {

  public KafkaConfig {
    dataDir = dataDir.toAbsolutePath().normalize();
    extraJvmArgs = List.copyOf(extraJvmArgs);
  }

  /** A broker on 127.0.0.1 with the local-development ports. */
  public static KafkaConfig singleNode(Path dataDir) {
    return new KafkaConfig(dataDir, "127.0.0.1", 19092, 19093, 1, "512m", JvmFlags.QUICK_START);
  }

  public KafkaConfig withHost(String newHost) {
    return new KafkaConfig(dataDir, newHost, port, controllerPort, nodeId, heap, extraJvmArgs);
  }

  public KafkaConfig withPorts(int newPort, int newControllerPort) {
    return new KafkaConfig(dataDir, host, newPort, newControllerPort, nodeId, heap, extraJvmArgs);
  }

  public KafkaConfig withNodeId(int newNodeId) {
    return new KafkaConfig(dataDir, host, port, controllerPort, newNodeId, heap, extraJvmArgs);
  }

  public KafkaConfig withHeap(String newHeap) {
    return new KafkaConfig(dataDir, host, port, controllerPort, nodeId, newHeap, extraJvmArgs);
  }

  public KafkaConfig withExtraJvmArgs(List<String> args) {
    return new KafkaConfig(dataDir, host, port, controllerPort, nodeId, heap, args);
  }

  /** What clients put in {@code bootstrap.servers}. */
  public String bootstrap() {
    return host + ":" + port;
  }

  public Path serverProperties() {
    return dataDir.resolve("server.properties");
  }

  /** The broker's log directory (topic data and KRaft metadata), not its application log. */
  public Path logDirs() {
    return dataDir.resolve("data");
  }

  /** stdout and stderr of the broker JVM; slf4j-simple writes everything there. */
  public Path processLog() {
    return dataDir.resolve("kafka.log");
  }

  /** The broker's settings, in a stable order so that the file diffs well between runs. */
  Map<String, String> properties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(nodeId));
    p.put("controller.quorum.voters", nodeId + "@" + host + ":" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    p.put("log.dirs", logDirs().toString());
    // Topics appear on first use, with enough partitions to spread over several nodes' consumers.
    p.put("num.partitions", "8");
    p.put("auto.create.topics.enable", "true");
    // One broker: every internal topic must accept replication factor 1.
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    // 50 partitions by default; 8 makes the first consumer group in a fresh test run much faster
    p.put("offsets.topic.num.partitions", "8");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    // Tests start one consumer and expect it to get partitions now, not after 3 s.
    p.put("group.initial.rebalance.delay.ms", "0");
    return p;
  }

  String renderProperties() {
    StringBuilder text =
        new StringBuilder("# written by org.abtest.deploy.servers.KafkaServer on each start\n");
    properties().forEach((k, v) -> text.append(k).append('=').append(escaped(v)).append('\n'));
    return text.toString();
  }

  /** java.util.Properties escaping for the characters a path may contain. */
  private static String escaped(String value) {
    return value.replace("\\", "\\\\").replace(" ", "\\ ").replace("#", "\\#").replace("!", "\\!");
  }
}
