package org.abtest.deploy.servers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Our own node JVM ({@code org.abtest.node.Main}), wired to the servers through environment. */
public final class ClusterNode implements AutoCloseable {

  static final String MAIN_CLASS = "org.abtest.node.Main";

  private final JvmProcess process;
  private final int httpPort;
  private final Duration stopGrace;

  private ClusterNode(JvmProcess process, int httpPort, Duration stopGrace) {
    this.process = process;
    this.httpPort = httpPort;
    this.stopGrace = stopGrace;
  }

  /** The node's -Xmx unless told otherwise; a production pod has about 2 GB. */
  public static final String DEFAULT_HEAP = "1g";

  /**
   * Starts the node. The parent environment is passed through (so {@code JAVA_TOOL_OPTIONS} and the
   * node's own settings work), with the endpoints of our servers added on top.
   */
  public static ClusterNode start(
      Path root,
      Path dataDir,
      String cassandraContactPoint,
      String kafkaBootstrap,
      int httpPort,
      String heap)
      throws IOException {
    return start(root, dataDir, cassandraContactPoint, kafkaBootstrap, httpPort, Map.of(), heap);
  }

  /**
   * The same, with more ABTEST_* settings (a region's name, data center and peers).
   *
   * @param heap the node's -Xmx
   */
  public static ClusterNode start(
      Path root,
      Path dataDir,
      String cassandraContactPoint,
      String kafkaBootstrap,
      int httpPort,
      Map<String, String> extraEnv,
      String heap)
      throws IOException {
    return start(
        root, dataDir, cassandraContactPoint, kafkaBootstrap, httpPort, extraEnv, heap, false);
  }

  /** The same; {@code cds} runs the node with class-data sharing ({@link ClassDataSharing}). */
  public static ClusterNode start(
      Path root,
      Path dataDir,
      String cassandraContactPoint,
      String kafkaBootstrap,
      int httpPort,
      Map<String, String> extraEnv,
      String heap,
      boolean cds)
      throws IOException {
    Ports.requireFree("the node", "127.0.0.1", Ports.named("HTTP", httpPort));
    Map<String, String> env = new HashMap<>(extraEnv);
    env.putAll(
        Map.of(
            "ABTEST_CASSANDRA_CONTACT_POINT",
            cassandraContactPoint,
            "ABTEST_KAFKA_BOOTSTRAP",
            kafkaBootstrap,
            "ABTEST_HTTP_PORT",
            Integer.toString(httpPort),
            "ABTEST_DATA_DIR",
            dataDir.toString()));
    List<Path> classpath = Classpaths.node(root);
    List<String> flags = new ArrayList<>(JvmFlags.NODE);
    flags.add("-Xmx" + heap);
    Duration stopGrace = Duration.ofSeconds(30);
    if (cds) {
      classpath = Classpaths.nodeFromJar(root);
      List<String> cdsFlags = ClassDataSharing.forNode(root).jvmArgsFor(classpath);
      flags.addAll(cdsFlags);
      if (ClassDataSharing.records(cdsFlags)) {
        stopGrace = ClassDataSharing.RECORDING_STOP_GRACE;
      }
    }
    JvmProcess process =
        JvmProcess.start(
            new JvmProcess.Spec(
                "node :" + httpPort,
                classpath,
                MAIN_CLASS,
                flags,
                // local.conf: the node may create its own keyspaces and tables (never in
                // production).
                Map.of("config.resource", "local.conf"),
                List.of(),
                env,
                dataDir,
                dataDir.resolve("node.log")));
    return new ClusterNode(process, httpPort, stopGrace);
  }

  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + httpPort);
  }

  /** Polls {@code /health/ready} until it answers 200, printing progress every few seconds. */
  public ClusterNode awaitReady(Duration timeout) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(baseUri().resolve("/health/ready"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long start = System.nanoTime();
    long[] lastReport = {start};
    Readiness.await(
        process,
        timeout,
        () -> {
          long now = System.nanoTime();
          if (now - lastReport[0] > Duration.ofSeconds(5).toNanos()) {
            System.out.printf(
                "  waiting for %s (%d s)%n",
                request.uri(), Duration.ofNanos(now - start).toSeconds());
            lastReport[0] = now;
          }
          return status(client, request) == 200;
        },
        List.of(process.logFile()));
    return this;
  }

  private static int status(HttpClient client, HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  public JvmProcess process() {
    return process;
  }

  public void stop() {
    process.stop(stopGrace);
  }

  @Override
  public void close() {
    stop();
  }
}
