package org.abtest.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.abtest.deploy.testing.RealServers;
import org.abtest.protocol.Json;

/**
 * A node in its own JVM ({@code org.abtest.node.Main}, configured only through its ABTEST_*
 * environment as in production), so that a test can kill it with SIGKILL: no shutdown hook, no last
 * snapshot, whatever was in memory is gone.
 */
final class NodeProcess {

  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private NodeProcess(Process process, int port) {
    this.process = process;
    this.port = port;
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
    int port = freePort();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder builder =
        new ProcessBuilder(
            java.util.stream.Stream.of(
                    List.of(ProcessHandle.current().info().command().orElse("java")),
                    jvmArgs,
                    List.of(
                        "-Dconfig.resource=local.conf",
                        "-Dabtest.kafka.topic=" + namespace + "-events",
                        "-Dabtest.kafka.group-id=" + namespace + "-aggregators",
                        "-cp",
                        classpath,
                        "org.abtest.node.Main"))
                .flatMap(List::stream)
                .toList());
    Map<String, String> env = builder.environment();
    env.put("ABTEST_CASSANDRA_CONTACT_POINT", servers.cassandraContactPoint());
    env.put("ABTEST_CASSANDRA_DC", servers.datacenter());
    env.put("ABTEST_KEYSPACE", namespace);
    env.put("ABTEST_KAFKA_BOOTSTRAP", servers.kafkaBootstrap());
    env.put("ABTEST_HTTP_PORT", String.valueOf(port));
    env.put("ABTEST_REMOTE_PORT", String.valueOf(freePort()));
    env.put("ABTEST_ADMIN_TOKEN", TestNode.ADMIN);
    env.put("ABTEST_SDK_KEY", TestNode.SDK);
    // as TestNode.SYNTHETIC_EVENTS: the tests' logs are synthetic
    env.put("ABTEST_EVENTS_MAX_LATENESS", "36500d");
    env.put("ABTEST_EVENTS_VERIFY_EXPOSURES", "off");
    env.putAll(extraEnv);
    builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
    NodeProcess node = new NodeProcess(builder.start(), port);
    node.awaitReady(readyTimeout);
    return node;
  }

  TestNode.Reply call(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = response.body().isEmpty() ? null : Json.mapper().readTree(response.body());
    return new TestNode.Reply(response.statusCode(), json);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, and wait until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      kill();
    }
  }

  private void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("node exited with " + process.exitValue());
      }
      try {
        if (call("GET", "/health/ready", null, null).status() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    kill();
    throw new IllegalStateException("node not ready in " + timeout);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
