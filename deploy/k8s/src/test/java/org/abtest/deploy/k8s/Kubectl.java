package org.abtest.deploy.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The kubectl whose built-in kustomize renders the overlays. By default Debian's {@code
 * kubernetes-client} package, fetched with {@code apt-get download} and unpacked under {@code
 * target/tools} on first use (no root install, no other source than the machine's apt); {@code
 * ABTEST_KUBECTL} names another one instead.
 */
final class Kubectl {

  static final String PACKAGE = "kubernetes-client";
  private static final Path TOOLS = Path.of("target", "tools").toAbsolutePath();

  private Kubectl() {}

  /** The kubectl every invariant is checked with. */
  static synchronized Path primary() throws IOException, InterruptedException {
    String override = System.getenv("ABTEST_KUBECTL");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    Path bin = TOOLS.resolve(PACKAGE).resolve("usr/bin/kubectl");
    if (Files.isExecutable(bin)) {
      return bin;
    }
    if (!onPath("apt-get").isPresent()) {
      return onPath("kubectl")
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no kubectl: not on PATH, and no apt-get to fetch Debian's " + PACKAGE));
    }
    Path downloads = Files.createDirectories(TOOLS.resolve("deb"));
    if (!run(downloads, "apt-get", "download", PACKAGE).ok()) {
      // a fresh machine may not have read its package lists yet
      Result update = run(downloads, "apt-get", "update");
      Result again = run(downloads, "apt-get", "download", PACKAGE);
      if (!again.ok()) {
        throw new IllegalStateException(
            "apt-get download " + PACKAGE + " failed:\n" + update.output() + again.output());
      }
    }
    Path deb;
    try (Stream<Path> files = Files.list(downloads)) {
      deb =
          files
              .filter(p -> p.getFileName().toString().startsWith(PACKAGE + "_"))
              .filter(p -> p.getFileName().toString().endsWith(".deb"))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no " + PACKAGE + " .deb downloaded"));
    }
    Result unpack =
        run(downloads, "dpkg-deb", "-x", deb.toString(), TOOLS.resolve(PACKAGE).toString());
    if (!unpack.ok() || !Files.isExecutable(bin)) {
      throw new IllegalStateException("could not unpack " + deb + ":\n" + unpack.output());
    }
    return bin;
  }

  /** Another kubectl on the PATH (often a newer kustomize), to check the overlays with it too. */
  static Optional<Path> secondary() throws IOException, InterruptedException {
    Path primary = primary().toRealPath();
    return onPath("kubectl").filter(p -> !realPath(p).equals(primary));
  }

  static String version(Path kubectl) throws IOException, InterruptedException {
    Result r = run(Path.of("."), kubectl.toString(), "version", "--client");
    return r.output().lines().findFirst().orElse("?").trim();
  }

  /** The overlay rendered as one multi-document YAML stream; fails with kustomize's message. */
  static String kustomize(Path kubectl, Path overlay) throws IOException, InterruptedException {
    Result r = run(overlay, kubectl.toString(), "kustomize", overlay.toString());
    if (!r.ok()) {
      throw new AssertionError(kubectl + " kustomize " + overlay + " failed:\n" + r.output());
    }
    return r.stdout();
  }

  record Result(int exit, String stdout, String output) {
    boolean ok() {
      return exit == 0;
    }
  }

  static Result run(Path dir, String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("kubectl", ".out");
    Path err = Files.createTempFile("kubectl", ".err");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish");
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      return new Result(p.exitValue(), stdout, stdout + stderr);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static Optional<Path> onPath(String name) {
    List<Path> found = new ArrayList<>();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          found.add(candidate);
        }
      }
    }
    return found.stream().findFirst();
  }

  private static Path realPath(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p;
    }
  }
}
