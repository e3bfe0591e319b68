package org.abtest.deploy.servers;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Cassandra 5 node in its own JVM. {@link #start} returns as soon as the JVM runs; call
 * {@link #awaitReady} before connecting. Fault tests may {@link #kill} and start it again on the
 * same data directory.
 */
public final class CassandraServer implements AutoCloseable {

  /** Logged by Cassandra 5 once the native transport is bound (also on a restart). */
  static final String READY_MARKER = "Starting listening for CQL clients";

  /**
   * Cassandra's own conf/jvm17-server.options module flags: without them it dies on JDK 17 (e.g. on
   * {@code DirectBuffer.cleaner}), and with only the three that start-up needs, later code paths
   * (JMX, streaming, nodetool) may still fail in a long-running node.
   */
  static final List<String> JDK17_FLAGS =
      List.of(
          "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
          "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-exports=java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.server=ALL-UNNAMED",
          "--add-exports=java.sql/java.sql=ALL-UNNAMED",
          "--add-exports=java.base/java.lang.ref=ALL-UNNAMED",
          "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
          "--add-exports=jdk.attach/sun.tools.attach=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.module=ALL-UNNAMED",
          "--add-opens=java.base/jdk.internal.loader=ALL-UNNAMED",
          "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens=java.base/jdk.internal.reflect=ALL-UNNAMED",
          "--add-opens=java.base/jdk.internal.math=ALL-UNNAMED",
          "--add-opens=java.base/jdk.internal.module=ALL-UNNAMED",
          "--add-opens=java.base/jdk.internal.util.jar=ALL-UNNAMED",
          "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED");

  private final CassandraConfig config;
  private final JvmProcess process;
  private final long systemLogOffset;

  private CassandraServer(CassandraConfig config, JvmProcess process, long systemLogOffset) {
    this.config = config;
    this.process = process;
    this.systemLogOffset = systemLogOffset;
  }

  /** Starts a node with the classpath of the checkout found by {@link ProjectRoot}. */
  public static CassandraServer start(CassandraConfig config) throws IOException {
    return start(ProjectRoot.find(), config);
  }

  public static CassandraServer start(Path root, CassandraConfig config) throws IOException {
    // The SSL storage port is not bound unless internode encryption is on, so it is not checked.
    Ports.requireFree(
        "Cassandra",
        config.host(),
        Ports.named(
            "CQL", config.cqlPort(), "storage", config.storagePort(), "JMX", config.jmxPort()));
    List<Path> classpath = Classpaths.cassandra(root);
    CassandraFiles.write(config);
    long offset = LogFile.sizeOf(config.systemLog());
    JvmProcess process =
        JvmProcess.start(
            new JvmProcess.Spec(
                "Cassandra " + config.contactPoint(),
                classpath,
                "org.apache.cassandra.service.CassandraDaemon",
                jvmArgs(config),
                systemProperties(config),
                List.of(),
                Map.of(),
                config.dataDir(),
                config.consoleLog()));
    return new CassandraServer(config, process, offset);
  }

  static List<String> jvmArgs(CassandraConfig config) {
    List<String> args = new ArrayList<>();
    args.add("-Xmx" + config.heap());
    args.add("-XX:+UseG1GC");
    args.add("-XX:+ExitOnOutOfMemoryError");
    args.addAll(JDK17_FLAGS);
    args.addAll(config.extraJvmArgs());
    return args;
  }

  static Map<String, String> systemProperties(CassandraConfig config) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("cassandra.config", CassandraFiles.yaml(config).toUri().toString());
    props.put("cassandra-foreground", "yes");
    props.put("cassandra.storagedir", config.dataDir().toString());
    props.put("cassandra.logdir", config.logDir().toString());
    props.put("logback.configurationFile", CassandraFiles.logback(config).toString());
    props.put("cassandra.jmx.local.port", Integer.toString(config.jmxPort()));
    props.put("cassandra.skip_wait_for_gossip_to_settle", "0");
    if (config.isSingleNode()) {
      // Never with several nodes: they would evict each other as silent fat clients.
      props.put("cassandra.ring_delay_ms", "100");
    }
    if (config.datacenter() != null) {
      props.put("cassandra-rackdc.properties", CassandraFiles.rackdc(config).toUri().toString());
    }
    props.put("java.net.preferIPv4Stack", "true");
    props.put("jdk.attach.allowAttachSelf", "true");
    props.put("io.netty.tryReflectionSetAccessible", "true");
    return props;
  }

  /** Blocks until clients can connect: the log says CQL is listening and an OPTIONS is answered. */
  public CassandraServer awaitReady(Duration timeout) {
    Readiness.await(
        process,
        timeout,
        () ->
            LogFile.containsSince(config.systemLog(), systemLogOffset, READY_MARKER)
                && Probes.cqlAnswers(config.host(), config.cqlPort()),
        List.of(config.systemLog(), config.consoleLog()));
    return this;
  }

  public CassandraConfig config() {
    return config;
  }

  public JvmProcess process() {
    return process;
  }

  public String contactPoint() {
    return config.contactPoint();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Clean stop: Cassandra drains on SIGTERM, which keeps the next start fast. */
  public void stop() {
    process.stop(Duration.ofSeconds(60));
  }

  /** kill -9, as a crash would. */
  public void kill() {
    process.kill();
  }

  @Override
  public void close() {
    stop();
  }
}
