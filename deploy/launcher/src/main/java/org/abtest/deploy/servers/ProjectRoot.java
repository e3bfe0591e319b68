package org.abtest.deploy.servers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the repository root, where the server classpaths and the node's build output live.
 *
 * <p>Order: system property {@code abtest.root} (failsafe sets it), environment {@code ABTEST_ROOT}
 * (scripts), else the nearest directory above the working directory that contains {@code
 * deploy/launcher/pom.xml} (running from a module directory or an IDE).
 */
public final class ProjectRoot {

  public static final String PROPERTY = "abtest.root";
  static final String ENV = "ABTEST_ROOT";
  private static final Path MARKER = Path.of("deploy", "launcher", "pom.xml");

  private ProjectRoot() {}

  /** The root of this checkout, or an exception that says how to point at it. */
  public static Path find() {
    return find(System.getProperty(PROPERTY), System.getenv(ENV), Path.of("").toAbsolutePath());
  }

  static Path find(String property, String env, Path workingDir) {
    if (property != null && !property.isBlank()) {
      return checked(Path.of(property), "system property " + PROPERTY);
    }
    if (env != null && !env.isBlank()) {
      return checked(Path.of(env), "environment variable " + ENV);
    }
    return searchUpwards(workingDir)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "Cannot find the abtest repository root above "
                        + workingDir
                        + ": no directory contains "
                        + MARKER
                        + ". Run from inside the checkout, or set -D"
                        + PROPERTY
                        + "=... or "
                        + ENV
                        + "."));
  }

  static Optional<Path> searchUpwards(Path start) {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(MARKER))) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  private static Path checked(Path root, String source) {
    Path absolute = root.toAbsolutePath().normalize();
    if (!Files.isRegularFile(absolute.resolve(MARKER))) {
      throw new IllegalStateException(
          source + " points at " + absolute + ", which does not contain " + MARKER);
    }
    return absolute;
  }
}
