package org.abtest.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What production nodes are given, as rendered for every region: no unrevocable credentials, the
 * TLS Secret mounted where Artery reads it, and the cluster ports bound to the pod's own address.
 */
class ClusterEdgeTest {

  static java.util.List<Path> overlays() throws Exception {
    return Rendered.overlays();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void productionNodesGetNoBootstrapCredentialsOnlyTheFirstAdminsHash(Path overlay)
      throws Exception {
    Rendered r = Rendered.of(overlay);
    assertThat(r.environment()).doesNotContainKeys("ABTEST_ADMIN_TOKEN", "ABTEST_SDK_KEY");
    JsonNode hash = env(r, "ABTEST_BOOTSTRAP_ADMIN_TOKEN_HASH").orElseThrow();
    assertThat(hash.path("valueFrom").path("secretKeyRef").path("name").asText())
        .isEqualTo("abtest-bootstrap");
    // the key may be dropped from the Secret once the first token is stored
    assertThat(hash.path("valueFrom").path("secretKeyRef").path("optional").asBoolean()).isTrue();
    for (JsonNode map : r.ofKind("ConfigMap")) {
      assertThat(map.path("data").toString())
          .doesNotContain("ABTEST_ADMIN_TOKEN")
          .doesNotContain("ABTEST_SDK_KEY");
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void arteryRunsOverTlsWithTheMountedSecret(Path overlay) throws Exception {
    Rendered r = Rendered.of(overlay);
    assertThat(r.environment()).containsEntry("ABTEST_REMOTE_TRANSPORT", "tls-tcp");
    String dir = env(r, "ABTEST_REMOTE_TLS_DIR").orElseThrow().path("value").asText();
    JsonNode pod = r.deployment().path("spec").path("template").path("spec");
    JsonNode mount = null;
    for (JsonNode m : r.container().path("volumeMounts")) {
      if (m.path("mountPath").asText().equals(dir)) {
        mount = m;
      }
    }
    assertThat(mount).as("a volume mounted at " + dir).isNotNull();
    assertThat(mount.path("readOnly").asBoolean()).isTrue();
    String volume = mount.path("name").asText();
    JsonNode secret = null;
    for (JsonNode v : pod.path("volumes")) {
      if (v.path("name").asText().equals(volume)) {
        secret = v.path("secret");
      }
    }
    assertThat(secret).as("volume " + volume).isNotNull();
    assertThat(secret.path("secretName").asText()).isEqualTo("abtest-remote-tls");
    // readable by the node's user and group only, never by others
    assertThat(secret.path("defaultMode").asInt() & 0007).isZero();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void managementAndRemotingBindToThePodAddress(Path overlay) throws Exception {
    Rendered r = Rendered.of(overlay);
    for (String name : new String[] {"ABTEST_MANAGEMENT_HOST", "ABTEST_REMOTE_HOST"}) {
      JsonNode e = env(r, name).orElseThrow(() -> new AssertionError("no " + name));
      assertThat(e.path("valueFrom").path("fieldRef").path("fieldPath").asText())
          .as(name)
          .isEqualTo("status.podIP");
    }
    // no separate bind address: Pekko Management then binds to its hostname, the pod IP
    assertThat(r.environment()).doesNotContainKey("ABTEST_MANAGEMENT_BIND_HOST");
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void productionNodesNeverRunInLocalMode(Path overlay) throws Exception {
    Rendered r = Rendered.of(overlay);
    // local.conf would admit the unrevocable dev credentials and drop TLS between the nodes
    assertThat(r.environment().values()).noneMatch(v -> v.contains("local.conf"));
    assertThat(r.container().path("command").toString()).doesNotContain("local.conf");
    assertThat(r.container().path("args").toString()).doesNotContain("local.conf");
  }

  private static Optional<JsonNode> env(Rendered r, String name) {
    for (JsonNode e : r.container().path("env")) {
      if (e.path("name").asText().equals(name)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
