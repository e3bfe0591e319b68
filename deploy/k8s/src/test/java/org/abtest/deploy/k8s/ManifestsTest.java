package org.abtest.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every region overlay renders with kustomize, every object is valid Kubernetes, and the deployment
 * keeps the promises docs/operations.md makes about it.
 */
class ManifestsTest {

  static List<Path> overlays() throws Exception {
    return Rendered.overlays();
  }

  @Test
  void thereIsAnOverlayForEveryListedRegionAndNoOther() throws Exception {
    assertThat(overlays()).hasSizeGreaterThanOrEqualTo(2);
    Set<String> names = new HashSet<>();
    for (Path overlay : overlays()) {
      names.add(overlay.getFileName().toString());
    }
    for (Path overlay : overlays()) {
      List<String> listed =
          Arrays.asList(Rendered.of(overlay).environment().get("ABTEST_REGIONS").split(","));
      assertThat(new HashSet<>(listed)).as(overlay + " ABTEST_REGIONS").isEqualTo(names);
    }
  }

  @Test
  void everyRegionListsTheRegionsInTheSameOrder() throws Exception {
    Set<String> lists = new HashSet<>();
    for (Path overlay : overlays()) {
      lists.add(Rendered.of(overlay).environment().get("ABTEST_REGIONS"));
    }
    assertThat(lists).hasSize(1);
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyObjectIsValidKubernetes(Path overlay) throws Exception {
    List<String> problems = new ArrayList<>();
    List<Path> kubectls = new ArrayList<>(List.of(Kubectl.primary()));
    Kubectl.secondary().ifPresent(kubectls::add);
    for (Path kubectl : kubectls) {
      Rendered rendered = Rendered.render(kubectl, overlay);
      assertThat(rendered.objects()).as("objects rendered by " + kubectl).hasSizeGreaterThan(5);
      for (JsonNode object : rendered.objects()) {
        String problem = KubernetesSchema.problem(object);
        if (problem != null) {
          problems.add(Kubectl.version(kubectl) + ": " + problem);
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyObjectLivesInTheRegionsNamespace(Path overlay) throws Exception {
    Rendered r = Rendered.of(overlay);
    for (JsonNode object : r.objects()) {
      assertThat(object.path("metadata").path("namespace").asText())
          .as(object.path("kind") + " " + object.path("metadata").path("name"))
          .isEqualTo("abtest-" + r.region());
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void theRegionSettingsMatchTheOverlaysName(Path overlay) throws Exception {
    Rendered r = Rendered.of(overlay);
    Map<String, String> env = r.environment();
    assertThat(env).containsEntry("ABTEST_REGION", r.region());
    assertThat(env).containsEntry("ABTEST_CASSANDRA_DC", r.region());
    assertThat(env.get("ABTEST_REGIONS").split(",")).contains(r.region());
    assertThat(env).containsEntry("ABTEST_DISCOVERY", "kubernetes-api");
    assertThat(env.values()).noneMatch(v -> v.contains("change-me"));
    assertThat(externalName(r, "cassandra")).contains(r.region()).doesNotContain("change-me");
    assertThat(externalName(r, "kafka")).contains(r.region()).doesNotContain("change-me");
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void theNodeIsProbedOnItsHealthEndpoints(Path overlay) throws Exception {
    JsonNode c = Rendered.of(overlay).container();
    assertThat(c.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/health/ready");
    assertThat(c.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/health/alive");
    assertThat(c.path("readinessProbe").path("httpGet").path("port").asText()).isEqualTo("http");
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyContainerHasRequestsAndLimits(Path overlay) throws Exception {
    for (JsonNode d : Rendered.of(overlay).ofKind("Deployment")) {
      for (JsonNode c : d.path("spec").path("template").path("spec").path("containers")) {
        for (String kind : List.of("requests", "limits")) {
          for (String resource : List.of("cpu", "memory")) {
            assertThat(c.path("resources").path(kind).path(resource).asText())
                .as(c.path("name") + " " + kind + "." + resource)
                .isNotEmpty();
          }
        }
        // memory is not overcommitted: the JVM's heap is sized from the limit
        assertThat(c.path("resources").path("limits").path("memory"))
            .isEqualTo(c.path("resources").path("requests").path("memory"));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void rollingUpdatesNeverTakeAMemberAwayBeforeItsReplacementIsReady(Path overlay)
      throws Exception {
    JsonNode d = Rendered.of(overlay).deployment();
    assertThat(d.path("spec").path("strategy").path("type").asText()).isEqualTo("RollingUpdate");
    assertThat(d.path("spec").path("strategy").path("rollingUpdate").path("maxUnavailable").asInt())
        .isZero();
    assertThat(d.path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(3);
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void theGracePeriodCoversThePreStopPauseAndTheNodesShutdown(Path overlay) throws Exception {
    JsonNode pod = Rendered.of(overlay).deployment().path("spec").path("template").path("spec");
    JsonNode preStop = Rendered.of(overlay).container().path("lifecycle").path("preStop");
    assertThat(preStop.path("exec").path("command").toString()).contains("sleep");
    int pause = Integer.parseInt(preStop.path("exec").path("command").get(1).asText());
    // CoordinatedShutdown: HTTP unbind waits up to 10 s, then leaving and the shard hand-off
    assertThat(pod.path("terminationGracePeriodSeconds").asInt())
        .isGreaterThanOrEqualTo(pause + 30);
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void aDisruptionBudgetCoversTheNodes(Path overlay) throws Exception {
    Rendered r = Rendered.of(overlay);
    List<JsonNode> budgets = r.ofKind("PodDisruptionBudget");
    assertThat(budgets).hasSize(1);
    JsonNode pdb = budgets.get(0);
    assertThat(selects(pdb.path("spec").path("selector").path("matchLabels"), podLabels(r)))
        .isTrue();
    assertThat(pdb.path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void theServicesReachHttpAndManagementOnTheNodes(Path overlay) throws Exception {
    Rendered r = Rendered.of(overlay);
    Map<String, Integer> containerPorts = new HashMap<>();
    for (JsonNode p : r.container().path("ports")) {
      containerPorts.put(p.path("name").asText(), p.path("containerPort").asInt());
    }
    assertThat(containerPorts)
        .containsEntry("http", 8080)
        .containsEntry("management", 8558)
        .containsEntry("remoting", 25520);
    Set<Integer> served = new HashSet<>();
    for (JsonNode s : r.ofKind("Service")) {
      if (s.path("spec").path("type").asText().equals("ExternalName")) {
        continue;
      }
      assertThat(selects(s.path("spec").path("selector"), podLabels(r))).isTrue();
      for (JsonNode p : s.path("spec").path("ports")) {
        served.add(containerPorts.get(p.path("targetPort").asText()));
      }
    }
    assertThat(served).contains(8080, 8558);
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void theNodesServiceAccountMayListPods(Path overlay) throws Exception {
    Rendered r = Rendered.of(overlay);
    String account =
        r.deployment()
            .path("spec")
            .path("template")
            .path("spec")
            .path("serviceAccountName")
            .asText();
    assertThat(r.find("ServiceAccount", account)).isPresent();
    boolean bound = false;
    for (JsonNode binding : r.ofKind("RoleBinding")) {
      boolean forAccount = false;
      for (JsonNode s : binding.path("subjects")) {
        forAccount |= s.path("name").asText().equals(account);
      }
      JsonNode role = r.find("Role", binding.path("roleRef").path("name").asText()).orElse(null);
      if (forAccount && role != null) {
        for (JsonNode rule : role.path("rules")) {
          bound |=
              rule.path("resources").toString().contains("\"pods\"")
                  && rule.path("verbs").toString().contains("\"list\"");
        }
      }
    }
    assertThat(bound).as(account + " may list pods").isTrue();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void theBootstrapCredentialsComeFromASecret(Path overlay) throws Exception {
    Map<String, String> fromSecrets = new HashMap<>();
    for (JsonNode e : Rendered.of(overlay).container().path("env")) {
      JsonNode ref = e.path("valueFrom").path("secretKeyRef");
      if (!ref.isMissingNode()) {
        fromSecrets.put(e.path("name").asText(), ref.path("name").asText());
      }
    }
    assertThat(fromSecrets)
        .containsKeys("ABTEST_BOOTSTRAP_ADMIN_TOKEN_HASH", "ABTEST_UNIT_HASH_KEY");
    // never a literal secret in the repository
    assertThat(Rendered.of(overlay).ofKind("Secret")).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everySettingIsOneTheNodeReads(Path overlay) throws Exception {
    Set<String> known = nodeEnvironmentVariables();
    assertThat(known).contains("ABTEST_REGION", "ABTEST_DISCOVERY", "ABTEST_REGIONS");
    for (String name : Rendered.of(overlay).environment().keySet()) {
      if (name.startsWith("ABTEST_")) {
        assertThat(known).as("the node reads " + name).contains(name);
      }
    }
  }

  /** Every ABTEST_* the node's configuration and Main read. */
  static Set<String> nodeEnvironmentVariables() throws Exception {
    Path node = Path.of("..", "..", "cluster-node", "src", "main");
    Set<String> names = new HashSet<>();
    Pattern conf = Pattern.compile("\\$\\{\\?(ABTEST_[A-Z0-9_]+)}");
    // Java reads them by name: System.getenv("ABTEST_X") or RegionOverrides' env.get("ABTEST_X")
    Pattern java = Pattern.compile("\"(ABTEST_[A-Z0-9_]+)\"");
    try (Stream<Path> files = Files.walk(node)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(f);
        Matcher m = (f.toString().endsWith(".java") ? java : conf).matcher(text);
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  private static String externalName(Rendered r, String service) {
    return r.find("Service", service)
        .orElseThrow(() -> new AssertionError("no Service " + service))
        .path("spec")
        .path("externalName")
        .asText();
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
}
