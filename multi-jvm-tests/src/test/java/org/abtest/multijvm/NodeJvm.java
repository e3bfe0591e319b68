package org.abtest.multijvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One node ({@code org.abtest.node.Main}) in its own JVM, configured only through its ABTEST_*
 * environment as in production, so that a test can SIGKILL it: no shutdown hook, no last snapshot.
 */
final class NodeJvm implements AutoCloseable {

  static final String ADMIN = "mjvm-admin-token";
  static final String SDK = "mjvm-sdk-key";

  final String name;
  final int httpPort;
  final int remotePort;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path log;
  private Process process;

  NodeJvm(String name, int httpPort, int remotePort, Map<String, String> env, Path log) {
    this.name = name;
    this.httpPort = httpPort;
    this.remotePort = remotePort;
    this.env = Map.copyOf(env);
    this.log = log;
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    this.command =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dconfig.resource=local.conf",
                "-cp",
                classpath,
                "org.abtest.node.Main"));
  }

  String address() {
    return "pekko://abtest@127.0.0.1:" + remotePort;
  }

  Http http() {
    return new Http("http://127.0.0.1:" + httpPort);
  }

  NodeJvm start() throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.environment().put("ABTEST_HTTP_PORT", String.valueOf(httpPort));
    builder.environment().put("ABTEST_REMOTE_PORT", String.valueOf(remotePort));
    builder.environment().put("ABTEST_ADMIN_TOKEN", ADMIN);
    builder.environment().put("ABTEST_SDK_KEY", SDK);
    // EventLoad picks variants by its own hash, which the events edge would reject as forged;
    // a test that sends the platform's own variants can turn the check on
    builder.environment().putIfAbsent("ABTEST_EVENTS_VERIFY_EXPOSURES", "off");
    builder
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = builder.start();
    Process started = process;
    Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
    return this;
  }

  /** Waits for {@code /health/ready}: member Up, Cassandra and Kafka answering. */
  NodeJvm awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited; log " + log + "\n" + tail());
      }
      if (http().status("GET", "/health/ready", null, null) == 200) {
        return this;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        name + " not ready in " + timeout + "; log " + log + "\n" + tail());
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL. */
  void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
