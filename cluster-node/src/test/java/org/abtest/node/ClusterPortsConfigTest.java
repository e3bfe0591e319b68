package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** How the cluster's own ports are set up in production config and in local mode. */
class ClusterPortsConfigTest {

  private static Config load(String resource) {
    ConfigFactory.invalidateCaches();
    return ConfigFactory.load(ConfigFactory.parseResourcesAnySyntax(resource));
  }

  @Test
  void productionRemotingIsMutualTlsWithTheRotatingKeysEngine() {
    Config artery = load("application.conf").getConfig("pekko.remote.artery");
    assertThat(artery.getString("transport")).isEqualTo("tls-tcp");
    assertThat(artery.getString("ssl.ssl-engine-provider"))
        .isEqualTo("org.apache.pekko.remote.artery.tcp.ssl.RotatingKeysSSLEngineProvider");
    Config engine = artery.getConfig("ssl.rotating-keys-engine");
    // the three files of a Kubernetes TLS Secret, under the directory deploy/k8s mounts
    assertThat(engine.getString("key-file"))
        .isEqualTo("/var/run/secrets/abtest/remote-tls/tls.key");
    assertThat(engine.getString("cert-file"))
        .isEqualTo("/var/run/secrets/abtest/remote-tls/tls.crt");
    assertThat(engine.getString("ca-cert-file"))
        .isEqualTo("/var/run/secrets/abtest/remote-tls/ca.crt");
    assertThat(engine.getString("protocol")).isEqualTo("TLSv1.3");
  }

  @Test
  void localModeKeepsPlainTcpOnLoopback() {
    Config artery = load("local.conf").getConfig("pekko.remote.artery");
    assertThat(artery.getString("transport")).isEqualTo("tcp");
    assertThat(artery.getString("canonical.hostname")).isEqualTo("127.0.0.1");
  }

  @Test
  void managementListensOnItsAdvertisedAddressNotOnEveryInterface() {
    Config http = load("application.conf").getConfig("pekko.management.http");
    // Pekko Management binds to hostname when bind-hostname is empty
    assertThat(http.getString("bind-hostname")).isEmpty();
    assertThat(http.getString("hostname")).isEqualTo("127.0.0.1");
  }

  @Test
  void managementOffersNoRouteThatChangesMembership() {
    assertThat(
            load("application.conf").getBoolean("pekko.management.http.route-providers-read-only"))
        .isTrue();
  }
}
