package org.abtest.multijvm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.deploy.servers.CassandraConfig;
import org.abtest.deploy.servers.CassandraServer;
import org.abtest.deploy.servers.KafkaConfig;
import org.abtest.deploy.servers.KafkaServer;

/**
 * Two regions on one machine, each its own Pekko cluster (one node), Kafka broker and Cassandra
 * data center (127.0.0.2 and 127.0.0.3, keyspaces replicated to both with NetworkTopologyStrategy),
 * so that changes cross through Cassandra only. Region A is listed first: the layers' home.
 */
final class TwoRegions implements AutoCloseable {

  static final String A = "region-a";
  static final String B = "region-b";
  private static final List<String> REGIONS = List.of(A, B);

  final Harness harness;
  private final Map<String, CassandraServer> cassandra = new HashMap<>();
  private final Map<String, KafkaConfig> kafkaConfigs = new HashMap<>();
  private final Map<String, KafkaServer> kafka = new HashMap<>();
  private final Map<String, NodeJvm> nodes = new HashMap<>();

  /**
   * @param base the first of this test's ports (each test class its own, so they never collide)
   * @param keyspace the node's keyspace, one per test class
   */
  static TwoRegions start(String name, int base, String keyspace) throws Exception {
    TwoRegions regions = new TwoRegions(new Harness(name));
    try {
      regions.startAll(base, keyspace);
    } catch (Exception | Error e) {
      regions.close();
      throw e;
    }
    return regions;
  }

  private TwoRegions(Harness harness) {
    this.harness = harness;
  }

  private void startAll(int base, String keyspace) throws Exception {
    List<String> hosts = List.of("127.0.0.2", "127.0.0.3");
    List<String> tokens = List.of("-9223372036854775808", "0");
    for (int i = 0; i < 2; i++) {
      String region = REGIONS.get(i);
      CassandraConfig config =
          Harness.cassandraConfig(
                  harness.dir.resolve("cassandra-" + region),
                  hosts.get(i),
                  base + 42 + i,
                  base + 700,
                  base + 198 + i,
                  hosts)
              .withDatacenter(region, "rack1")
              .withInitialToken(tokens.get(i));
      cassandra.put(region, harness.startCassandra(config));
      KafkaConfig k =
          KafkaConfig.singleNode(harness.dir.resolve("kafka-" + region))
              .withPorts(base + 92 + 2 * i, base + 93 + 2 * i);
      kafkaConfigs.put(region, k);
      kafka.put(region, harness.startKafka(k));
    }
    for (String region : REGIONS) {
      cassandra.get(region).awaitReady(Harness.SERVER_START);
      kafka.get(region).awaitReady(Harness.SERVER_START);
    }
    for (int i = 0; i < 2; i++) {
      String region = REGIONS.get(i);
      Map<String, String> env = new HashMap<>();
      env.put("ABTEST_REGION", region);
      env.put("ABTEST_REGIONS", A + "," + B);
      env.put("ABTEST_CASSANDRA_CONTACT_POINT", cassandra.get(region).contactPoint());
      env.put("ABTEST_CASSANDRA_DC", region);
      env.put("ABTEST_CASSANDRA_REPLICATION", A + ":1," + B + ":1");
      env.put("ABTEST_KAFKA_BOOTSTRAP", kafka.get(region).bootstrap());
      env.put("ABTEST_KEYSPACE", keyspace);
      nodes.put(region, harness.node(region, base + 81 + i, base + 551 + i, env));
    }
    // Region A creates the shared keyspaces; B starts once they exist (concurrent schema changes
    // from two data centers can disagree).
    nodes.get(A).start().awaitReady(Harness.NODE_START);
    nodes.get(B).start().awaitReady(Harness.NODE_START);
  }

  Http http(String region) {
    return nodes.get(region).http();
  }

  /** The whole region is gone at once: its node, Kafka broker and Cassandra data center. */
  void lose(String region) throws Exception {
    nodes.get(region).kill();
    kafka.get(region).kill();
    cassandra.get(region).kill();
  }

  /** Starts a lost region again on its old data, and waits until its node is ready. */
  void restore(String region) throws Exception {
    cassandra.put(region, harness.startCassandra(cassandra.get(region).config()));
    kafka.put(region, harness.startKafka(kafkaConfigs.get(region)));
    cassandra.get(region).awaitReady(Harness.SERVER_START);
    kafka.get(region).awaitReady(Harness.SERVER_START);
    nodes.get(region).start().awaitReady(Harness.NODE_START);
  }

  @Override
  public void close() {
    harness.close();
  }
}
