package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.openfeature.contrib.providers.ofrep.OfrepProvider;
import dev.openfeature.contrib.providers.ofrep.OfrepProviderOptions;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.abtest.deploy.testing.RealServers;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The node's OFREP endpoints read by OpenFeature's own OFREP providers, each agreeing with {@code
 * POST /v1/assignments} on generated units (0 mismatches) and seeing a kill within a second: the
 * Java provider here, the Node.js server provider and the web provider in headless Chromium in
 * {@code interop/ofrep} ({@code npm ci} once, then {@code node --test} against this node).
 */
@ExtendWith(RealServers.class)
class OfrepProvidersIT {

  /** The flags compared; kill-* are one per provider, each killed by its own test. */
  private static final List<String> FLAGS = List.of("checkout", "search-flag", "us-banner");

  private static final String[] EXPERIMENTS = {
    """
    {"key": "checkout", "name": "checkout", "coverage": 8000,
     "variants": [{"key": "control", "weight": 3000},
                  {"key": "green", "weight": 3000, "config": {"color": "green", "size": 2}},
                  {"key": "blue", "weight": 4000, "config": {"color": "blue"}}]}
    """,
    """
    {"key": "search-flag", "name": "search flag", "coverage": 2500,
     "variants": [{"key": "on", "weight": 10000, "config": {"value": true}}]}
    """,
    """
    {"key": "us-banner", "name": "US banner", "targeting": {"country": "US"},
     "variants": [{"key": "a", "weight": 5000, "config": {"label": "Hi"}},
                  {"key": "b", "weight": 5000, "config": {"label": "Hello"}}]}
    """,
    killable("kill-java"),
    killable("kill-node"),
    killable("kill-web")
  };

  private static final int UNITS = 1000;

  private static TestNode node;
  private static ArrayNode units;

  private static String killable(String key) {
    return """
        {"key": "%s", "name": "%s", "variants": [{"key": "on", "weight": 10000}]}
        """
        .formatted(key, key);
  }

  @BeforeAll
  static void startNodeWithExperimentsAndUnits() throws Exception {
    node = TestNode.start("ofrep_providers_it");
    for (String body : EXPERIMENTS) {
      String key = Json.mapper().readTree(body).get("key").asText();
      assertThat(untilNot503("POST", "/v1/experiments", body).status()).isIn(201, 409);
      assertThat(untilNot503("POST", "/v1/experiments/" + key + "/start", null).status())
          .isEqualTo(200);
    }
    await("manifest with every experiment")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> node.call("GET", "/v1/manifest", TestNode.SDK, null),
            r -> r.status() == 200 && r.body().get("experiments").size() == EXPERIMENTS.length);
    units = Json.mapper().createArrayNode();
    Random random = new Random(20261202);
    for (int i = 0; i < UNITS; i++) {
      ObjectNode attributes = Json.mapper().createObjectNode();
      attributes.put("country", List.of("US", "CA", "FR").get(random.nextInt(3)));
      attributes.put("age", random.nextInt(90));
      attributes.put("plan", random.nextBoolean() ? "free" : "pro");
      String unit = "user-" + random.nextInt(10_000_000);
      ObjectNode request = Json.mapper().createObjectNode().put("unit", unit).put("log", false);
      request.set("attributes", attributes);
      TestNode.Reply reply = node.call("POST", "/v1/assignments", TestNode.SDK, request.toString());
      assertThat(reply.status()).isEqualTo(200);
      ObjectNode u = units.addObject().put("unit", unit);
      u.set("attributes", attributes);
      ObjectNode variants = u.putObject("variants");
      ObjectNode configs = u.putObject("configs");
      for (String flag : FLAGS) {
        variants.putNull(flag);
      }
      for (JsonNode a : reply.body().get("assignments")) {
        String flag = a.get("experiment").asText();
        if (FLAGS.contains(flag)) {
          variants.put(flag, a.get("variant").asText());
          configs.set(flag, a.get("config"));
        }
      }
    }
  }

  @AfterAll
  static void stopNode() throws Exception {
    OpenFeatureAPI.getInstance().shutdown();
    if (node != null) {
      node.close();
    }
  }

  @Test
  void theJavaOfrepProviderGivesEveryUnitTheAssignmentsVariantAndSeesAKillWithinASecond()
      throws Exception {
    OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    api.setProviderAndWait(
        "ofrep-it",
        OfrepProvider.constructProvider(
            OfrepProviderOptions.builder()
                .baseUrl(node.baseUrl())
                .headers(
                    ImmutableMap.of("Authorization", ImmutableList.of("Bearer " + TestNode.SDK)))
                .build()));
    Client client = api.getClient("ofrep-it");
    List<String> mismatches = new ArrayList<>();
    int assigned = 0;
    for (JsonNode u : units) {
      EvaluationContext context = context(u);
      for (String flag : FLAGS) {
        FlagEvaluationDetails<Value> details = client.getObjectDetails(flag, new Value(), context);
        String expected =
            u.at("/variants/" + flag).isNull() ? null : u.at("/variants/" + flag).asText();
        if (!Objects.equals(expected, details.getVariant())) {
          mismatches.add(u.get("unit").asText() + " " + flag + ": " + details.getVariant());
        }
        if (expected != null) {
          assigned++;
          JsonNode config =
              Json.mapper().valueToTree(details.getValue().asStructure().asObjectMap());
          assertThat(config)
              .as("%s %s config", u.get("unit").asText(), flag)
              .isEqualTo(u.at("/configs/" + flag));
        }
      }
      // one value of the config by its path: checkout/color
      JsonNode color = u.at("/configs/checkout/color");
      FlagEvaluationDetails<String> byPath =
          client.getStringDetails("checkout/color", "none", context);
      assertThat(byPath.getValue()).isEqualTo(color.isMissingNode() ? "none" : color.asText());
    }
    System.out.printf(
        "java OFREP provider: %d units × %d flags (%d assigned), %d mismatches%n",
        UNITS, FLAGS.size(), assigned, mismatches.size());
    assertThat(mismatches).isEmpty();
    assertThat(assigned).isBetween(UNITS, 2 * UNITS);

    EvaluationContext watcher = new ImmutableContext("kill-watcher");
    assertThat(client.getObjectDetails("kill-java", new Value(), watcher).getReason())
        .isEqualTo("SPLIT");
    long start = System.nanoTime();
    assertThat(node.call("POST", "/v1/experiments/kill-java/kill", TestNode.ADMIN, null).status())
        .isEqualTo(200);
    FlagEvaluationDetails<Value> after;
    do {
      after = client.getObjectDetails("kill-java", new Value(), watcher);
    } while (after.getErrorCode() != ErrorCode.FLAG_NOT_FOUND
        && System.nanoTime() - start < 5_000_000_000L);
    double millis = (System.nanoTime() - start) / 1e6;
    System.out.printf("java OFREP provider: kill seen after %.0f ms%n", millis);
    assertThat(after.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    assertThat(millis).isLessThan(1000.0);
  }

  @Test
  void theNodeAndWebOfrepProvidersGiveEveryUnitTheAssignmentsVariantAndSeeAKillWithinASecond()
      throws Exception {
    Path interop = Path.of(System.getProperty("abtest.root", "..")).resolve("interop/ofrep");
    Path target = Files.createDirectories(Path.of("target", "ofrep"));
    Path fixture = target.resolve("units.json").toAbsolutePath();
    ObjectNode body = Json.mapper().createObjectNode();
    body.set("flags", Json.mapper().valueToTree(FLAGS));
    body.set("units", units);
    body.putObject("kills").put("node", "kill-node").put("web", "kill-web");
    Files.write(fixture, Json.mapper().writeValueAsBytes(body));

    Path installed = interop.resolve("node_modules/.package-lock.json");
    if (!Files.exists(installed)
        || Files.getLastModifiedTime(installed)
                .compareTo(Files.getLastModifiedTime(interop.resolve("package-lock.json")))
            < 0) {
      run(
          interop,
          target.resolve("npm-ci.log"),
          Map.of(),
          10,
          "npm",
          "ci",
          "--no-audit",
          "--no-fund");
    }
    run(
        interop,
        target.resolve("node-test.log"),
        Map.of(
            "OFREP_BASE_URL",
            node.baseUrl(),
            "OFREP_SDK_KEY",
            TestNode.SDK,
            "OFREP_ADMIN_TOKEN",
            TestNode.ADMIN,
            "OFREP_UNITS",
            fixture.toString()),
        10,
        "node",
        "--test");
  }

  /** Runs a command in {@code dir}; fails with its whole output unless it exits 0. */
  private static void run(
      Path dir, Path log, Map<String, String> env, int minutes, String... command)
      throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().putAll(env);
    Process process = builder.start();
    boolean done = process.waitFor(minutes, TimeUnit.MINUTES);
    if (!done) {
      process.destroyForcibly();
    }
    String output = Files.readString(log);
    System.out.println(String.join(" ", command) + ":\n" + output);
    assertThat(done && process.exitValue() == 0)
        .as(
            "%s exited %s:%n%s",
            String.join(" ", command), done ? process.exitValue() : "(timeout)", output)
        .isTrue();
  }

  private static EvaluationContext context(JsonNode u) {
    JsonNode a = u.get("attributes");
    return new ImmutableContext(
        u.get("unit").asText(),
        Map.of(
            "country", new Value(a.get("country").asText()),
            "age", new Value(a.get("age").asInt()),
            "plan", new Value(a.get("plan").asText())));
  }

  private static TestNode.Reply untilNot503(String method, String path, String body)
      throws Exception {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> node.call(method, path, TestNode.ADMIN, body), r -> r.status() != 503);
  }
}
