package org.abtest.deploy.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaConfigTest {

  @Test
  void combinedBrokerAndControllerOnTheConfiguredPorts() throws Exception {
    KafkaConfig config =
        KafkaConfig.singleNode(Path.of("/data/k #1")).withPorts(29092, 29093).withNodeId(3);
    Properties p = new Properties();
    p.load(new StringReader(config.renderProperties()));
    assertThat(p)
        .containsEntry("process.roles", "broker,controller")
        .containsEntry("node.id", "3")
        .containsEntry("controller.quorum.voters", "3@127.0.0.1:29093")
        .containsEntry("listeners", "PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093")
        .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:29092")
        .containsEntry("log.dirs", "/data/k #1/data")
        .containsEntry("num.partitions", "8")
        .containsEntry("auto.create.topics.enable", "true")
        .containsEntry("offsets.topic.replication.factor", "1")
        .containsEntry("transaction.state.log.min.isr", "1")
        .containsEntry("share.coordinator.state.topic.replication.factor", "1")
        .containsEntry("group.initial.rebalance.delay.ms", "0");
    assertThat(config.bootstrap()).isEqualTo("127.0.0.1:29092");
  }

  @Test
  void clusterIdsHaveTheFormKafkaExpects() {
    for (int i = 0; i < 200; i++) {
      String id = KafkaServer.newClusterId();
      assertThat(id).hasSize(22).matches("[A-Za-z0-9_][A-Za-z0-9_-]{21}");
    }
  }
}
