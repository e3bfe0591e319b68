package org.abtest.multijvm;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.deploy.servers.ClusterNode;
import org.abtest.deploy.testing.NodeJvms;

/**
 * One node ({@code org.abtest.node.Main}) in its own JVM, configured only through its ABTEST_*
 * environment as in production, so that a test can SIGKILL it: no shutdown hook, no last snapshot.
 * deploy's {@link ClusterNode}, restartable on the same ports and log.
 */
final class NodeJvm implements AutoCloseable {

  static final String ADMIN = "mjvm-admin-token";
  static final String SDK = "mjvm-sdk-key";

  final String name;
  final int httpPort;
  final int remotePort;
  private final ClusterNode.Launch launch;
  private ClusterNode node;

  NodeJvm(String name, int httpPort, int remotePort, Map<String, String> env, Path log) {
    this.name = name;
    this.httpPort = httpPort;
    this.remotePort = remotePort;
    Map<String, String> nodeEnv = new HashMap<>(env);
    nodeEnv.put("ABTEST_REMOTE_PORT", String.valueOf(remotePort));
    nodeEnv.put("ABTEST_ADMIN_TOKEN", ADMIN);
    nodeEnv.put("ABTEST_SDK_KEY", SDK);
    // EventLoad picks variants by its own hash, which the events edge would reject as forged;
    // a test that sends the platform's own variants can turn the check on
    nodeEnv.putIfAbsent("ABTEST_EVENTS_VERIFY_EXPOSURES", "off");
    this.launch =
        NodeJvms.onTestClasspath(
            name,
            httpPort,
            List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
            Map.of(),
            nodeEnv,
            log,
            Duration.ofSeconds(20));
  }

  String address() {
    return "pekko://abtest@127.0.0.1:" + remotePort;
  }

  Http http() {
    return new Http("http://127.0.0.1:" + httpPort);
  }

  NodeJvm start() throws IOException {
    node = ClusterNode.start(launch);
    return this;
  }

  /** Waits for {@code /health/ready}: member Up, Cassandra and Kafka answering. */
  NodeJvm awaitReady(Duration timeout) {
    node.awaitReady(timeout);
    return this;
  }

  boolean isAlive() {
    return node != null && node.isAlive();
  }

  /** SIGKILL. */
  void kill() {
    if (node != null) {
      node.kill();
    }
  }

  @Override
  public void close() {
    if (node != null) {
      node.stop();
    }
  }
}
