package org.abtest.deploy.testing;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * What the integration-test supervisor publishes in {@code target/it-servers/state.properties}, for
 * every test JVM of the same Maven build to find and reuse.
 *
 * @param watchedPid the Maven process whose end stops the servers
 * @param error why the start failed; {@code null} when it did not
 */
public record ItState(
    long supervisorPid,
    long watchedPid,
    long cassandraPid,
    long kafkaPid,
    String cassandraHost,
    int cqlPort,
    String datacenter,
    String kafkaBootstrap,
    boolean ready,
    String error) {

  static ItState failed(long supervisorPid, long watchedPid, String error) {
    return new ItState(supervisorPid, watchedPid, -1, -1, "", -1, "", "", false, error);
  }

  String render() {
    Properties p = new Properties();
    p.setProperty("supervisorPid", Long.toString(supervisorPid));
    p.setProperty("watchedPid", Long.toString(watchedPid));
    p.setProperty("cassandraPid", Long.toString(cassandraPid));
    p.setProperty("kafkaPid", Long.toString(kafkaPid));
    p.setProperty("cassandraHost", cassandraHost);
    p.setProperty("cqlPort", Integer.toString(cqlPort));
    p.setProperty("datacenter", datacenter);
    p.setProperty("kafkaBootstrap", kafkaBootstrap);
    p.setProperty("ready", Boolean.toString(ready));
    if (error != null) {
      p.setProperty("error", error);
    }
    StringWriter out = new StringWriter();
    try {
      p.store(
          out,
          "integration-test servers of one Maven build; see org.abtest.deploy.testing.ItServers");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Parses a state file; empty if it is incomplete or garbled (e.g. from an older version). */
  static Optional<ItState> parse(String text) {
    Properties p = new Properties();
    try (Reader in = new StringReader(text)) {
      p.load(in);
      return Optional.of(
          new ItState(
              Long.parseLong(p.getProperty("supervisorPid")),
              Long.parseLong(p.getProperty("watchedPid")),
              Long.parseLong(p.getProperty("cassandraPid", "-1")),
              Long.parseLong(p.getProperty("kafkaPid", "-1")),
              p.getProperty("cassandraHost", ""),
              Integer.parseInt(p.getProperty("cqlPort", "-1")),
              p.getProperty("datacenter", ""),
              p.getProperty("kafkaBootstrap", ""),
              Boolean.parseBoolean(p.getProperty("ready")),
              p.getProperty("error")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static Optional<ItState> read(Path file) {
    try {
      return Files.exists(file)
          ? parse(Files.readString(file, StandardCharsets.UTF_8))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Written to a temporary file and moved, so a reader never sees half a state. */
  void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, render(), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
