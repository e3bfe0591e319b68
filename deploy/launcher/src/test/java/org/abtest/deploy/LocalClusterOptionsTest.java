package org.abtest.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalClusterOptionsTest {

  private final Path root = Path.of("/repo");

  @Test
  void defaultsAvoidTheStandardPorts() {
    LocalClusterOptions o = LocalClusterOptions.parse(List.of("up"), Map.of(), root);
    assertThat(o.dataDir()).isEqualTo(Path.of("/repo/.abtest-data"));
    assertThat(List.of(o.cqlPort(), o.storagePort(), o.sslStoragePort(), o.jmxPort()))
        .containsExactly(19042, 17000, 17001, 17199);
    assertThat(List.of(o.kafkaPort(), o.kafkaControllerPort(), o.httpPort()))
        .containsExactly(19092, 19093, 8080);
    assertThat(o.withNode()).isFalse();
    assertThat(o.cassandra().dataDir()).isEqualTo(Path.of("/repo/.abtest-data/cassandra"));
    assertThat(o.kafka().dataDir()).isEqualTo(Path.of("/repo/.abtest-data/kafka"));
  }

  @Test
  void flagsWinOverEnvironmentWhichWinsOverDefaults() {
    Map<String, String> env =
        Map.of("ABTEST_CQL_PORT", "3333", "ABTEST_KAFKA_PORT", "4444", "ABTEST_HTTP_PORT", "5555");
    LocalClusterOptions fromEnv = LocalClusterOptions.parse(List.of("up"), env, root);
    assertThat(List.of(fromEnv.cqlPort(), fromEnv.kafkaPort(), fromEnv.httpPort()))
        .containsExactly(3333, 4444, 5555);
    LocalClusterOptions flags =
        LocalClusterOptions.parse(
            List.of("up", "--cql-port", "1", "--node", "--data-dir", "/d", "--timeout", "9"),
            env,
            root);
    assertThat(flags.cqlPort()).isEqualTo(1);
    assertThat(flags.withNode()).isTrue();
    assertThat(flags.dataDir()).isEqualTo(Path.of("/d"));
    assertThat(flags.timeout()).isEqualTo(Duration.ofSeconds(9));
    assertThat(flags.nodeHeap()).isEqualTo("1g");
    assertThat(LocalClusterOptions.parse(List.of("up", "--node-heap", "2g"), env, root).nodeHeap())
        .isEqualTo("2g");
  }

  @Test
  void classDataSharingIsOffUnlessAskedForAndNeedsTheNode() {
    assertThat(LocalClusterOptions.parse(List.of("up", "--node"), Map.of(), root).cds()).isFalse();
    assertThat(LocalClusterOptions.parse(List.of("up", "--node", "--cds"), Map.of(), root).cds())
        .isTrue();
    assertThatThrownBy(() -> LocalClusterOptions.parse(List.of("up", "--cds"), Map.of(), root))
        .hasMessage("--cds needs --node");
  }

  @Test
  void mistakesAreReportedByName() {
    assertThatThrownBy(() -> LocalClusterOptions.parse(List.of(), Map.of(), root))
        .hasMessage("missing command");
    assertThatThrownBy(() -> LocalClusterOptions.parse(List.of("down"), Map.of(), root))
        .hasMessage("unknown command 'down'");
    assertThatThrownBy(() -> LocalClusterOptions.parse(List.of("up", "--cql-port"), Map.of(), root))
        .hasMessage("--cql-port needs a value");
    assertThatThrownBy(
            () -> LocalClusterOptions.parse(List.of("up", "--kafka-port", "70000"), Map.of(), root))
        .hasMessageContaining("70000 is not a port number");
    assertThatThrownBy(
            () -> LocalClusterOptions.parse(List.of("up"), Map.of("ABTEST_HTTP_PORT", "x"), root))
        .hasMessageContaining("ABTEST_HTTP_PORT: 'x' is not a number");
  }

  @Test
  void demoComesWithTheNodeOnly() {
    assertThat(LocalClusterOptions.parse(List.of("up", "--node", "--demo"), Map.of(), root).demo())
        .isTrue();
    assertThat(LocalClusterOptions.parse(List.of("up", "--node"), Map.of(), root).demo()).isFalse();
    assertThatThrownBy(() -> LocalClusterOptions.parse(List.of("up", "--demo"), Map.of(), root))
        .hasMessageContaining("--demo needs --node");
  }
}
