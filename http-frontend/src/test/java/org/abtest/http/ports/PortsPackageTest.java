package org.abtest.http.ports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The ports speak the domain: nothing in them reaches back into the HTTP side that uses them. */
class PortsPackageTest {

  private static final Path PORTS = Path.of("src/main/java/org/abtest/http/ports");

  @Test
  void portsImportNothingOfTheHttpFrontendButEachOther() throws IOException {
    List<String> imports;
    try (Stream<Path> files = Files.list(PORTS)) {
      imports =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .flatMap(PortsPackageTest::lines)
              .filter(l -> l.contains("org.abtest.http.") || l.contains("org.apache.pekko.http"))
              .filter(l -> !l.startsWith("package ") && !l.contains("org.abtest.http.ports."))
              .toList();
    }
    assertThat(imports).isEmpty();
  }

  private static Stream<String> lines(Path file) {
    try {
      return Files.readAllLines(file).stream();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
