package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.abtest.deploy.testing.RealServers;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The experiment admin API on a real node against the real Cassandra: layers, holdout, lifecycle,
 * PATCH, history and credentials; then a restart that keeps every experiment, credential and the
 * manifest version.
 */
@ExtendWith(RealServers.class)
class ExperimentsIT {

  private static final String LAYERED =
      """
      {"key": "%s", "layer": "checkout", "layerSlots": [%d, %d], "holdout": true,
       "targeting": {"country": {"$in": ["US", "CA"]}},
       "variants": [{"key": "control", "weight": 5000},
                    {"key": "green", "weight": 5000, "config": {"color": "green"}}],
       "overrides": {"qa-1": "green"}}
      """;

  @Test
  void adminLifecycleOnRealCassandraSurvivesARestart() throws Exception {
    String viewerToken;
    String sdkKey;
    long manifestVersion;
    try (TestNode node = TestNode.start("experiments_it")) {
      // The first write on a fresh keyspace creates the journal's tables (~12 s): retry past 503s.
      var layerCreated =
          eventually(
              () -> node.call("POST", "/v1/layers", TestNode.ADMIN, "{\"key\": \"checkout\"}"),
              r -> r.status() != 503);
      assertThat(layerCreated.status()).isEqualTo(201);
      assertThat(
              node.call("POST", "/v1/experiments", TestNode.ADMIN, LAYERED.formatted("a", 0, 5000))
                  .status())
          .isEqualTo(201);
      var overlap =
          node.call("POST", "/v1/experiments", TestNode.ADMIN, LAYERED.formatted("b", 4000, 6000));
      assertThat(overlap.status()).isEqualTo(409);
      assertThat(overlap.body().at("/error/code").asText()).isEqualTo("overlapping_slots");
      assertThat(node.call("GET", "/v1/experiments/b", TestNode.ADMIN, null).status())
          .isEqualTo(404);
      assertThat(
              node.call(
                      "POST", "/v1/experiments", TestNode.ADMIN, LAYERED.formatted("b", 5000, 6000))
                  .status())
          .isEqualTo(201);
      var layer = node.call("GET", "/v1/layers/checkout", TestNode.ADMIN, null);
      assertThat(layer.body().get("used")).hasSize(2);
      assertThat(layer.body().at("/free/0/0").asInt()).isEqualTo(6000);

      assertThat(node.call("PUT", "/v1/holdout", TestNode.ADMIN, "{\"range\": [0, 300]}").status())
          .isEqualTo(200);
      assertThat(node.call("POST", "/v1/experiments/a/start", TestNode.ADMIN, null).status())
          .isEqualTo(200);
      assertThat(node.call("POST", "/v1/experiments/b/start", TestNode.ADMIN, null).status())
          .isEqualTo(200);
      var killed = node.call("POST", "/v1/experiments/b/kill", TestNode.ADMIN, null);
      assertThat(killed.body().get("status").asText()).isEqualTo("KILLED");

      var history =
          eventually(
              () -> node.call("GET", "/v1/experiments/b/history", TestNode.ADMIN, null),
              r -> r.status() == 200 && r.body().get("history").size() == 3);
      assertThat(history.body().at("/history/2/action").asText()).isEqualTo("kill");
      assertThat(history.body().at("/history/2/actorId").asText()).isEqualTo("dev-admin");
      assertThat(history.body().at("/history/0/region").asText()).isEqualTo("local");
      assertThat(history.body().at("/history/2/changes/0/field").asText()).isEqualTo("status");
      assertThat(history.body().at("/history/2/changes/0/from").asText()).isEqualTo("RUNNING");
      assertThat(history.body().at("/history/2/changes/0/to").asText()).isEqualTo("KILLED");

      var issued =
          node.call(
              "POST", "/v1/tokens", TestNode.ADMIN, "{\"role\": \"viewer\", \"name\": \"it\"}");
      assertThat(issued.status()).isEqualTo(201);
      viewerToken = issued.body().get("token").asText();
      var issuedKey =
          node.call("POST", "/v1/sdk-keys", TestNode.ADMIN, "{\"environment\": \"staging\"}");
      sdkKey = issuedKey.body().get("key").asText();
      var revokable =
          node.call(
              "POST", "/v1/tokens", TestNode.ADMIN, "{\"role\": \"admin\", \"name\": \"gone\"}");
      assertThat(node.call("GET", "/v1/experiments/a", viewerToken, null).status()).isEqualTo(200);
      assertThat(
              node.call(
                      "DELETE",
                      "/v1/tokens/" + revokable.body().get("id").asText(),
                      TestNode.ADMIN,
                      null)
                  .status())
          .isEqualTo(204);
      assertThat(
              node.call("GET", "/v1/experiments/a", revokable.body().get("token").asText(), null)
                  .status())
          .isEqualTo(401);

      var patched = patch(node, "a", 2, "{\"coverage\": 6000}");
      assertThat(patched.status()).isEqualTo(200);
      assertThat(patch(node, "a", 2, "{\"coverage\": 7000}").status()).isEqualTo(409);

      // The kill frees b's layer range in the background (SlotReleaser), and the release moves
      // the manifest on once more: the version compared after the restart is the one after it.
      eventually(
          () -> node.call("GET", "/v1/layers/checkout", TestNode.ADMIN, null),
          r -> r.status() == 200 && r.body().get("used").size() == 1);
      var manifest =
          eventually(
              () -> node.manifests().current(),
              m ->
                  m != null
                      && m.holdout() != null
                      && m.experiments().size() == 1
                      && m.experiments().get(0).coverage() == 6000);
      assertThat(manifest.experiments()).extracting(ManifestExperiment::key).containsExactly("a");
      assertThat(manifest.layerSalts()).containsKeys("checkout", "global");
      shipTheWinner(node);
      manifestVersion = settledVersion(node, node.manifests().current().version());
      // A deliberate pause, nothing to poll: the projection stores the manifest before the node
      // goes away.
      Thread.sleep(1500);
    }

    try (TestNode restarted = TestNode.start("experiments_it")) {
      var a = restarted.call("GET", "/v1/experiments/a", viewerToken, null);
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.body().get("status").asText()).isEqualTo("RUNNING");
      assertThat(a.body().get("coverage").asInt()).isEqualTo(6000);
      // the audit trail, read again from the journal, has the PATCH's old and new value
      var aHistory = restarted.call("GET", "/v1/experiments/a/history", viewerToken, null).body();
      var coverageChange = aHistory.at("/history/2");
      assertThat(coverageChange.get("event").asText()).isEqualTo("ExperimentChanged");
      assertThat(coverageChange.at("/changes/0/field").asText()).isEqualTo("coverage");
      assertThat(coverageChange.at("/changes/0/from").asInt()).isEqualTo(10000);
      assertThat(coverageChange.at("/changes/0/to").asInt()).isEqualTo(6000);
      assertThat(
              restarted
                  .call("GET", "/v1/experiments/b", TestNode.ADMIN, null)
                  .body()
                  .get("status")
                  .asText())
          .isEqualTo("KILLED");
      assertThat(restarted.call("GET", "/v1/assignments?unit=u1&log=false", sdkKey, null).status())
          .isEqualTo(200);
      var manifest = eventually(() -> restarted.manifests().current(), m -> m != null);
      assertThat(manifest.version()).isEqualTo(manifestVersion);
      assertThat(manifest.experiments()).extracting(ManifestExperiment::key).containsExactly("a");
      Map<String, String> rampedBefore = startRamp(restarted);
      // the shipped winner is still served after the restart, until a kill takes it back
      assertThat(shippedTo(restarted, "US")).isEqualTo(UNITS);
      var unshipped = restarted.call("POST", "/v1/experiments/d/kill", TestNode.ADMIN, null);
      assertThat(unshipped.status()).isEqualTo(200);
      assertThat(unshipped.body().has("shipped")).isFalse();
      eventually(() -> restarted.manifests().current(), m -> m.shipped().isEmpty());
      assertThat(shippedTo(restarted, "US")).isZero();
      var listed =
          eventually(
              () -> restarted.call("GET", "/v1/experiments?status=KILLED", TestNode.ADMIN, null),
              r -> r.status() == 200 && r.body().size() == 2);
      assertThat(listed.body().findValuesAsText("key")).contains("b", "d");

      assertThat(restarted.call("DELETE", "/v1/holdout", TestNode.ADMIN, null).status())
          .isEqualTo(204);
      assertThat(restarted.call("GET", "/v1/holdout", TestNode.ADMIN, null).status())
          .isEqualTo(404);
      eventually(() -> restarted.manifests().current(), m -> m != null && m.holdout() == null);
      assertThat(restarted.call("DELETE", "/v1/holdout", TestNode.ADMIN, null).status())
          .isEqualTo(204);

      // a layered draft is deleted: 404 from then on, its slots go back, its history stays
      assertThat(
              restarted
                  .call(
                      "POST", "/v1/experiments", TestNode.ADMIN, LAYERED.formatted("c", 7000, 8000))
                  .status())
          .isEqualTo(201);
      assertThat(restarted.call("DELETE", "/v1/experiments/a", TestNode.ADMIN, null).status())
          .as("a running experiment is not deleted")
          .isEqualTo(409);
      assertThat(restarted.call("DELETE", "/v1/experiments/c", TestNode.ADMIN, null).status())
          .isEqualTo(204);
      assertThat(restarted.call("GET", "/v1/experiments/c", TestNode.ADMIN, null).status())
          .isEqualTo(404);
      var again =
          restarted.call(
              "POST", "/v1/experiments", TestNode.ADMIN, LAYERED.formatted("c", 7000, 8000));
      assertThat(again.status()).isEqualTo(409);
      eventually(
          () -> restarted.call("GET", "/v1/layers/checkout", TestNode.ADMIN, null),
          r -> r.status() == 200 && r.body().get("used").size() == 1);
      var cHistory = restarted.call("GET", "/v1/experiments/c/history", TestNode.ADMIN, null);
      assertThat(cHistory.status()).isEqualTo(200);
      assertThat(cHistory.body().at("/history/1/action").asText()).isEqualTo("delete");

      // an ended experiment is archived: out of the default list, in ?archived=true
      assertThat(
              restarted.call("POST", "/v1/experiments/a/conclude", TestNode.ADMIN, null).status())
          .isEqualTo(200);
      var archived = restarted.call("POST", "/v1/experiments/a/archive", TestNode.ADMIN, null);
      assertThat(archived.status()).isEqualTo(200);
      assertThat(archived.body().get("archived").asBoolean()).isTrue();
      eventually(
          () -> restarted.call("GET", "/v1/experiments?archived=true", TestNode.ADMIN, null),
          r ->
              r.status() == 200
                  && r.body().size() == 1
                  && r.body().at("/0/key").asText().equals("a"));
      var current = restarted.call("GET", "/v1/experiments", TestNode.ADMIN, null).body();
      assertThat(current.findValuesAsText("key")).doesNotContain("a", "c");

      rampCompletes(restarted, rampedBefore);
    }
  }

  private static final String RAMPED =
      """
      {"key": "r", "coverage": 100,
       "rampPlan": {"steps": [{"coverage": 100, "minutes": 1}, {"coverage": 10000, "minutes": 0}]},
       "variants": [{"key": "control", "weight": 5000}, {"key": "green", "weight": 5000}]}
      """;

  /** Starts r at its ramp's first step (1 %); the units in it then, by variant. */
  private static Map<String, String> startRamp(TestNode node) throws Exception {
    assertThat(node.call("POST", "/v1/experiments", TestNode.ADMIN, RAMPED).status())
        .isEqualTo(201);
    assertThat(node.call("POST", "/v1/experiments/r/start", TestNode.ADMIN, null).status())
        .isEqualTo(200);
    eventually(
        () -> node.manifests().current(),
        m -> m != null && m.experiments().stream().anyMatch(e -> e.key().equals("r")));
    Map<String, String> in = rampUnits(node);
    assertThat(in.size()).as("1 %% of 3000 units").isBetween(10, 80);
    return in;
  }

  /**
   * About a minute after the start the system widens r to 100 %: recorded as system/ramp with the
   * old and new coverage, and every unit that was in it keeps its variant.
   */
  private static void rampCompletes(TestNode node, Map<String, String> before) throws Exception {
    var widened =
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> node.call("GET", "/v1/experiments/r", TestNode.ADMIN, null),
                r -> r.body().get("coverage").asInt() == 10_000);
    assertThat(widened.body().get("status").asText()).isEqualTo("RUNNING");
    var history = node.call("GET", "/v1/experiments/r/history", TestNode.ADMIN, null).body();
    var step = history.at("/history/2");
    assertThat(step.get("actorId").asText()).isEqualTo("system");
    assertThat(step.get("actorName").asText()).isEqualTo("ramp");
    assertThat(step.at("/changes/0/field").asText()).isEqualTo("coverage");
    assertThat(step.at("/changes/0/from").asInt()).isEqualTo(100);
    assertThat(step.at("/changes/0/to").asInt()).isEqualTo(10_000);
    eventually(
        () -> node.manifests().current(),
        m -> m.experiments().stream().anyMatch(e -> e.key().equals("r") && e.coverage() == 10_000));
    Map<String, String> after = rampUnits(node);
    assertThat(after).hasSize(RAMP_UNITS);
    before.forEach((unit, variant) -> assertThat(after.get(unit)).as(unit).isEqualTo(variant));
  }

  private static final int RAMP_UNITS = 3000;

  /** The variant of r of each unit that is in it, over {@link #RAMP_UNITS} units. */
  private static Map<String, String> rampUnits(TestNode node) throws Exception {
    Map<String, String> in = new HashMap<>();
    for (int i = 0; i < RAMP_UNITS; i++) {
      var reply =
          node.call("GET", "/v1/assignments?unit=ramp-" + i + "&log=false", TestNode.SDK, null);
      for (var a : reply.body().get("assignments")) {
        if (a.get("experiment").asText().equals("r")) {
          in.put("ramp-" + i, a.get("variant").asText());
        }
      }
    }
    return in;
  }

  private static final int UNITS = 200;

  /**
   * A layered experiment with overrides and targeting is concluded shipping green: every targeted
   * unit gets green (the layer, coverage, weights and overrides no longer matter; this one does not
   * respect the holdout), marked shipped; nobody else gets it; its exposures are refused.
   */
  private static void shipTheWinner(TestNode node) throws Exception {
    String open =
        LAYERED.formatted("d", 8000, 9000).replace("\"holdout\": true", "\"holdout\": false");
    assertThat(node.call("POST", "/v1/experiments", TestNode.ADMIN, open).status()).isEqualTo(201);
    assertThat(node.call("POST", "/v1/experiments/d/start", TestNode.ADMIN, null).status())
        .isEqualTo(200);
    var unknown =
        node.call("POST", "/v1/experiments/d/conclude", TestNode.ADMIN, "{\"ship\": \"blue\"}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().at("/error/field").asText()).isEqualTo("ship");
    var shipped =
        node.call("POST", "/v1/experiments/d/conclude", TestNode.ADMIN, "{\"ship\": \"green\"}");
    assertThat(shipped.status()).isEqualTo(200);
    assertThat(shipped.body().get("status").asText()).isEqualTo("CONCLUDED");
    assertThat(shipped.body().get("shipped").asText()).isEqualTo("green");
    eventually(() -> node.manifests().current(), m -> m.shipped().size() == 1);

    assertThat(shippedTo(node, "US")).isEqualTo(UNITS);
    assertThat(shippedTo(node, "FR")).isZero();
    var sdkManifest = node.call("GET", "/v1/manifest", TestNode.SDK, null).body();
    assertThat(sdkManifest.at("/shipped/0/key").asText()).isEqualTo("d");
    assertThat(sdkManifest.at("/shipped/0/variants/0/key").asText()).isEqualTo("green");
    assertThat(sdkManifest.at("/shipped/0/coverage").asInt()).isEqualTo(10_000);
    assertThat(sdkManifest.at("/shipped/0/layerSlots").isMissingNode()).isTrue();
    assertThat(sdkManifest.findValuesAsText("key")).doesNotContain("qa-1");

    var exposure =
        node.call(
            "POST",
            "/v1/events",
            TestNode.SDK,
            """
            {"events": [{"eventId": "ship-1", "type": "exposure", "unit": "u-1",
              "experiment": "d", "variant": "green", "attributes": {"country": "US"}}]}
            """);
    assertThat(exposure.body().get("accepted").asInt()).isZero();
    assertThat(exposure.body().at("/rejected/0/error/code").asText())
        .isEqualTo("unknown_experiment");

    var history =
        eventually(
            () -> node.call("GET", "/v1/experiments/d/history", TestNode.ADMIN, null),
            r -> r.status() == 200 && r.body().get("history").size() == 3);
    var conclude = history.body().at("/history/2");
    assertThat(conclude.get("action").asText()).isEqualTo("conclude");
    assertThat(conclude.at("/changes/1/field").asText()).isEqualTo("shipped");
    assertThat(
            conclude.at("/changes/1/from").isMissingNode()
                || conclude.at("/changes/1/from").isNull())
        .isTrue();
    assertThat(conclude.at("/changes/1/to").asText()).isEqualTo("green");
  }

  /** How many of {@link #UNITS} units from {@code country} get d's shipped green, marked so. */
  private static int shippedTo(TestNode node, String country) throws Exception {
    int shipped = 0;
    for (int i = 0; i < UNITS; i++) {
      var reply =
          node.call(
              "GET",
              "/v1/assignments?unit=ship-" + i + "&country=" + country + "&log=false",
              TestNode.SDK,
              null);
      assertThat(reply.status()).isEqualTo(200);
      for (var a : reply.body().get("assignments")) {
        if (a.get("experiment").asText().equals("d")) {
          assertThat(a.get("variant").asText()).isEqualTo("green");
          assertThat(a.get("config").get("color").asText()).isEqualTo("green");
          assertThat(a.get("shipped").asBoolean()).isTrue();
          shipped++;
        }
      }
    }
    return shipped;
  }

  private static TestNode.Reply patch(TestNode node, String key, long version, String body)
      throws Exception {
    return node.callWithHeader(
        "PATCH", "/v1/experiments/" + key, TestNode.ADMIN, body, "If-Match", "\"" + version + "\"");
  }

  static <T> T eventually(Callable<T> call, Predicate<T> done) throws Exception {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(call, done);
  }

  /** The manifest version once it has not moved for two seconds (at most 20 s). */
  private static long settledVersion(TestNode node, long seen) throws InterruptedException {
    for (int i = 0; i < 10; i++) {
      Thread.sleep(2000); // sampling, not polling: two readings 2 s apart must agree
      long now = node.manifests().current().version();
      if (now == seen) {
        return seen;
      }
      seen = now;
    }
    return seen;
  }
}
