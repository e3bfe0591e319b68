package org.abtest.multijvm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.abtest.deploy.servers.CassandraServer;
import org.abtest.deploy.servers.KafkaConfig;
import org.abtest.deploy.servers.KafkaServer;

/**
 * One region for a test class: a Cassandra node, a Kafka broker and a cluster of node JVMs. The
 * servers take the {@code abtest.it.*} ports (as RealServers does, so a worktree can move all of
 * them), the nodes {@code abtest.mjvm.basePort} + 81.. (HTTP) and + 551.. (remoting); the first
 * {@link #SEEDS} nodes are the seeds, so nodes added later join the same cluster.
 */
final class Region implements AutoCloseable {

  static final int SEEDS = 3;
  static final String TOPIC = "abtest-events";
  static final String GROUP = "abtest-aggregators";

  final Harness harness;
  final CassandraServer cassandra;
  final KafkaServer kafka;
  final List<NodeJvm> nodes = new ArrayList<>();
  private final int base;
  private final AtomicInteger roundRobin = new AtomicInteger();

  private Region(Harness harness, CassandraServer cassandra, KafkaServer kafka, int base) {
    this.harness = harness;
    this.cassandra = cassandra;
    this.kafka = kafka;
    this.base = base;
  }

  /**
   * @param shift added to every port, so that two test classes can run side by side
   */
  static Region start(String name, int defaultBase, int shift) throws Exception {
    int base = Integer.getInteger("abtest.mjvm.basePort", defaultBase) + shift;
    Harness harness = new Harness(name);
    try {
      CassandraServer cassandra =
          harness.startCassandra(
              Harness.cassandraConfig(
                  harness.dir.resolve("cassandra"),
                  "127.0.0.1",
                  Integer.getInteger("abtest.it.cqlPort", base + 42 - shift) + shift,
                  Integer.getInteger("abtest.it.storagePort", base + 700 - shift) + shift,
                  Integer.getInteger("abtest.it.jmxPort", base + 199 - shift) + shift,
                  List.of("127.0.0.1")));
      int kafkaPort = Integer.getInteger("abtest.it.kafkaPort", base + 92 - shift) + shift;
      KafkaServer kafka =
          harness.startKafka(
              KafkaConfig.singleNode(harness.dir.resolve("kafka"))
                  .withPorts(
                      kafkaPort,
                      Integer.getInteger("abtest.it.kafkaControllerPort", kafkaPort - shift + 1)
                          + shift));
      cassandra.awaitReady(Harness.SERVER_START);
      kafka.awaitReady(Harness.SERVER_START);
      return new Region(harness, cassandra, kafka, base);
    } catch (Exception | Error e) {
      harness.close();
      throw e;
    }
  }

  /** The environment of node {@code index} (0-based), plus {@code extra}. */
  Map<String, String> env(Map<String, String> extra) {
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i < SEEDS; i++) {
      seeds.add("pekko://abtest@127.0.0.1:" + (base + 551 + i));
    }
    Map<String, String> env = new HashMap<>();
    env.put("ABTEST_CASSANDRA_CONTACT_POINT", cassandra.contactPoint());
    env.put("ABTEST_KAFKA_BOOTSTRAP", kafka.bootstrap());
    env.put("ABTEST_KEYSPACE", "mjvm");
    env.put("ABTEST_SEED_NODES", String.join(",", seeds));
    env.put("ABTEST_SNAPSHOT_INTERVAL", "3s");
    env.putAll(extra);
    return env;
  }

  /** A node JVM (not started) with index {@code index}'s ports; replaces an earlier one there. */
  NodeJvm node(int index, Map<String, String> extra) {
    NodeJvm node =
        harness.node("node-" + (index + 1), base + 81 + index, base + 551 + index, env(extra));
    if (index < nodes.size()) {
      nodes.set(index, node);
    } else {
      nodes.add(node);
    }
    return node;
  }

  /** Starts {@code count} nodes: the first forms the cluster (and the keyspaces) alone. */
  void startNodes(int count, Map<String, String> extra) throws Exception {
    node(0, extra).start().awaitReady(Harness.NODE_START);
    for (int i = 1; i < count; i++) {
      node(i, extra).start();
    }
    for (int i = 1; i < count; i++) {
      nodes.get(i).awaitReady(Harness.NODE_START);
    }
  }

  /** The next live node, in turn: what a load balancer in front of the cluster does. */
  Http anyNode() {
    for (int i = 0; i < nodes.size(); i++) {
      NodeJvm node = nodes.get(Math.floorMod(roundRobin.getAndIncrement(), nodes.size()));
      if (node.isAlive()) {
        return node.http();
      }
    }
    throw new IllegalStateException("no node alive");
  }

  List<NodeJvm> alive() {
    return nodes.stream().filter(NodeJvm::isAlive).toList();
  }

  @Override
  public void close() {
    harness.close();
  }
}
