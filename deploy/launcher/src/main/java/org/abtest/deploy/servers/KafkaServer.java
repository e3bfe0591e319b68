package org.abtest.deploy.servers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A real Kafka 4 broker (KRaft, combined broker and controller) in its own JVM. The storage is
 * formatted once, on the first start of a data directory; later starts keep topics and offsets.
 */
public final class KafkaServer implements AutoCloseable {

  /** Logged by KafkaRaftServer once broker and controller are both up. */
  static final String READY_MARKER = "Kafka Server started";

  private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaConfig config;
  private final JvmProcess process;
  private final long logOffset;

  private KafkaServer(KafkaConfig config, JvmProcess process, long logOffset) {
    this.config = config;
    this.process = process;
    this.logOffset = logOffset;
  }

  /** Starts a broker with the classpath of the checkout found by {@link ProjectRoot}. */
  public static KafkaServer start(KafkaConfig config) throws IOException {
    return start(ProjectRoot.find(), config);
  }

  /** Formats the storage if needed (a short JVM of its own), then starts the broker. */
  public static KafkaServer start(Path root, KafkaConfig config) throws IOException {
    Ports.requireFree(
        "Kafka",
        config.host(),
        Ports.named("broker", config.port(), "controller", config.controllerPort()));
    List<Path> classpath = Classpaths.kafka(root);
    Files.createDirectories(config.dataDir());
    Files.writeString(config.serverProperties(), config.renderProperties(), StandardCharsets.UTF_8);
    if (!Files.exists(config.logDirs().resolve("meta.properties"))) {
      format(config, classpath);
    }
    long offset = LogFile.sizeOf(config.processLog());
    JvmProcess process =
        JvmProcess.start(
            spec(
                "Kafka " + config.bootstrap(),
                config,
                classpath,
                "kafka.Kafka",
                List.of(config.serverProperties().toString())));
    return new KafkaServer(config, process, offset);
  }

  private static void format(KafkaConfig config, List<Path> classpath) throws IOException {
    List<String> args =
        List.of(
            "format",
            "-t",
            newClusterId(),
            "-c",
            config.serverProperties().toString(),
            "--ignore-formatted");
    JvmProcess tool =
        JvmProcess.start(
            spec("Kafka StorageTool", config, classpath, "kafka.tools.StorageTool", args));
    try {
      if (!tool.waitFor(FORMAT_TIMEOUT)) {
        tool.kill();
        throw new StartupFailedException(
            "Kafka storage format did not finish in "
                + FORMAT_TIMEOUT.toSeconds()
                + " s.\n"
                + tool.logTail(30));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      tool.kill();
      throw new StartupFailedException("interrupted while formatting Kafka storage", e);
    }
    int code = tool.exitCode().orElse(-1);
    if (code != 0) {
      throw new StartupFailedException(
          "Kafka storage format failed with exit code " + code + ".\n" + tool.logTail(30));
    }
  }

  private static JvmProcess.Spec spec(
      String name, KafkaConfig config, List<Path> classpath, String mainClass, List<String> args) {
    return new JvmProcess.Spec(
        name,
        classpath,
        mainClass,
        jvmArgs(config),
        Map.of(
            "java.awt.headless", "true",
            "org.slf4j.simpleLogger.showDateTime", "true",
            "org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS",
            // the full config dump (hundreds of lines, several times per start) drowns the log
            "org.slf4j.simpleLogger.log.org.apache.kafka.common.config.AbstractConfig", "warn"),
        args,
        Map.of(),
        config.dataDir(),
        config.processLog());
  }

  static List<String> jvmArgs(KafkaConfig config) {
    List<String> args = new ArrayList<>();
    args.add("-Xmx" + config.heap());
    args.add("-XX:+UseG1GC");
    args.add("-XX:+ExitOnOutOfMemoryError");
    args.addAll(config.extraJvmArgs());
    return args;
  }

  /**
   * 16 random bytes in URL-safe base64 without padding (22 characters), the form Kafka expects. A
   * leading '-' would be read as an option by the tool, so such ids are drawn again.
   */
  static String newClusterId() {
    SecureRandom random = new SecureRandom();
    while (true) {
      byte[] bytes = new byte[16];
      random.nextBytes(bytes);
      String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      if (!id.startsWith("-")) {
        return id;
      }
    }
  }

  /** Blocks until the broker logs that it started and answers an ApiVersions request. */
  public KafkaServer awaitReady(Duration timeout) {
    Readiness.await(
        process,
        timeout,
        () ->
            LogFile.containsSince(config.processLog(), logOffset, READY_MARKER)
                && Probes.kafkaAnswers(config.host(), config.port()),
        List.of(config.processLog()));
    return this;
  }

  public KafkaConfig config() {
    return config;
  }

  public JvmProcess process() {
    return process;
  }

  public String bootstrap() {
    return config.bootstrap();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Controlled shutdown on SIGTERM. */
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
