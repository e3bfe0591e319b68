package org.abtest.deploy.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataSharingTest {

  private static final ClassDataSharing CDS = new ClassDataSharing(Path.of("/r/node.jsa"));

  private static FileTime at(long millis) {
    return FileTime.fromMillis(millis);
  }

  @Test
  void aCurrentArchiveIsUsedAndAMissingOneIsRecordedAtExit() {
    assertThat(CDS.jvmArgs(true))
        .containsExactly("-XX:SharedArchiveFile=/r/node.jsa", "-Xshare:auto");
    assertThat(CDS.jvmArgs(false)).containsExactly("-XX:ArchiveClassesAtExit=/r/node.jsa");
    assertThat(ClassDataSharing.records(CDS.jvmArgs(false))).isTrue();
    assertThat(ClassDataSharing.records(CDS.jvmArgs(true))).isFalse();
  }

  @Test
  void anArchiveIsCurrentOnlyWhenNewerThanEveryClasspathEntry() {
    assertThat(ClassDataSharing.current(at(100), List.of(at(10), at(99)))).isTrue();
    assertThat(ClassDataSharing.current(at(100), List.of(at(10), at(100)))).isFalse();
    assertThat(ClassDataSharing.current(at(100), List.of(at(200)))).isFalse();
    assertThat(ClassDataSharing.current(null, List.of(at(1)))).isFalse();
  }

  @Test
  void theNodesClassesDirectoryIsReplacedByItsJarAndNothingElseMoves() {
    Path classes = Path.of("/r/cluster-node/target/classes");
    Path jar = Path.of("/r/cluster-node/target/cluster-node.jar");
    assertThat(ClassDataSharing.fromJar(List.of(classes, Path.of("/m/a.jar")), classes, jar))
        .containsExactly(jar, Path.of("/m/a.jar"));
  }

  @Test
  void aRebuiltJarMakesTheArchiveBeRecordedAgain(@TempDir Path dir) throws Exception {
    Path jar = Files.writeString(dir.resolve("a.jar"), "x");
    ClassDataSharing cds = new ClassDataSharing(dir.resolve("cds/node.jsa"));
    assertThat(cds.jvmArgsFor(List.of(jar))).first().asString().startsWith("-XX:ArchiveClasses");
    Files.writeString(cds.archive(), "archive");
    Files.setLastModifiedTime(jar, at(1_000));
    Files.setLastModifiedTime(cds.archive(), at(2_000));
    assertThat(cds.jvmArgsFor(List.of(jar))).first().asString().startsWith("-XX:SharedArchive");
    Files.setLastModifiedTime(jar, at(3_000));
    assertThat(cds.jvmArgsFor(List.of(jar))).first().asString().startsWith("-XX:ArchiveClasses");
  }
}
