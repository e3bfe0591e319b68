package org.abtest.deploy.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CassandraFilesTest {

  private final CassandraConfig single = CassandraConfig.singleNode(Path.of("/data/c one"));

  @Test
  void singleNodeSeedsItselfWithSimpleSnitchAndOurPorts() {
    String yaml = CassandraFiles.renderYaml(single);
    assertThat(yaml)
        .contains("num_tokens: 1\n")
        .contains("- seeds: '127.0.0.1'\n")
        .contains("listen_address: 127.0.0.1\n")
        .contains("native_transport_port: 19042\n")
        .contains("storage_port: 17000\n")
        .contains("ssl_storage_port: 17001\n")
        .contains("endpoint_snitch: SimpleSnitch\n")
        .contains("commitlog_directory: '/data/c one/commitlog'\n")
        .doesNotContain("initial_token");
    assertThat(single.datacenterName()).isEqualTo("datacenter1");
  }

  @Test
  void aDatacenterSwitchesToTheGossipingSnitchWithARackdcFile() {
    CassandraConfig node =
        single
            .withHost("127.0.0.2")
            .withSeeds(List.of("127.0.0.2", "127.0.0.3"))
            .withDatacenter("region-a", "rack1")
            .withInitialToken("-9223372036854775808");
    assertThat(CassandraFiles.renderYaml(node))
        .contains("endpoint_snitch: GossipingPropertyFileSnitch\n")
        .contains("- seeds: '127.0.0.2,127.0.0.3'\n")
        .contains("initial_token: -9223372036854775808\n");
    assertThat(CassandraFiles.renderRackdc(node)).isEqualTo("dc=region-a\nrack=rack1\n");
    assertThat(CassandraServer.systemProperties(node))
        .containsEntry(
            "cassandra-rackdc.properties", "file:///data/c%20one/cassandra-rackdc.properties");
  }

  @Test
  void ringDelayIsShortenedOnlyForASingleNode() {
    assertThat(CassandraServer.systemProperties(single))
        .containsEntry("cassandra.ring_delay_ms", "100");
    CassandraConfig twoNodes = single.withSeeds(List.of("127.0.0.1", "127.0.0.2"));
    assertThat(twoNodes.isSingleNode()).isFalse();
    assertThat(CassandraServer.systemProperties(twoNodes))
        .doesNotContainKey("cassandra.ring_delay_ms");
  }

  @Test
  void movingALoneNodeMovesItsSeedWithIt() {
    assertThat(single.withHost("127.0.0.5").seeds()).containsExactly("127.0.0.5");
    assertThat(single.withHost("127.0.0.5").isSingleNode()).isTrue();
  }

  @Test
  void jvmFlagsIncludeHeapAndTheJdk17ModuleFlags() {
    assertThat(CassandraServer.jvmArgs(single.withHeap("1g")))
        .contains("-Xmx1g", "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED")
        .contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED")
        .contains("--add-opens=java.base/java.io=ALL-UNNAMED");
  }

  @Test
  void logbackSendsInfoToTheFileAndOnlyWarningsToTheConsole() {
    String xml = CassandraFiles.renderLogback(single);
    assertThat(xml)
        .contains("<file>/data/c one/logs/system.log</file>")
        .contains("<level>WARN</level>")
        .contains("<root level=\"INFO\">")
        .contains("%-5level");
  }
}
