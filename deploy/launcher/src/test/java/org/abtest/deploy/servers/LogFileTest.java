package org.abtest.deploy.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileTest {

  @Test
  void aMarkerFromThePreviousRunDoesNotCount(@TempDir Path tmp) throws Exception {
    Path log = tmp.resolve("system.log");
    Files.writeString(log, "old run: Kafka Server started\n");
    long offset = LogFile.sizeOf(log);
    assertThat(LogFile.containsSince(log, offset, "Kafka Server started")).isFalse();
    Files.writeString(log, "new run: Kafka Server started\n", StandardOpenOption.APPEND);
    assertThat(LogFile.containsSince(log, offset, "Kafka Server started")).isTrue();
  }

  @Test
  void tailKeepsTheLastLines(@TempDir Path tmp) throws Exception {
    Path log = tmp.resolve("a.log");
    Files.writeString(log, "1\n2\n3\n4\n");
    assertThat(LogFile.tail(log, 2)).endsWith("\n3\n4");
    assertThat(LogFile.tail(tmp.resolve("none"), 2)).startsWith("(no log at");
  }
}
