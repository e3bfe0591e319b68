package org.abtest.deploy.servers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files a Cassandra node is started with, rendered from its {@link CassandraConfig}. They are
 * rewritten on every start so that a changed port or heap takes effect on a kept data directory.
 */
final class CassandraFiles {

  private CassandraFiles() {}

  static Path yaml(CassandraConfig c) {
    return c.dataDir().resolve("cassandra.yaml");
  }

  static Path logback(CassandraConfig c) {
    return c.dataDir().resolve("logback.xml");
  }

  static Path rackdc(CassandraConfig c) {
    return c.dataDir().resolve("cassandra-rackdc.properties");
  }

  static void write(CassandraConfig c) throws IOException {
    Files.createDirectories(c.logDir());
    Files.writeString(yaml(c), renderYaml(c), StandardCharsets.UTF_8);
    Files.writeString(logback(c), renderLogback(c), StandardCharsets.UTF_8);
    if (c.datacenter() != null) {
      Files.writeString(rackdc(c), renderRackdc(c), StandardCharsets.UTF_8);
    }
  }

  /** Only what differs from Cassandra's defaults or what a dev node on loopback needs. */
  static String renderYaml(CassandraConfig c) {
    StringBuilder y = new StringBuilder();
    y.append("cluster_name: ").append(quoted(c.clusterName())).append('\n');
    // one token per node: fast start, and multi-DC tests set the tokens themselves
    y.append("num_tokens: 1\n");
    if (c.initialToken() != null) {
      y.append("initial_token: ").append(c.initialToken()).append('\n');
    }
    y.append("partitioner: org.apache.cassandra.dht.Murmur3Partitioner\n");
    y.append("data_file_directories:\n  - ").append(dir(c, "data")).append('\n');
    y.append("commitlog_directory: ").append(dir(c, "commitlog")).append('\n');
    y.append("saved_caches_directory: ").append(dir(c, "saved_caches")).append('\n');
    y.append("hints_directory: ").append(dir(c, "hints")).append('\n');
    y.append("cdc_raw_directory: ").append(dir(c, "cdc_raw")).append('\n');
    y.append("commitlog_sync: periodic\n");
    y.append("commitlog_sync_period: 10000ms\n");
    y.append("seed_provider:\n");
    y.append("  - class_name: org.apache.cassandra.locator.SimpleSeedProvider\n");
    y.append("    parameters:\n");
    y.append("      - seeds: ").append(quoted(String.join(",", c.seeds()))).append('\n');
    y.append("listen_address: ").append(c.host()).append('\n');
    y.append("rpc_address: ").append(c.host()).append('\n');
    y.append("storage_port: ").append(c.storagePort()).append('\n');
    y.append("ssl_storage_port: ").append(c.sslStoragePort()).append('\n');
    y.append("start_native_transport: true\n");
    y.append("native_transport_port: ").append(c.cqlPort()).append('\n');
    y.append("endpoint_snitch: ")
        .append(c.datacenter() == null ? "SimpleSnitch" : "GossipingPropertyFileSnitch")
        .append('\n');
    y.append("authenticator: AllowAllAuthenticator\n");
    y.append("authorizer: AllowAllAuthorizer\n");
    // tests drop and truncate tables all the time; a snapshot each time only costs disk and time
    y.append("auto_snapshot: false\n");
    return y.toString();
  }

  /** INFO to a rolling file, WARN and above to the console (the JVM's redirected stdout). */
  static String renderLogback(CassandraConfig c) {
    String file = c.systemLog().toString();
    return """
        <configuration scan="false">
          <appender name="FILE" class="ch.qos.logback.core.rolling.RollingFileAppender">
            <file>%1$s</file>
            <rollingPolicy class="ch.qos.logback.core.rolling.FixedWindowRollingPolicy">
              <fileNamePattern>%1$s.%%i</fileNamePattern>
              <minIndex>1</minIndex>
              <maxIndex>3</maxIndex>
            </rollingPolicy>
            <triggeringPolicy class="ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy">
              <maxFileSize>20MB</maxFileSize>
            </triggeringPolicy>
            <encoder>
              <pattern>%%-5level [%%thread] %%date{ISO8601} %%logger{0} - %%msg%%n</pattern>
            </encoder>
          </appender>
          <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
            <filter class="ch.qos.logback.classic.filter.ThresholdFilter">
              <level>WARN</level>
            </filter>
            <encoder>
              <pattern>%%-5level %%date{ISO8601} %%logger{0} - %%msg%%n</pattern>
            </encoder>
          </appender>
          <root level="INFO">
            <appender-ref ref="FILE"/>
            <appender-ref ref="CONSOLE"/>
          </root>
        </configuration>
        """
        .formatted(xmlEscaped(file));
  }

  static String renderRackdc(CassandraConfig c) {
    return "dc=" + c.datacenter() + "\nrack=" + c.rack() + "\n";
  }

  private static String dir(CassandraConfig c, String name) {
    return quoted(c.dataDir().resolve(name).toString());
  }

  /** Single-quoted YAML scalar: safe for paths with spaces or colons. */
  static String quoted(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static String xmlEscaped(String value) {
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
