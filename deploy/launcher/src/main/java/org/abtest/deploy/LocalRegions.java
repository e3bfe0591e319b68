package org.abtest.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.abtest.deploy.servers.CassandraConfig;
import org.abtest.deploy.servers.CassandraServer;
import org.abtest.deploy.servers.ClusterNode;
import org.abtest.deploy.servers.Deletion;
import org.abtest.deploy.servers.ExitHooks;
import org.abtest.deploy.servers.KafkaConfig;
import org.abtest.deploy.servers.KafkaServer;
import org.abtest.deploy.servers.ProjectRoot;

/**
 * {@code LocalRegions up N}: N regions on this machine, each its own Cassandra data center (a node
 * on 127.0.0.(2+i), all in one Cassandra cluster), its own Kafka broker and its own single-node
 * Pekko cluster. Experiments replicate between regions through Cassandra only. In the foreground
 * until Ctrl-C or SIGTERM, then stops nodes, brokers and Cassandra. Region i (from 0) listens on
 * HTTP 8080+i, CQL 19042+i, Kafka 19092+2i; data lives in {@code .abtest-data/regions/}.
 */
public final class LocalRegions {

  private LocalRegions() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || !args[0].equals("up")) {
      System.err.println("Usage: LocalRegions up N [--wipe]   (N regions, 2 to 4)");
      System.exit(2);
    }
    int n = Integer.parseInt(args[1]);
    if (n < 2 || n > 4) {
      System.err.println("LocalRegions: N must be 2 to 4");
      System.exit(2);
    }
    Path root = ProjectRoot.find();
    Path data = root.resolve(".abtest-data").resolve("regions");
    if (List.of(args).contains("--wipe")) {
      Deletion.deleteTree(data);
    }
    List<AutoCloseable> started = new ArrayList<>();
    ExitHooks.onExit(() -> stopAll(started));
    Duration timeout = Duration.ofSeconds(300);
    List<String> regions = new ArrayList<>();
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      regions.add("region-" + (char) ('a' + i));
      hosts.add("127.0.0." + (2 + i));
    }
    List<CassandraServer> cassandras = new ArrayList<>();
    List<KafkaServer> brokers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      CassandraServer c =
          CassandraServer.start(
              root,
              CassandraConfig.singleNode(data.resolve(regions.get(i)).resolve("cassandra"))
                  .withHost(hosts.get(i))
                  .withPorts(19042 + i, 17000, 17001, 17199 + i)
                  .withSeeds(hosts)
                  .withDatacenter(regions.get(i), "rack1")
                  .withInitialToken(Long.toString(Long.MIN_VALUE + (Long.MAX_VALUE / n) * 2 * i)));
      started.add(0, c::stop);
      cassandras.add(c);
      KafkaServer k =
          KafkaServer.start(
              root,
              KafkaConfig.singleNode(data.resolve(regions.get(i)).resolve("kafka"))
                  .withPorts(19092 + 2 * i, 19093 + 2 * i));
      started.add(0, k::stop);
      brokers.add(k);
    }
    for (int i = 0; i < n; i++) {
      cassandras.get(i).awaitReady(timeout);
      brokers.get(i).awaitReady(timeout);
    }
    StringBuilder replication = new StringBuilder();
    for (String region : regions) {
      replication.append(replication.length() == 0 ? "" : ",").append(region).append(":1");
    }
    for (int i = 0; i < n; i++) {
      Map<String, String> env = new HashMap<>();
      env.put("ABTEST_REGION", regions.get(i));
      env.put("ABTEST_REGIONS", String.join(",", regions));
      env.put("ABTEST_CASSANDRA_DC", regions.get(i));
      env.put("ABTEST_CASSANDRA_REPLICATION", replication.toString());
      env.put("ABTEST_REMOTE_PORT", Integer.toString(25520 + i));
      ClusterNode node =
          ClusterNode.start(
              root,
              data.resolve(regions.get(i)).resolve("node"),
              cassandras.get(i).contactPoint(),
              brokers.get(i).bootstrap(),
              8080 + i,
              env,
              ClusterNode.DEFAULT_HEAP);
      started.add(0, node::stop);
      // One at a time: the first region creates the shared keyspaces.
      node.awaitReady(timeout);
      System.out.printf(
          "  %s  %s  (Cassandra %s, data center %s; Kafka %s)%n",
          regions.get(i),
          node.baseUri(),
          cassandras.get(i).contactPoint(),
          regions.get(i),
          brokers.get(i).bootstrap());
    }
    System.out.println(
        "\nRunning. Ctrl-C or SIGTERM (pid " + ProcessHandle.current().pid() + ") stops all.");
    new CountDownLatch(1).await();
  }

  private static synchronized void stopAll(List<AutoCloseable> started) {
    for (AutoCloseable c : List.copyOf(started)) {
      try {
        c.close();
      } catch (Exception e) {
        System.err.println("stop: " + e.getMessage());
      }
    }
    started.clear();
  }
}
