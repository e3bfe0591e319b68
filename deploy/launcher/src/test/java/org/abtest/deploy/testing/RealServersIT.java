package org.abtest.deploy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.abtest.deploy.servers.Probes;
import org.abtest.deploy.servers.ProjectRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealServers.class)
class RealServersIT {

  @Test
  void cassandraAnswersCqlOnTheSharedPort() {
    RealServers.Endpoints e = RealServers.endpoints();
    assertThat(e.datacenter()).isEqualTo("datacenter1");
    assertThat(Probes.acceptsTcp(e.cassandraHost(), e.cassandraPort())).isTrue();
    assertThat(Probes.cqlAnswers(e.cassandraHost(), e.cassandraPort()))
        .as("OPTIONS answered with SUPPORTED")
        .isTrue();
  }

  @Test
  void kafkaAnswersApiVersions() {
    String[] hostPort = RealServers.endpoints().kafkaBootstrap().split(":");
    int port = Integer.parseInt(hostPort[1]);
    assertThat(Probes.acceptsTcp(hostPort[0], port)).isTrue();
    assertThat(Probes.kafkaAnswers(hostPort[0], port)).as("ApiVersions error code 0").isTrue();
  }

  @Test
  void aSecondCallReusesTheSameServers() {
    assertThat(RealServers.endpoints()).isSameAs(RealServers.endpoints());
    assertThat(ItServersClient.acquire(ProjectRoot.find()).cqlPort())
        .isEqualTo(RealServers.endpoints().cassandraPort());
  }
}
