package org.abtest.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The NetworkPolicies of every region, as rendered: all traffic denied unless a policy admits it;
 * the cluster ports (Artery, Pekko Management) only from the nodes themselves; HTTP only from the
 * named ingress controller and scraper; egress only to DNS, the API, Cassandra, Kafka and peers.
 */
class NetworkPoliciesTest {

  private static final Set<Integer> CLUSTER_PORTS = Set.of(25520, 8558);
  private static final Set<Integer> EGRESS_PORTS = Set.of(53, 443, 6443, 9042, 9092, 25520, 8558);

  static List<Path> overlays() throws Exception {
    return Rendered.overlays();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everythingInTheNamespaceIsDeniedBothWaysUnlessAPolicyAdmitsIt(Path overlay)
      throws Exception {
    List<JsonNode> denyAll =
        Rendered.of(overlay).ofKind("NetworkPolicy").stream()
            .filter(p -> p.path("spec").path("podSelector").isEmpty())
            .filter(p -> !p.path("spec").has("ingress") && !p.path("spec").has("egress"))
            .toList();
    assertThat(denyAll).hasSize(1);
    assertThat(strings(denyAll.get(0).path("spec").path("policyTypes")))
        .containsExactlyInAnyOrder("Ingress", "Egress");
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyPortOfTheNodeIsAdmittedByAPolicyThatSelectsIt(Path overlay) throws Exception {
    Rendered r = Rendered.of(overlay);
    Set<Integer> admitted = new HashSet<>();
    for (JsonNode rule : rules(r, "ingress")) {
      admitted.addAll(ports(r, rule));
    }
    for (JsonNode port : r.container().path("ports")) {
      assertThat(admitted)
          .as(port.path("name").asText())
          .contains(port.path("containerPort").asInt());
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void theClusterPortsAdmitOnlyTheNodesThemselves(Path overlay) throws Exception {
    Rendered r = Rendered.of(overlay);
    for (JsonNode rule : rules(r, "ingress")) {
      List<Integer> ports = ports(r, rule);
      // a rule without ports admits every port, the cluster ports included
      if (rule.path("ports").isEmpty() || ports.stream().anyMatch(CLUSTER_PORTS::contains)) {
        assertThat(rule.path("from"))
            .as("a rule to the cluster ports names its sources")
            .isNotEmpty();
        for (JsonNode peer : rule.path("from")) {
          assertThat(peer.has("namespaceSelector") || peer.has("ipBlock"))
              .as("cluster ports from " + peer)
              .isFalse();
          assertThat(selects(peer.path("podSelector").path("matchLabels"), podLabels(r)))
              .as("cluster ports from " + peer)
              .isTrue();
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void theHttpPortAdmitsOnlyNamedPodsOfNamedNamespaces(Path overlay) throws Exception {
    Rendered r = Rendered.of(overlay);
    boolean covered = false;
    for (JsonNode rule : rules(r, "ingress")) {
      if (!ports(r, rule).contains(8080)) {
        continue;
      }
      covered = true;
      assertThat(rule.path("from")).isNotEmpty();
      for (JsonNode peer : rule.path("from")) {
        if (selects(peer.path("podSelector").path("matchLabels"), podLabels(r))) {
          continue; // a peer node, on a rule that names the cluster ports too
        }
        assertThat(peer.has("ipBlock")).as("HTTP from " + peer).isFalse();
        assertThat(peer.path("namespaceSelector").path("matchLabels"))
            .as("HTTP from " + peer)
            .isNotEmpty();
        assertThat(peer.path("podSelector").path("matchLabels"))
            .as("HTTP from " + peer)
            .isNotEmpty();
        assertThat(peer.toString()).doesNotContain("change-me");
      }
    }
    assertThat(covered).isTrue();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void egressGoesOnlyToDnsTheApiCassandraKafkaAndPeers(Path overlay) throws Exception {
    Rendered r = Rendered.of(overlay);
    Set<Integer> reached = new HashSet<>();
    for (JsonNode rule : rules(r, "egress")) {
      assertThat(rule.path("ports")).as("an egress rule names its ports: " + rule).isNotEmpty();
      assertThat(rule.path("to")).as("an egress rule names its peers: " + rule).isNotEmpty();
      for (JsonNode peer : rule.path("to")) {
        String cidr = peer.path("ipBlock").path("cidr").asText("");
        assertThat(cidr).doesNotContain("change-me").isNotEqualTo("0.0.0.0/0");
      }
      reached.addAll(ports(r, rule));
    }
    assertThat(EGRESS_PORTS).containsAll(reached);
    assertThat(reached).contains(53, 9042, 9092, 25520, 8558);
  }

  /** The ingress or egress rules of every policy that selects the node's pods. */
  private static List<JsonNode> rules(Rendered r, String direction) {
    List<JsonNode> rules = new ArrayList<>();
    for (JsonNode policy : r.ofKind("NetworkPolicy")) {
      JsonNode selector = policy.path("spec").path("podSelector").path("matchLabels");
      if (selector.isEmpty() || selects(selector, podLabels(r))) {
        policy.path("spec").path(direction).forEach(rules::add);
      }
    }
    return rules;
  }

  /** A rule's ports as numbers: named ports are looked up on the node's container. */
  private static List<Integer> ports(Rendered r, JsonNode rule) {
    List<Integer> out = new ArrayList<>();
    for (JsonNode p : rule.path("ports")) {
      JsonNode port = p.path("port");
      if (port.isInt()) {
        out.add(port.asInt());
      } else {
        for (JsonNode c : r.container().path("ports")) {
          if (c.path("name").asText().equals(port.asText())) {
            out.add(c.path("containerPort").asInt());
          }
        }
      }
    }
    return out;
  }

  private static JsonNode podLabels(Rendered r) {
    return r.deployment().path("spec").path("template").path("metadata").path("labels");
  }

  private static boolean selects(JsonNode selector, JsonNode labels) {
    if (selector.isEmpty()) {
      return false;
    }
    for (var e : selector.properties()) {
      if (!labels.path(e.getKey()).asText().equals(e.getValue().asText())) {
        return false;
      }
    }
    return true;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
