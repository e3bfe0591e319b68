package org.abtest.deploy.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Opt-in application class-data sharing for the node ({@code run-local.sh --cds}, JDK 17 dynamic
 * AppCDS): the first start records the classes it loads into an archive when the node exits ({@code
 * -XX:ArchiveClassesAtExit}); later starts map them from it ({@code -XX:SharedArchiveFile}) instead
 * of loading, verifying and parsing each class again. An archive older than any classpath entry is
 * recorded again, since the JVM would refuse it. CDS archives only classes from jars, so the node
 * runs from its jar instead of {@code target/classes}.
 *
 * @param archive where the archive lives: under cluster-node/target, so a clean build drops it
 */
record ClassDataSharing(Path archive) {

  /**
   * How long a recording node may take to stop: the archive is written after the shutdown hooks,
   * and on a loaded 2-core machine the 30 s of a normal stop ran out in the middle of writing it.
   */
  static final Duration RECORDING_STOP_GRACE = Duration.ofSeconds(180);

  static ClassDataSharing forNode(Path root) {
    return new ClassDataSharing(root.resolve("cluster-node/target/cds/node.jsa"));
  }

  /** The JVM flags: use the archive when it is current, else record one at exit. */
  List<String> jvmArgs(boolean current) {
    return current
        ? List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto")
        : List.of("-XX:ArchiveClassesAtExit=" + archive);
  }

  /** Whether these flags record an archive (so the node's stop must wait for it). */
  static boolean records(List<String> jvmArgs) {
    return jvmArgs.stream().anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit="));
  }

  /** Whether an archive last written at {@code written} is newer than every classpath entry's. */
  static boolean current(FileTime written, List<FileTime> classpathTimes) {
    return written != null && classpathTimes.stream().allMatch(t -> t.compareTo(written) < 0);
  }

  /** The classpath with the node's classes directory replaced by its jar. */
  static List<Path> fromJar(List<Path> classpath, Path classes, Path jar) {
    List<Path> out = new ArrayList<>();
    for (Path p : classpath) {
      out.add(p.equals(classes) ? jar : p);
    }
    return out;
  }

  /** Flags for this classpath, after checking the archive on disk (and making its directory). */
  List<String> jvmArgsFor(List<Path> classpath) {
    try {
      Files.createDirectories(archive.getParent());
      FileTime written = Files.exists(archive) ? Files.getLastModifiedTime(archive) : null;
      List<FileTime> times = new ArrayList<>();
      for (Path p : classpath) {
        times.add(Files.getLastModifiedTime(p));
      }
      return jvmArgs(current(written, times));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
