package org.abtest.deploy.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.abtest.deploy.servers.ClusterNode;

/**
 * Node JVMs for tests: {@link ClusterNode#start(ClusterNode.Launch)} on the test JVM's own
 * classpath (the node's classes with the test resources), in the test's working directory.
 */
public final class NodeJvms {

  private NodeJvms() {}

  public static ClusterNode.Launch onTestClasspath(
      String name,
      int httpPort,
      List<String> jvmArgs,
      Map<String, String> systemProperties,
      Map<String, String> env,
      Path logFile,
      Duration stopGrace) {
    return new ClusterNode.Launch(
        name,
        testClasspath(),
        jvmArgs,
        systemProperties,
        env,
        httpPort,
        Path.of("").toAbsolutePath(),
        logFile,
        stopGrace);
  }

  /** Surefire's and failsafe's test classpath, else this JVM's. */
  static List<Path> testClasspath() {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Arrays.stream(classpath.split(File.pathSeparator))
        .filter(entry -> !entry.isBlank())
        .map(Path::of)
        .toList();
  }

  /** A port free now, for a node's HTTP or remoting. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
