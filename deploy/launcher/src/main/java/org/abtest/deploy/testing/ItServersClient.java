package org.abtest.deploy.testing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.abtest.deploy.servers.JvmProcess;
import org.abtest.deploy.servers.ProjectRoot;
import org.abtest.deploy.servers.StartupFailedException;

/**
 * Finds or starts the servers of this Maven build for a test JVM, without JUnit so that any harness
 * can use it. Under a file lock: two test JVMs of a parallel build never start two sets.
 */
public final class ItServersClient {

  private ItServersClient() {}

  /** Returns the state of ready servers for this build, starting them if needed. */
  public static synchronized ItState acquire(Path root) {
    Path lockFile = ItServers.dir(root).resolve("lock");
    try {
      Files.createDirectories(lockFile.getParent());
      try (FileChannel channel =
          FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        FileLock lock = channel.lock();
        try {
          return acquireLocked(root, mavenPid());
        } finally {
          lock.release();
        }
      }
    } catch (IOException e) {
      throw new StartupFailedException("cannot use " + lockFile + ": " + e.getMessage(), e);
    }
  }

  private static ItState acquireLocked(Path root, long mavenPid) throws IOException {
    Path stateFile = ItServers.stateFile(root);
    Optional<ItState> existing = ItState.read(stateFile);
    if (existing.isPresent() && reusable(existing.get(), mavenPid)) {
      return existing.get();
    }
    killLeftovers(root);
    Files.deleteIfExists(stateFile);
    return startSupervisor(root, mavenPid);
  }

  static boolean reusable(ItState state, long mavenPid) {
    return state.ready()
        && state.watchedPid() == mavenPid
        && alive(state.watchedPid())
        && alive(state.supervisorPid())
        && alive(state.cassandraPid())
        && alive(state.kafkaPid());
  }

  /**
   * Kills what a previous build left behind (e.g. Maven and the supervisor were killed with -9, or
   * a failed start). The state file may not name them all, so every process whose command line
   * mentions our it-servers directory goes: this checkout's supervisor (it gets the directory as a
   * property), Cassandra and Kafka (their data lives there). Nothing else does.
   */
  private static void killLeftovers(Path root) {
    String marker = ItServers.dir(root).toString();
    long self = ProcessHandle.current().pid();
    List<ProcessHandle> leftovers =
        ProcessHandle.allProcesses()
            .filter(p -> p.pid() != self)
            .filter(p -> commandLine(p).map(c -> c.contains(marker)).orElse(false))
            .toList();
    for (ProcessHandle p : leftovers) {
      System.err.println("Killing a leftover integration-test process: pid " + p.pid());
      p.destroyForcibly();
    }
    for (ProcessHandle p : leftovers) {
      p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join();
    }
  }

  private static ItState startSupervisor(Path root, long mavenPid) throws IOException {
    List<String> jvmArgs = new ArrayList<>(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"));
    jvmArgs.addAll(ItPorts.fromSystemProperties().asJvmFlags());
    JvmProcess supervisor =
        JvmProcess.startDetached(
            new JvmProcess.Spec(
                "integration-test servers",
                List.of(launcherClasspath()),
                ItServers.class.getName(),
                jvmArgs,
                Map.of(
                    ProjectRoot.PROPERTY,
                    root.toString(),
                    ItServers.WATCH_PID,
                    Long.toString(mavenPid),
                    // marks the process as this checkout's, for killLeftovers
                    "abtest.it.dir",
                    ItServers.dir(root).toString()),
                List.of(),
                Map.of(),
                ItServers.dir(root),
                ItServers.dir(root).resolve("supervisor.log")));
    Duration timeout = ItServers.READY_TIMEOUT.plusSeconds(30);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<ItState> state = ItState.read(ItServers.stateFile(root));
      if (state.isPresent() && state.get().supervisorPid() == supervisor.pid()) {
        if (state.get().ready()) {
          return state.get();
        }
        if (state.get().error() != null) {
          throw new StartupFailedException(
              "Integration-test servers failed to start: " + state.get().error());
        }
      }
      if (!supervisor.isAlive()) {
        throw new StartupFailedException(
            "The integration-test supervisor exited with code "
                + supervisor.exitCode().orElse(-1)
                + ".\n"
                + supervisor.logTail(60));
      }
      if (System.nanoTime() > deadline) {
        supervisor.stop(Duration.ofSeconds(30));
        throw new StartupFailedException(
            "Integration-test servers were not ready after "
                + timeout.toSeconds()
                + " s.\n"
                + supervisor.logTail(60));
      }
      sleep();
    }
  }

  /**
   * The Maven JVM: the nearest ancestor running plexus-classworlds (surefire may fork through a
   * shell), else the direct parent (an IDE). {@code -Dabtest.it.watchPid} overrides.
   */
  static long mavenPid() {
    Long configured = Long.getLong(ItServers.WATCH_PID);
    if (configured != null) {
      return configured;
    }
    Optional<ProcessHandle> parent = ProcessHandle.current().parent();
    for (Optional<ProcessHandle> p = parent; p.isPresent(); p = p.get().parent()) {
      if (commandLine(p.get()).map(ItServersClient::isMaven).orElse(false)) {
        return p.get().pid();
      }
    }
    return parent.map(ProcessHandle::pid).orElse(ProcessHandle.current().pid());
  }

  static boolean isMaven(String commandLine) {
    return commandLine.contains("org.codehaus.plexus.classworlds.launcher.Launcher")
        || commandLine.contains("org.apache.maven.cli.MavenCli")
        || commandLine.contains("org.mvndaemon.mvnd");
  }

  /**
   * The full command line. {@code ProcessHandle.Info} stops after 4096 characters on Linux, well
   * before the main class of a server with a long classpath, so /proc is read where it exists.
   */
  static Optional<String> commandLine(ProcessHandle process) {
    Path proc = Path.of("/proc", Long.toString(process.pid()), "cmdline");
    try {
      if (Files.isReadable(proc)) {
        byte[] bytes = Files.readAllBytes(proc);
        return Optional.of(new String(bytes, StandardCharsets.UTF_8).replace('\0', ' '));
      }
    } catch (IOException e) {
      // the process ended meanwhile, or is not ours to read: fall back
    }
    return process.info().commandLine();
  }

  /** Our own classes (a directory in the reactor, a jar from the local repository). */
  private static Path launcherClasspath() {
    try {
      return Path.of(ItServers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean alive(long pid) {
    return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static void sleep() {
    try {
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartupFailedException(
          "interrupted while waiting for the integration-test servers");
    }
  }
}
