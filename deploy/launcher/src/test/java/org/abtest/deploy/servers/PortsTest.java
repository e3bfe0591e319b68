package org.abtest.deploy.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortsTest {

  @Test
  void aListeningPortIsReportedWithTheServerAndItsRole() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertThat(Ports.isFree("127.0.0.1", port)).isFalse();
      assertThatThrownBy(() -> Ports.requireFree("Kafka", "127.0.0.1", Ports.named("broker", port)))
          .isInstanceOf(Ports.PortInUseException.class)
          .hasMessageContaining("Cannot start Kafka")
          .hasMessageContaining("broker port 127.0.0.1:" + port + " is already in use");
    }
  }

  @Test
  void aClosedPortIsFree() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    assertThat(Ports.isFree("127.0.0.1", port)).isTrue();
    Ports.requireFree("Cassandra", "127.0.0.1", Ports.named("CQL", port));
  }

  @Test
  void probesSayNoWhenNothingListens() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    assertThat(Probes.acceptsTcp("127.0.0.1", port)).isFalse();
    assertThat(Probes.cqlAnswers("127.0.0.1", port)).isFalse();
    assertThat(Probes.kafkaAnswers("127.0.0.1", port)).isFalse();
  }
}
