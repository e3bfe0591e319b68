package org.abtest.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.abtest.deploy.demo.Demo;
import org.abtest.deploy.servers.CassandraConfig;
import org.abtest.deploy.servers.CassandraServer;
import org.abtest.deploy.servers.ClusterNode;
import org.abtest.deploy.servers.Deletion;
import org.abtest.deploy.servers.ExitHooks;
import org.abtest.deploy.servers.JvmProcess;
import org.abtest.deploy.servers.KafkaConfig;
import org.abtest.deploy.servers.KafkaServer;
import org.abtest.deploy.servers.Ports;
import org.abtest.deploy.servers.ProjectRoot;
import org.abtest.deploy.servers.StartupFailedException;

/**
 * {@code LocalCluster up}: Cassandra and Kafka (and optionally the node) for local development, in
 * the foreground until Ctrl-C or SIGTERM. Called by {@code deploy/run-local.sh}.
 *
 * <p>Exit codes: 1 when something failed to start or died, 2 for a bad command line; a requested
 * stop ends with the JVM's signal status (130 for SIGINT, 143 for SIGTERM) after the ordered stop.
 */
public final class LocalCluster {

  private final LocalClusterOptions options;
  private final Path root;
  private final AtomicReference<CassandraServer> cassandra = new AtomicReference<>();
  private final AtomicReference<KafkaServer> kafka = new AtomicReference<>();
  private final AtomicReference<ClusterNode> node = new AtomicReference<>();
  private final AtomicReference<Demo> demo = new AtomicReference<>();
  private final NodeRestarts restarts = NodeRestarts.local();
  private volatile boolean stopping;

  private LocalCluster(LocalClusterOptions options, Path root) {
    this.options = options;
    this.root = root;
  }

  public static void main(String[] args) {
    LocalClusterOptions options;
    Path root;
    try {
      root = ProjectRoot.find();
      options = LocalClusterOptions.parse(Arrays.asList(args), System.getenv(), root);
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("LocalCluster: " + e.getMessage() + "\n\n" + LocalClusterOptions.USAGE);
      System.exit(2);
      return;
    }
    int code = new LocalCluster(options, root).up();
    System.exit(code);
  }

  private int up() {
    try {
      startAll();
    } catch (RuntimeException | IOException e) {
      System.err.println("\nLocalCluster: start failed: " + message(e));
      stopAll();
      return 1;
    }
    // Registered after the children, so it runs before their own exit actions: orderly stop.
    ExitHooks.onExit(this::stopAll);
    System.out.println(
        "\nRunning. Ctrl-C or SIGTERM (pid " + ProcessHandle.current().pid() + ") stops all.");
    JvmProcess died = watchChildren();
    while (!stopping && isNode(died) && restartNode(died)) {
      died = watchChildren();
    }
    if (stopping) {
      return 0;
    }
    System.err.printf(
        "%nLocalCluster: %s exited unexpectedly (code %d).%n%s%n",
        died.name(), died.exitCode().orElse(-1), died.logTail(30));
    return 1;
  }

  private boolean isNode(JvmProcess died) {
    ClusterNode n = node.get();
    return n != null && n.process() == died;
  }

  /**
   * The node died alone: start it again while Kafka and Cassandra keep running, unless it has died
   * too often lately (then everything stops, as for any other child). Whether it restarted.
   */
  private boolean restartNode(JvmProcess died) {
    var delay = restarts.onDeath(System.nanoTime());
    if (delay.isEmpty()) {
      System.err.printf("%nLocalCluster: the node keeps dying; not restarting it again.%n");
      return false;
    }
    System.err.printf(
        "%nLocalCluster: %s exited (code %d); Kafka and Cassandra keep running, restarting the"
            + " node in %d s.%n%s%n",
        died.name(), died.exitCode().orElse(-1), delay.get().toSeconds(), died.logTail(15));
    try {
      Thread.sleep(delay.get().toMillis());
      if (stopping) {
        return false;
      }
      startNode();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (RuntimeException | IOException e) {
      System.err.println("LocalCluster: the node did not come back: " + message(e));
      return false;
    }
  }

  private void startNode() throws IOException {
    System.out.println("Starting the node on http://127.0.0.1:" + options.httpPort() + " ...");
    long nodeStart = System.nanoTime();
    node.set(
        ClusterNode.start(
            root,
            options.dataDir().resolve("node"),
            options.cassandra().contactPoint(),
            options.kafka().bootstrap(),
            options.httpPort(),
            // the demo's simulated clients choose their own variants (a skewed split on
            // purpose), which the events edge would reject as forged exposures
            options.demo() ? Map.of("ABTEST_EVENTS_VERIFY_EXPOSURES", "off") : Map.of(),
            options.nodeHeap(),
            options.cds()));
    node.get().awaitReady(options.timeout());
    System.out.printf("Node ready in %.1f s%n", seconds(nodeStart));
  }

  private void startAll() throws IOException {
    if (options.wipe()) {
      Deletion.deleteTree(options.dataDir());
    }
    CassandraConfig cassandraConfig = options.cassandra();
    KafkaConfig kafkaConfig = options.kafka();
    // Check every port before starting anything: one clear error instead of a half-started set.
    Ports.requireFree(
        "Cassandra",
        options.host(),
        Ports.named(
            "CQL", options.cqlPort(), "storage", options.storagePort(), "JMX", options.jmxPort()));
    Ports.requireFree(
        "Kafka",
        options.host(),
        Ports.named("broker", options.kafkaPort(), "controller", options.kafkaControllerPort()));
    if (options.withNode()) {
      Ports.requireFree("the node", "127.0.0.1", Ports.named("HTTP", options.httpPort()));
    }
    boolean cassandraCold = !Files.isDirectory(cassandraConfig.dataDir().resolve("data"));
    boolean kafkaCold = !Files.exists(kafkaConfig.logDirs().resolve("meta.properties"));
    System.out.println("Data directory: " + options.dataDir());
    long start = System.nanoTime();
    CompletableFuture<Void> cassandraReady =
        CompletableFuture.runAsync(
            () -> {
              cassandra.set(io(() -> CassandraServer.start(root, cassandraConfig)));
              abortIfStopping();
              cassandra.get().awaitReady(options.timeout());
              report("Cassandra", cassandraConfig.contactPoint(), cassandraCold, start);
            });
    CompletableFuture<Void> kafkaReady =
        CompletableFuture.runAsync(
            () -> {
              kafka.set(io(() -> KafkaServer.start(root, kafkaConfig)));
              abortIfStopping();
              kafka.get().awaitReady(options.timeout());
              report("Kafka", kafkaConfig.bootstrap(), kafkaCold, start);
            });
    // The first failure is the cause; stopping the other server then makes its wait fail fast.
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    for (CompletableFuture<Void> ready : List.of(cassandraReady, kafkaReady)) {
      ready.exceptionally(
          e -> {
            firstFailure.compareAndSet(null, e instanceof CompletionException ? e.getCause() : e);
            stopAll();
            return null;
          });
    }
    try {
      CompletableFuture.allOf(cassandraReady, kafkaReady).join();
    } catch (CompletionException e) {
      Throwable cause = firstFailure.get() != null ? firstFailure.get() : e.getCause();
      throw cause instanceof RuntimeException r
          ? r
          : new StartupFailedException(message(cause), cause);
    }
    if (options.withNode()) {
      startNode();
    }
    System.out.println();
    System.out.println("  Cassandra  " + cassandraConfig.contactPoint() + "  (datacenter1)");
    System.out.println("  Kafka      " + kafkaConfig.bootstrap());
    if (options.withNode()) {
      System.out.println("  Node       " + node.get().baseUri());
      System.out.println("  Console    " + node.get().baseUri().resolve("/console"));
    }
    if (options.demo()) {
      demo.set(Demo.start(node.get().baseUri(), System.getenv()));
    }
  }

  /** The other server failed while this one was being launched: stop it too. */
  private void abortIfStopping() {
    if (stopping) {
      stopAll();
      throw new StartupFailedException("cancelled: the other server failed to start");
    }
  }

  private static void report(String what, String address, boolean cold, long start) {
    System.out.printf(
        "%s ready at %s in %.1f s (%s)%n",
        what,
        address,
        seconds(start),
        cold ? "cold start, new data directory" : "warm start, existing data");
  }

  /** Node first (it still flushes to both), then Kafka, then Cassandra. Safe to call twice. */
  private synchronized void stopAll() {
    stopping = true;
    Demo d = demo.getAndSet(null);
    if (d != null) {
      d.stop();
    }
    ClusterNode n = node.getAndSet(null);
    if (n != null) {
      System.out.println("Stopping the node ...");
      n.stop();
    }
    KafkaServer k = kafka.getAndSet(null);
    if (k != null) {
      System.out.println("Stopping Kafka ...");
      k.stop();
    }
    CassandraServer c = cassandra.getAndSet(null);
    if (c != null) {
      System.out.println("Stopping Cassandra ...");
      c.stop();
    }
  }

  /** Blocks until one of our children exits; returns it. */
  private JvmProcess watchChildren() {
    List<CompletableFuture<JvmProcess>> exits = new ArrayList<>();
    for (AtomicReference<?> ref : List.of(cassandra, kafka, node)) {
      Object server = ref.get();
      if (server instanceof CassandraServer c) {
        exits.add(c.process().onExit());
      } else if (server instanceof KafkaServer k) {
        exits.add(k.process().onExit());
      } else if (server instanceof ClusterNode n) {
        exits.add(n.process().onExit());
      }
    }
    return (JvmProcess) CompletableFuture.anyOf(exits.toArray(CompletableFuture[]::new)).join();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String message(Throwable e) {
    Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  private interface IoSupplier<T> {
    T get() throws IOException;
  }

  private static <T> T io(IoSupplier<T> supplier) {
    try {
      return supplier.get();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
