package org.abtest.node;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.abtest.deploy.servers.NodeHttp;
import org.abtest.deploy.testing.RealServers;
import org.abtest.node.assignment.ManifestHolder;
import org.abtest.protocol.Json;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A real node in the test JVM, wired exactly as Main wires it, against the build's real Cassandra
 * and Kafka. Each test class names its own keyspace and topic, so classes never see each other's
 * data.
 */
final class TestNode implements AutoCloseable {

  static final String ADMIN = "it-admin-token";
  static final String SDK = "it-sdk-key";

  /**
   * The tests' generated logs carry fixed times (2026-11-22) and variants of their own choosing
   * (units in two variants, experiments nobody defined), which the events edge would refuse; a test
   * of the edge itself sets these back in its extra config.
   */
  static final String SYNTHETIC_EVENTS =
      """
      abtest.events.max-lateness = 36500d
      abtest.events.verify-exposures = off
      """;

  private final ActorSystem<Void> system;
  private final int port;
  private final NodeHttp http;

  record Reply(int status, JsonNode body) {

    /** The reply with its body parsed; null when it has none. */
    static Reply of(NodeHttp.Reply reply) throws IOException {
      JsonNode json = reply.body().isEmpty() ? null : Json.mapper().readTree(reply.body());
      return new Reply(reply.status(), json);
    }
  }

  private final ManifestHolder manifests;

  private TestNode(ActorSystem<Void> system, int port, ManifestHolder manifests) {
    this.system = system;
    this.port = port;
    this.manifests = manifests;
    this.http = new NodeHttp(URI.create("http://127.0.0.1:" + port));
  }

  /** The node's cluster address, for a second node to join as its seed. */
  String clusterAddress() {
    return org.apache.pekko.cluster.typed.Cluster.get(system).selfMember().address().toString();
  }

  /** The node's actor system, for tests that look inside (sharding state, entities). */
  ActorSystem<Void> system() {
    return system;
  }

  /** The node's evaluator manifest, as the assignment path reads it. */
  ManifestHolder manifests() {
    return manifests;
  }

  static TestNode start(String namespace) throws Exception {
    return start(namespace, "");
  }

  /** A node with extra HOCON on top of the test settings (for example shorter intervals). */
  static TestNode start(String namespace, String extraConfig) throws Exception {
    RealServers.Endpoints servers = RealServers.endpoints();
    // Loaded, not parsed-then-layered: local.conf's substitutions (the driver's contact points
    // from abtest.cassandra.contact-point) must resolve against these values, not the defaults.
    Config config =
        ConfigFactory.load(
            ConfigFactory.parseString(
                    """
                abtest.cassandra.contact-point = "%s"
                abtest.cassandra.datacenter = "%s"
                abtest.cassandra.keyspace = "%s"
                abtest.kafka.bootstrap = "%s"
                abtest.kafka.topic = "%s-events"
                abtest.kafka.group-id = "%s-aggregators"
                abtest.http.port = 0
                abtest.dev-credentials.admin-token = "%s"
                abtest.dev-credentials.sdk-key = "%s"
                pekko.remote.artery.canonical.port = 0
                pekko.coordinated-shutdown.exit-jvm = off
                pekko.actor.serialize-messages = on
                """
                        .formatted(
                            servers.cassandraContactPoint(),
                            servers.datacenter(),
                            namespace,
                            servers.kafkaBootstrap(),
                            namespace,
                            namespace,
                            ADMIN,
                            SDK))
                .withFallback(ConfigFactory.parseString(extraConfig))
                .withFallback(ConfigFactory.parseString(SYNTHETIC_EVENTS))
                .withFallback(ConfigFactory.parseResourcesAnySyntax("local.conf")));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "abtest", config);
    Main.joinCluster(system);
    Node.Started started = Node.start(system).toCompletableFuture().get(60, TimeUnit.SECONDS);
    TestNode node =
        new TestNode(system, started.binding().localAddress().getPort(), started.manifests());
    node.awaitReady(Duration.ofSeconds(90));
    return node;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  Reply call(String method, String path, String token, String body) throws Exception {
    return callWithHeader(method, path, token, body, null, null);
  }

  Reply callWithHeader(
      String method, String path, String token, String body, String header, String value)
      throws Exception {
    String[] headers = header == null ? new String[0] : new String[] {header, value};
    return Reply.of(http.send(method, path, token, body, headers));
  }

  private void awaitReady(Duration timeout) {
    await("node ready")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> call("GET", "/health/ready", null, null), r -> r.status() == 200);
  }

  @Override
  public void close() throws ExecutionException, TimeoutException {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the node shut down", e);
    }
  }
}
