package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;

/** Local runs stay on seed nodes; Kubernetes settings switch the node to Cluster Bootstrap. */
class MainConfigTest {

  private static Config load(String overrides) {
    return NodeConfigs.load(overrides);
  }

  @Test
  void withoutADiscoveryMethodTheNodeDoesNotBootstrap() {
    assertThat(load("").getString("abtest.discovery.method")).isEmpty();
  }

  @Test
  void kubernetesDiscoveryDrivesClusterBootstrap() {
    Config config = load("abtest.discovery.method = kubernetes-api");
    assertThat(
            config.getString(
                "pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"))
        .isEqualTo("kubernetes-api");
    assertThat(
            config.getString(
                "pekko.management.cluster.bootstrap.contact-point-discovery.service-name"))
        .isEqualTo("abtest-node");
    assertThat(config.getString("pekko.discovery.kubernetes-api.pod-label-selector"))
        .isEqualTo("app=%s");
    assertThat(config.getString("pekko.discovery.kubernetes-api.pod-port-name"))
        .isEqualTo("management");
    // the discovery implementation is on the classpath, named the way Pekko Discovery finds it
    assertThat(config.getString("pekko.discovery.kubernetes-api.class"))
        .isEqualTo("org.apache.pekko.discovery.kubernetes.KubernetesApiServiceDiscovery");
  }

  @Test
  void theKubernetesDiscoveryClassLoads() throws Exception {
    assertThat(Class.forName("org.apache.pekko.discovery.kubernetes.KubernetesApiServiceDiscovery"))
        .isNotNull();
  }
}
