package org.abtest.deploy.servers;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Java child process: one server or node JVM started by our own code instead of a container.
 *
 * <p>Every process started with {@link #start} is stopped when this JVM exits normally or on
 * SIGTERM/SIGINT (see {@link ExitHooks}); only {@link #startDetached} children outlive us, which is
 * what the integration-test supervisor needs.
 */
public final class JvmProcess {

  /** What to run. {@code args} follow the main class; the log file receives stdout and stderr. */
  public record Spec(
      String name,
      List<Path> classpath,
      String mainClass,
      List<String> jvmArgs,
      Map<String, String> systemProperties,
      List<String> args,
      Map<String, String> env,
      Path workDir,
      Path logFile) {

    public Spec {
      classpath = List.copyOf(classpath);
      jvmArgs = List.copyOf(jvmArgs);
      systemProperties = Map.copyOf(systemProperties);
      args = List.copyOf(args);
      env = Map.copyOf(env);
    }

    /** The full command line, as {@code ps} will show it. */
    public List<String> command() {
      List<String> command = new ArrayList<>();
      command.add(javaExecutable());
      command.addAll(jvmArgs);
      // sorted so that the command line is stable and easy to compare between runs
      systemProperties.entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> command.add("-D" + e.getKey() + "=" + e.getValue()));
      command.add("-cp");
      command.add(
          classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
      command.add(mainClass);
      command.addAll(args);
      return command;
    }
  }

  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private final Spec spec;
  private final Process process;

  private JvmProcess(Spec spec, Process process) {
    this.spec = spec;
    this.process = process;
  }

  /** Starts a child that is stopped when this JVM exits. */
  public static JvmProcess start(Spec spec) throws IOException {
    JvmProcess child = launch(spec);
    ExitHooks.onExit(() -> child.stop(Duration.ofSeconds(30)));
    return child;
  }

  /** Starts a child that keeps running after this JVM exits; it must watch its own lifetime. */
  public static JvmProcess startDetached(Spec spec) throws IOException {
    return launch(spec);
  }

  private static JvmProcess launch(Spec spec) throws IOException {
    Files.createDirectories(spec.logFile().toAbsolutePath().getParent());
    Files.createDirectories(spec.workDir());
    List<String> command = new ArrayList<>(spec.command());
    if (Files.isExecutable(SETSID)) {
      // Own session: a Ctrl-C in the terminal reaches only the launcher, which then stops the
      // children in order (node, Kafka, Cassandra) instead of all of them at once. setsid execs
      // java in place (a spawned child is never a group leader), so the pid stays the same.
      command.add(0, SETSID.toString());
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.directory(spec.workDir().toFile());
    builder.environment().putAll(spec.env());
    builder.redirectErrorStream(true);
    // Appending keeps the previous run's output for post-mortems; readers start at the old end.
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
    // Never share our stdin: a child holding a pipe of a surefire fork would keep Maven waiting.
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return new JvmProcess(spec, builder.start());
  }

  static String javaExecutable() {
    Optional<String> current = ProcessHandle.current().info().command();
    if (current.isPresent() && current.get().endsWith("java")) {
      return current.get();
    }
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public String name() {
    return spec.name();
  }

  public Spec spec() {
    return spec;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path logFile() {
    return spec.logFile();
  }

  /** The exit code, if the process has ended. */
  public Optional<Integer> exitCode() {
    return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
  }

  /** Completes when the process has ended, for whatever reason. */
  public CompletableFuture<JvmProcess> onExit() {
    return process.onExit().thenApply(p -> this);
  }

  /** Waits for the process to end by itself; returns whether it did within the timeout. */
  public boolean waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * SIGTERM, so that Cassandra drains and Kafka shuts down in a controlled way; SIGKILL after the
   * grace period. Returns once the process is gone.
   */
  public void stop(Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        System.err.printf("%s (pid %d) ignored SIGTERM for %s; killing it%n", name(), pid(), grace);
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
  }

  /** SIGKILL, as a crash would: for fault tests. Returns once the process is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The last lines of this process's log, for error messages. */
  public String logTail(int lines) {
    return LogFile.tail(spec.logFile(), lines);
  }

  @Override
  public String toString() {
    return name() + " (pid " + pid() + ")";
  }
}
