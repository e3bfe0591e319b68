package org.abtest.deploy.servers;

import java.io.IOException;
import java.net.URI;
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
    Map<String, String> env = new HashMap<>(extraEnv);
    env.putAll(
        Map.of(
            "ABTEST_CASSANDRA_CONTACT_POINT",
            cassandraContactPoint,
            "ABTEST_KAFKA_BOOTSTRAP",
            kafkaBootstrap,
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
    return start(
        new Launch(
            "node :" + httpPort,
            classpath,
            flags,
            Map.of(),
            env,
            httpPort,
            dataDir,
            dataDir.resolve("node.log"),
            stopGrace));
  }

  /**
   * Any node JVM: the one way this project starts {@code org.abtest.node.Main}, for run-local.sh
   * and the tests alike. {@code ABTEST_HTTP_PORT} is set from {@code httpPort}, and {@code
   * config.resource=local.conf} unless the system properties say otherwise: the node may create its
   * own keyspaces and tables (never in production).
   */
  public static ClusterNode start(Launch launch) throws IOException {
    Ports.requireFree("the node", "127.0.0.1", Ports.named("HTTP", launch.httpPort()));
    Map<String, String> env = new HashMap<>(launch.env());
    env.put("ABTEST_HTTP_PORT", Integer.toString(launch.httpPort()));
    Map<String, String> properties = new HashMap<>(launch.systemProperties());
    properties.putIfAbsent("config.resource", "local.conf");
    JvmProcess process =
        JvmProcess.start(
            new JvmProcess.Spec(
                launch.name(),
                launch.classpath(),
                MAIN_CLASS,
                launch.jvmArgs(),
                properties,
                List.of(),
                env,
                launch.workDir(),
                launch.logFile()));
    return new ClusterNode(process, launch.httpPort(), launch.stopGrace());
  }

  /**
   * How to run one node JVM. The parent environment is passed through (so {@code JAVA_TOOL_OPTIONS}
   * and the node's own settings work), with {@code env} on top; the log file is appended to, so a
   * restarted node's log follows the first one's.
   */
  public record Launch(
      String name,
      List<Path> classpath,
      List<String> jvmArgs,
      Map<String, String> systemProperties,
      Map<String, String> env,
      int httpPort,
      Path workDir,
      Path logFile,
      Duration stopGrace) {

    public Launch {
      classpath = List.copyOf(classpath);
      jvmArgs = List.copyOf(jvmArgs);
      systemProperties = Map.copyOf(systemProperties);
      env = Map.copyOf(env);
    }
  }

  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + httpPort);
  }

  /** Polls {@code /health/ready} until it answers 200, printing progress every few seconds. */
  public ClusterNode awaitReady(Duration timeout) {
    NodeHttp http = new NodeHttp(baseUri(), Duration.ofSeconds(2));
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
                baseUri().resolve("/health/ready"), Duration.ofNanos(now - start).toSeconds());
            lastReport[0] = now;
          }
          return http.status("/health/ready") == 200;
        },
        List.of(process.logFile()));
    return this;
  }

  /** A JSON-over-HTTP client for this node's API. */
  public NodeHttp http() {
    return new NodeHttp(baseUri());
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, as a crash would: no shutdown hook, no last snapshot. */
  public void kill() {
    process.kill();
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
