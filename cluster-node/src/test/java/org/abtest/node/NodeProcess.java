package org.abtest.node;

import java.io.File;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.deploy.servers.ClusterNode;
import org.abtest.deploy.servers.NodeHttp;
import org.abtest.deploy.testing.NodeJvms;
import org.abtest.deploy.testing.RealServers;

/**
 * A node in its own JVM ({@code org.abtest.node.Main}, configured only through its ABTEST_*
 * environment as in production), so that a test can kill it with SIGKILL: no shutdown hook, no last
 * snapshot, whatever was in memory is gone. deploy's {@link ClusterNode} on the build's servers.
 */
final class NodeProcess {

  private final ClusterNode node;
  private final NodeHttp http;

  private NodeProcess(ClusterNode node) {
    this.node = node;
    this.http = node.http();
  }

  static NodeProcess start(String namespace, Map<String, String> extraEnv, File log)
      throws Exception {
    return start(namespace, extraEnv, log, List.of("-Xmx512m"), Duration.ofSeconds(120));
  }

  /**
   * With {@code jvmArgs} (the heap above all) instead of the default -Xmx512m, and three minutes to
   * get ready: a small heap recovering a large state on a loaded machine took up to two.
   */
  static NodeProcess start(
      String namespace, Map<String, String> extraEnv, File log, List<String> jvmArgs)
      throws Exception {
    return start(namespace, extraEnv, log, jvmArgs, Duration.ofMinutes(3));
  }

  private static NodeProcess start(
      String namespace,
      Map<String, String> extraEnv,
      File log,
      List<String> jvmArgs,
      Duration readyTimeout)
      throws Exception {
    RealServers.Endpoints servers = RealServers.endpoints();
    int port = NodeJvms.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("ABTEST_CASSANDRA_CONTACT_POINT", servers.cassandraContactPoint());
    env.put("ABTEST_CASSANDRA_DC", servers.datacenter());
    env.put("ABTEST_KEYSPACE", namespace);
    env.put("ABTEST_KAFKA_BOOTSTRAP", servers.kafkaBootstrap());
    env.put("ABTEST_REMOTE_PORT", String.valueOf(NodeJvms.freePort()));
    env.put("ABTEST_ADMIN_TOKEN", TestNode.ADMIN);
    env.put("ABTEST_SDK_KEY", TestNode.SDK);
    // as TestNode.SYNTHETIC_EVENTS: the tests' logs are synthetic
    env.put("ABTEST_EVENTS_MAX_LATENESS", "36500d");
    env.put("ABTEST_EVENTS_VERIFY_EXPOSURES", "off");
    env.putAll(extraEnv);
    ClusterNode node =
        ClusterNode.start(
            NodeJvms.onTestClasspath(
                namespace + " node :" + port,
                port,
                jvmArgs,
                Map.of(
                    "abtest.kafka.topic", namespace + "-events",
                    "abtest.kafka.group-id", namespace + "-aggregators"),
                env,
                log.toPath(),
                Duration.ofSeconds(30)));
    try {
      node.awaitReady(readyTimeout);
    } catch (RuntimeException notReady) {
      node.kill();
      throw notReady;
    }
    return new NodeProcess(node);
  }

  TestNode.Reply call(String method, String path, String token, String body) throws Exception {
    return TestNode.Reply.of(http.send(method, path, token, body));
  }

  String baseUrl() {
    return node.baseUri().toString();
  }

  boolean isAlive() {
    return node.isAlive();
  }

  /** SIGKILL, and wait until the process is gone. */
  void kill() {
    node.kill();
  }

  void stop() {
    node.stop();
  }
}
