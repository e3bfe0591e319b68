package org.abtest.deploy.servers;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Classpaths of the JVMs we launch, as written by the Maven build ({@code
 * dependency:build-classpath} into {@code target/classpath.txt}). Reading them at run time keeps
 * the launcher free of dependencies and each server's jars out of every other JVM.
 */
public final class Classpaths {

  private Classpaths() {}

  public static List<Path> cassandra(Path root) {
    return read(
        root.resolve("deploy/cassandra-server/target/classpath.txt"), "deploy/cassandra-server");
  }

  public static List<Path> kafka(Path root) {
    return read(root.resolve("deploy/kafka-server/target/classpath.txt"), "deploy/kafka-server");
  }

  /** The node: its own classes first, then its dependencies. */
  public static List<Path> node(Path root) {
    Path classes = root.resolve("cluster-node/target/classes");
    if (!Files.isDirectory(classes)) {
      throw new IllegalStateException(missing(classes, "cluster-node"));
    }
    List<Path> classpath = new ArrayList<>();
    classpath.add(classes);
    classpath.addAll(read(root.resolve("cluster-node/target/classpath.txt"), "cluster-node"));
    return classpath;
  }

  /** The node from its packaged jar ({@code mvn package}), as class-data sharing needs. */
  public static List<Path> nodeFromJar(Path root) {
    Path classes = root.resolve("cluster-node/target/classes");
    Path jar = root.resolve("cluster-node/target/cluster-node-0.1.0-SNAPSHOT.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar
              + " is missing: --cds runs the node from its jar; build it with `mvn -B -q package"
              + " -pl cluster-node -am -Dmaven.test.skip=true`.");
    }
    return ClassDataSharing.fromJar(node(root), classes, jar);
  }

  static List<Path> read(Path file, String module) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(missing(file, module));
    }
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      List<Path> entries = new ArrayList<>();
      for (String entry : text.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          entries.add(Path.of(entry));
        }
      }
      return entries;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String missing(Path file, String module) {
    return file
        + " is missing: build it first with `mvn -B -q -DskipTests install -pl "
        + module
        + " -am` at the repository root.";
  }
}
