package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every status code of list, PATCH, lifecycle, history, layers, holdout and credentials. */
class ExperimentAdminRoutesTest extends RouteTestSupport {

  private static final String VALID =
      """
      {"key": "%s", "variants": [{"key": "control", "weight": 5000},
                                 {"key": "green", "weight": 5000, "config": {"color": "green"}}]}
      """;

  private static void create(String key) throws Exception {
    assertThat(call("POST", "/v1/experiments", FakeServices.ADMIN, VALID.formatted(key)).status())
        .isEqualTo(201);
  }

  @Test
  void theFullDefinitionOfApiMdIsAccepted() throws Exception {
    var reply =
        call(
            "POST",
            "/v1/experiments",
            FakeServices.EXPERIMENTER,
            """
            {"key": "full", "name": "Full", "hypothesis": "green sells",
             "targeting": {"country": {"$in": ["US", "CA"]}, "platform": "ios"},
             "coverage": 8000,
             "variants": [{"key": "control", "weight": 5000, "config": {}},
                          {"key": "green", "weight": 5000, "config": {"color": "green"}}],
             "metrics": [{"key": "purchase", "event": "purchase", "kind": "proportion", "attributionWindowHours": 168},
                         {"key": "revenue", "event": "purchase", "kind": "mean", "cap": {"value": 1000}},
                         {"key": "rps", "kind": "ratio", "numerator": {"event": "purchase", "aggregate": "sum"},
                          "denominator": {"event": "session_start", "aggregate": "count"}, "cap": {"value": 500}}],
             "primaryMetric": "purchase", "alpha": 0.05, "sampleSizeTarget": 20000,
             "sequential": "obf", "looks": 5, "holdout": true, "overrides": {"qa-1": "green"},
             "startAt": "2026-12-01T00:00:00Z", "endAt": "2026-12-31T00:00:00Z"}
            """);
    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.body().get("sequential").asText()).isEqualTo("obf");
    assertThat(reply.body().at("/metrics/1/kind").asText()).isEqualTo("mean");
    assertThat(reply.body().at("/metrics/1/cap/value").asDouble()).isEqualTo(1000);
    assertThat(reply.body().at("/metrics/2/kind").asText()).isEqualTo("ratio");
    assertThat(reply.body().at("/metrics/2/numerator/aggregate").asText()).isEqualTo("sum");
    assertThat(reply.body().at("/metrics/2/denominator/event").asText()).isEqualTo("session_start");
    assertThat(reply.body().at("/metrics/2/event").isMissingNode()).isTrue();
    assertThat(reply.body().at("/overrides/qa-1").asText()).isEqualTo("green");
    assertThat(reply.body().get("phases")).hasSize(1);
    assertThat(reply.raw().headers().firstValue("ETag")).contains("\"1\"");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown operator|{\"targeting\": {\"country\": {\"$inn\": [\"US\"]}}}|targeting.country.$inn|invalid_targeting",
        "metric kind|{\"metrics\": [{\"key\": \"m\", \"event\": \"e\", \"kind\": \"median\"}]}|metrics[0].kind|invalid_value",
        "duplicate metric|{\"metrics\": [{\"key\": \"m\", \"event\": \"e\", \"kind\": \"mean\"}, {\"key\": \"m\", \"event\": \"e\", \"kind\": \"mean\"}]}|metrics[1].key|duplicate_metric",
        "window not positive|{\"metrics\": [{\"key\": \"m\", \"event\": \"e\", \"kind\": \"mean\", \"attributionWindowHours\": 0}]}|metrics[0].attributionWindowHours|out_of_range",
        "cap on a proportion|{\"metrics\": [{\"key\": \"m\", \"event\": \"e\", \"kind\": \"proportion\", \"cap\": {\"value\": 5}}]}|metrics[0].cap|invalid_cap",
        "cap not positive|{\"metrics\": [{\"key\": \"m\", \"event\": \"e\", \"kind\": \"mean\", \"cap\": {\"value\": 0}}]}|metrics[0].cap.value|out_of_range",
        "cap not a number|{\"metrics\": [{\"key\": \"m\", \"event\": \"e\", \"kind\": \"mean\", \"cap\": {\"value\": \"10\"}}]}|metrics[0].cap.value|out_of_range",
        "cap without value|{\"metrics\": [{\"key\": \"m\", \"event\": \"e\", \"kind\": \"mean\", \"cap\": {}}]}|metrics[0].cap.value|missing_field",
        "cap unknown field|{\"metrics\": [{\"key\": \"m\", \"event\": \"e\", \"kind\": \"mean\", \"cap\": {\"value\": 1, \"max\": 2}}]}|metrics[0].cap.max|unknown_field",
        "percentile cap|{\"metrics\": [{\"key\": \"m\", \"event\": \"e\", \"kind\": \"mean\", \"cap\": {\"percentile\": 0.99}}]}|metrics[0].cap.percentile|unsupported",
        "ratio without denominator|{\"metrics\": [{\"key\": \"m\", \"kind\": \"ratio\", \"numerator\": {\"event\": \"buy\", \"aggregate\": \"sum\"}}]}|metrics[0].denominator|missing_field",
        "ratio side not an object|{\"metrics\": [{\"key\": \"m\", \"kind\": \"ratio\", \"numerator\": {\"event\": \"buy\", \"aggregate\": \"sum\"}, \"denominator\": \"visit\"}]}|metrics[0].denominator|invalid_type",
        "ratio aggregate unknown|{\"metrics\": [{\"key\": \"m\", \"kind\": \"ratio\", \"numerator\": {\"event\": \"buy\", \"aggregate\": \"sum\"}, \"denominator\": {\"event\": \"visit\", \"aggregate\": \"avg\"}}]}|metrics[0].denominator.aggregate|invalid_value",
        "ratio side without event|{\"metrics\": [{\"key\": \"m\", \"kind\": \"ratio\", \"numerator\": {\"event\": \"buy\", \"aggregate\": \"sum\"}, \"denominator\": {\"aggregate\": \"count\"}}]}|metrics[0].denominator.event|missing_field",
        "ratio side unknown field|{\"metrics\": [{\"key\": \"m\", \"kind\": \"ratio\", \"numerator\": {\"event\": \"buy\", \"aggregate\": \"sum\"}, \"denominator\": {\"event\": \"v\", \"aggregate\": \"count\", \"x\": 1}}]}|metrics[0].denominator.x|unknown_field",
        "ratio with an event of its own|{\"metrics\": [{\"key\": \"m\", \"kind\": \"ratio\", \"event\": \"e\", \"numerator\": {\"event\": \"buy\", \"aggregate\": \"sum\"}, \"denominator\": {\"event\": \"visit\", \"aggregate\": \"count\"}}]}|metrics[0].event|invalid_metric",
        "ratio with a funnel|{\"metrics\": [{\"key\": \"m\", \"kind\": \"ratio\", \"steps\": [\"a\"], \"numerator\": {\"event\": \"buy\", \"aggregate\": \"sum\"}, \"denominator\": {\"event\": \"visit\", \"aggregate\": \"count\"}}]}|metrics[0].steps|invalid_metric",
        "numerator on a mean|{\"metrics\": [{\"key\": \"m\", \"event\": \"e\", \"kind\": \"mean\", \"numerator\": {\"event\": \"buy\", \"aggregate\": \"sum\"}}]}|metrics[0].numerator|invalid_metric",
        "funnel without steps|{\"metrics\": [{\"key\": \"m\", \"event\": \"e\", \"kind\": \"proportion\", \"steps\": []}]}|metrics[0].steps|invalid_type",
        "funnel step not text|{\"metrics\": [{\"key\": \"m\", \"event\": \"e\", \"kind\": \"proportion\", \"steps\": [\"a\", 1]}]}|metrics[0].steps[1]|invalid_type",
        "primary metric unknown|{\"primaryMetric\": \"nope\"}|primaryMetric|unknown_metric",
        "alpha out of range|{\"alpha\": 1.5}|alpha|out_of_range",
        "sequential unknown|{\"sequential\": \"bayes\"}|sequential|invalid_value",
        "obf without looks|{\"sequential\": \"obf\"}|looks|missing_field",
        "slots outside|{\"layer\": \"l\", \"layerSlots\": [0, 10001]}|layerSlots[1]|out_of_range",
        "slots reversed|{\"layer\": \"l\", \"layerSlots\": [500, 100]}|layerSlots|invalid_range",
        "layer without slots|{\"layer\": \"l\"}|layerSlots|missing_field",
        "override to unknown variant|{\"overrides\": {\"qa\": \"blue\"}}|overrides.qa|unknown_variant",
        "bad time|{\"startAt\": \"tomorrow\"}|startAt|invalid_time",
        "end before start|{\"startAt\": \"2026-12-02T00:00:00Z\", \"endAt\": \"2026-12-01T00:00:00Z\"}|endAt|invalid_range",
        "flag with two variants|{\"type\": \"flag\"}|variants|invalid_flag",
        "guardrails not an array|{\"guardrails\": {}}|guardrails|invalid_type",
        "guardrail unknown metric|{\"metrics\": [{\"key\": \"m\", \"event\": \"e\", \"kind\": \"mean\"}], \"guardrails\": [{\"metric\": \"x\", \"direction\": \"increase\", \"action\": \"kill\"}]}|guardrails[0].metric|unknown_metric",
        "guardrail twice|{\"metrics\": [{\"key\": \"m\", \"event\": \"e\", \"kind\": \"mean\"}], \"guardrails\": [{\"metric\": \"m\", \"direction\": \"increase\", \"action\": \"kill\"}, {\"metric\": \"m\", \"direction\": \"decrease\", \"action\": \"alert\"}]}|guardrails[1].metric|duplicate_guardrail",
        "guardrail direction|{\"metrics\": [{\"key\": \"m\", \"event\": \"e\", \"kind\": \"mean\"}], \"guardrails\": [{\"metric\": \"m\", \"direction\": \"up\", \"action\": \"kill\"}]}|guardrails[0].direction|invalid_value",
        "guardrail without action|{\"metrics\": [{\"key\": \"m\", \"event\": \"e\", \"kind\": \"mean\"}], \"guardrails\": [{\"metric\": \"m\", \"direction\": \"up\"}]}|guardrails[0].action|missing_field",
        "guardrail action|{\"metrics\": [{\"key\": \"m\", \"event\": \"e\", \"kind\": \"mean\"}], \"guardrails\": [{\"metric\": \"m\", \"direction\": \"increase\", \"action\": \"panic\"}]}|guardrails[0].action|invalid_value",
        "guardrail threshold|{\"metrics\": [{\"key\": \"m\", \"event\": \"e\", \"kind\": \"mean\"}], \"guardrails\": [{\"metric\": \"m\", \"direction\": \"increase\", \"threshold\": -0.1, \"action\": \"kill\"}]}|guardrails[0].threshold|out_of_range",
        "guardrail unknown field|{\"metrics\": [{\"key\": \"m\", \"event\": \"e\", \"kind\": \"mean\"}], \"guardrails\": [{\"metric\": \"m\", \"direction\": \"increase\", \"action\": \"kill\", \"when\": 1}]}|guardrails[0].when|unknown_field",
        "ramp not an object|{\"rampPlan\": [100, 1000]}|rampPlan|invalid_type",
        "ramp without steps|{\"rampPlan\": {}}|rampPlan.steps|missing_field",
        "ramp unknown field|{\"rampPlan\": {\"steps\": [{\"coverage\": 100, \"minutes\": 1}], \"every\": 1}}|rampPlan.every|unknown_field",
        "ramp step without minutes|{\"coverage\": 100, \"rampPlan\": {\"steps\": [{\"coverage\": 100}]}}|rampPlan.steps[0].minutes|missing_field",
        "ramp step coverage outside|{\"rampPlan\": {\"steps\": [{\"coverage\": 10001, \"minutes\": 1}]}}|rampPlan.steps[0].coverage|out_of_range",
        "ramp step minutes negative|{\"rampPlan\": {\"steps\": [{\"coverage\": 100, \"minutes\": -1}]}}|rampPlan.steps[0].minutes|out_of_range",
        "ramp narrowing|{\"coverage\": 500, \"rampPlan\": {\"steps\": [{\"coverage\": 500, \"minutes\": 1}, {\"coverage\": 100, \"minutes\": 1}]}}|rampPlan.steps|invalid_ramp",
        "environments not an object|{\"environments\": []}|environments|invalid_type",
        "environment without enabled|{\"environments\": {\"staging\": {}}}|environments.staging.enabled|missing_field",
        "environment enabled not boolean|{\"environments\": {\"staging\": {\"enabled\": 1}}}|environments.staging.enabled|invalid_type",
        "environment coverage outside|{\"environments\": {\"staging\": {\"enabled\": true, \"coverage\": 10001}}}|environments.staging.coverage|out_of_range",
        "environment unknown field|{\"environments\": {\"staging\": {\"enabled\": true, \"on\": 1}}}|environments.staging.on|unknown_field",
        "environment not registered|{\"environments\": {\"prodution\": {\"enabled\": true}}}|environments.prodution|unknown_environment",
        "environment key invalid|{\"environments\": {\"Prod!\": {\"enabled\": true}}}|environments|invalid_key",
        "metric called srm|{\"metrics\": [{\"key\": \"srm\", \"event\": \"e\", \"kind\": \"mean\"}]}|metrics[0].key|reserved_metric",
        "ramp rollback not boolean|{\"rampPlan\": {\"rollback\": 1, \"steps\": [{\"coverage\": 10000, \"minutes\": 1}]}}|rampPlan.rollback|invalid_type",
        "coverage off the ramp|{\"coverage\": 300, \"rampPlan\": {\"steps\": [{\"coverage\": 100, \"minutes\": 1}, {\"coverage\": 10000, \"minutes\": 0}]}}|coverage|invalid_ramp"
      })
  void invalidFieldsAre400NamingThePath(String name, String extra, String field, String code)
      throws Exception {
    String body =
        "{\"key\": \"bad\", \"variants\": [{\"key\": \"a\", \"weight\": 5000}, {\"key\": \"b\", \"weight\": 5000}], "
            + extra.substring(1);
    var reply = call("POST", "/v1/experiments", FakeServices.ADMIN, body);
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/field").asText()).isEqualTo(field);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo(code);
  }

  @Test
  void guardrailsOnBuiltInMetricsAndTheSampleRatioNeedNoMetricDefinition() throws Exception {
    var reply =
        call(
            "POST",
            "/v1/experiments",
            FakeServices.ADMIN,
            "{\"key\": \"builtin\", \"variants\": [{\"key\": \"a\", \"weight\": 5000}, {\"key\":"
                + " \"b\", \"weight\": 5000}], \"guardrails\": [{\"metric\": \"error\", \"direction\":"
                + " \"increase\", \"action\": \"kill\"}, {\"metric\": \"latency_ms\", \"direction\":"
                + " \"increase\", \"threshold\": 0.1, \"action\": \"alert\"}, {\"metric\": \"srm\","
                + " \"direction\": \"increase\", \"action\": \"pause\"}]}");
    assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(201);
    assertThat(reply.body().at("/metrics/0/key").asText()).isEqualTo("error");
    assertThat(reply.body().at("/metrics/0/kind").asText()).isEqualTo("proportion");
    assertThat(reply.body().at("/metrics/1/key").asText()).isEqualTo("latency_ms");
    assertThat(reply.body().at("/metrics/1/kind").asText()).isEqualTo("mean");
    assertThat(reply.body().get("metrics")).hasSize(2);
    assertThat(reply.body().at("/guardrails/2/metric").asText()).isEqualTo("srm");
  }

  @Test
  void tooManyRampStepsAre400NamingTheSteps() throws Exception {
    StringBuilder steps = new StringBuilder();
    for (int i = 1; i <= 21; i++) {
      steps
          .append(i == 1 ? "" : ", ")
          .append("{\"coverage\": ")
          .append(i)
          .append(", \"minutes\": 1}");
    }
    var reply =
        call(
            "POST",
            "/v1/experiments",
            FakeServices.ADMIN,
            VALID
                .formatted("ramped")
                .replace(
                    "}]}\n", "}], \"coverage\": 1, \"rampPlan\": {\"steps\": [" + steps + "]}}\n"));
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/field").asText()).isEqualTo("rampPlan.steps");
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("too_many");
  }

  @Test
  void aRampPlanIsStoredAndClearedByAPatch() throws Exception {
    String ramped =
        VALID
            .formatted("ramped-ok")
            .replace(
                "}]}\n",
                "}], \"coverage\": 100, \"rampPlan\": {\"steps\": [{\"coverage\": 100, \"minutes\": 60},"
                    + " {\"coverage\": 10000, \"minutes\": 0}]}}\n");
    var created = call("POST", "/v1/experiments", FakeServices.ADMIN, ramped);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().at("/rampPlan/steps/0/minutes").asInt()).isEqualTo(60);
    assertThat(created.body().at("/rampPlan/steps/1/coverage").asInt()).isEqualTo(10_000);
    var cleared = patch("ramped-ok", "\"1\"", "{\"rampPlan\": null}");
    assertThat(cleared.status()).isEqualTo(200);
    assertThat(cleared.body().has("rampPlan")).isFalse();
  }

  @Test
  void aFeatureFlagIsASingleVariantWithConfig() throws Exception {
    var reply =
        call(
            "POST",
            "/v1/experiments",
            FakeServices.ADMIN,
            "{\"key\": \"dark-mode\", \"type\": \"flag\", \"variants\": [{\"key\": \"on\", \"weight\": 10000, \"config\": {\"dark\": true}}]}");
    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.body().get("type").asText()).isEqualTo("flag");
  }

  @Test
  void listFiltersByStatusAndRefusesAnUnknownStatus() throws Exception {
    create("listed-a");
    create("listed-b");
    call("POST", "/v1/experiments/listed-b/start", FakeServices.ADMIN, null);
    var running = call("GET", "/v1/experiments?status=RUNNING", FakeServices.VIEWER, null);
    assertThat(running.status()).isEqualTo(200);
    assertThat(running.body().findValuesAsText("key"))
        .contains("listed-b")
        .doesNotContain("listed-a");
    var bad = call("GET", "/v1/experiments?status=SLEEPING", FakeServices.VIEWER, null);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().at("/error/field").asText()).isEqualTo("status");
    assertThat(call("GET", "/v1/experiments", null, null).status()).isEqualTo(401);
    assertThat(call("GET", "/v1/experiments", FakeServices.SDK, null).status()).isEqualTo(403);
  }

  /** The experiment keys a list answers (not the variant keys inside them). */
  private static List<String> listedKeys(String path) throws Exception {
    var listed = call("GET", path, FakeServices.VIEWER, null).body();
    List<String> keys = new java.util.ArrayList<>();
    listed.forEach(e -> keys.add(e.get("key").asText()));
    return keys;
  }

  private static Reply patch(String key, String ifMatch, String body) throws Exception {
    var request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port() + "/v1/experiments/" + key))
            .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + FakeServices.EXPERIMENTER);
    if (ifMatch != null) {
      request.header("If-Match", ifMatch);
    }
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    return new Reply(
        response.statusCode(),
        response.body().isEmpty()
            ? null
            : org.abtest.protocol.Json.mapper().readTree(response.body()),
        response);
  }

  @Test
  void patchNeedsIfMatchAndRefusesAStaleVersion() throws Exception {
    create("patched");
    var missing = patch("patched", null, "{\"name\": \"x\"}");
    assertThat(missing.status()).isEqualTo(428);
    assertThat(missing.body().at("/error/code").asText()).isEqualTo("precondition_required");
    assertThat(patch("patched", "abc", "{\"name\": \"x\"}").status()).isEqualTo(400);
    var ok = patch("patched", "\"1\"", "{\"name\": \"Renamed\", \"coverage\": 5000}");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body().get("name").asText()).isEqualTo("Renamed");
    assertThat(ok.body().get("version").asLong()).isEqualTo(2);
    var stale = patch("patched", "1", "{\"name\": \"again\"}");
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.body().at("/error/code").asText()).isEqualTo("stale_version");
    assertThat(patch("nobody", "1", "{\"name\": \"x\"}").status()).isEqualTo(404);
  }

  @Test
  void aDescriptionIsGivenAtCreationChangedAndClearedLikeTheHypothesis() throws Exception {
    var created =
        call(
            "POST",
            "/v1/experiments",
            FakeServices.ADMIN,
            "{\"description\": \"Greener\", " + VALID.formatted("described").strip().substring(1));
    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
    assertThat(created.body().get("description").asText()).isEqualTo("Greener");
    var changed = patch("described", "\"1\"", "{\"description\": \"Greenest\"}");
    assertThat(changed.body().get("description").asText()).isEqualTo("Greenest");
    var cleared = patch("described", "\"2\"", "{\"description\": null}");
    assertThat(cleared.status()).as(String.valueOf(cleared.body())).isEqualTo(200);
    assertThat(
            cleared.body().path("description").isMissingNode()
                || cleared.body().get("description").isNull())
        .isTrue();
    var tooLong = patch("described", "\"3\"", "{\"description\": \"" + "x".repeat(4097) + "\"}");
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.body().at("/error/field").asText()).isEqualTo("description");
  }

  @Test
  void patchRefusesImmutableAndInvalidFields() throws Exception {
    create("strict");
    var layer = patch("strict", "1", "{\"layer\": \"other\"}");
    assertThat(layer.status()).isEqualTo(400);
    assertThat(layer.body().at("/error/code").asText()).isEqualTo("immutable_field");
    var weights = patch("strict", "1", "{\"variants\": [{\"key\": \"a\", \"weight\": 1}]}");
    assertThat(weights.body().at("/error/field").asText()).isEqualTo("variants");
    assertThat(patch("strict", "1", "{}").status()).isEqualTo(400);
    assertThat(patch("strict", "1", "{\"name\": null}").status()).isEqualTo(400);
  }

  @Test
  void lifecycleFollowsRolesAndReports409WithTheCurrentStatus() throws Exception {
    create("life");
    assertThat(call("POST", "/v1/experiments/life/start", FakeServices.VIEWER, null).status())
        .isEqualTo(403);
    assertThat(call("POST", "/v1/experiments/life/start", FakeServices.EXPERIMENTER, null).status())
        .isEqualTo(200);
    var pause = call("POST", "/v1/experiments/life/pause", FakeServices.EXPERIMENTER, null);
    assertThat(pause.body().get("status").asText()).isEqualTo("PAUSED");
    var again = call("POST", "/v1/experiments/life/pause", FakeServices.EXPERIMENTER, null);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body().at("/error/message").asText()).contains("PAUSED");
    assertThat(
            call("POST", "/v1/experiments/life/resume", FakeServices.EXPERIMENTER, null).status())
        .isEqualTo(200);
    assertThat(call("POST", "/v1/experiments/life/kill", FakeServices.EXPERIMENTER, null).status())
        .isEqualTo(403);
    assertThat(
            call("POST", "/v1/experiments/life/conclude", FakeServices.EXPERIMENTER, null).status())
        .isEqualTo(403);
    var killed = call("POST", "/v1/experiments/life/kill", FakeServices.ADMIN, null);
    assertThat(killed.status()).isEqualTo(200);
    assertThat(killed.body().get("status").asText()).isEqualTo("KILLED");
    assertThat(call("POST", "/v1/experiments/life/conclude", FakeServices.ADMIN, null).status())
        .isEqualTo(409);
    assertThat(call("POST", "/v1/experiments/nobody/kill", FakeServices.ADMIN, null).status())
        .isEqualTo(404);
  }

  @Test
  void aConcludeShipsTheVariantItNamesAndAKillTakesItBack() throws Exception {
    create("ship-it");
    call("POST", "/v1/experiments/ship-it/start", FakeServices.ADMIN, null);
    var concluded =
        call(
            "POST",
            "/v1/experiments/ship-it/conclude",
            FakeServices.ADMIN,
            "{\"ship\": \"green\"}");
    assertThat(concluded.status()).isEqualTo(200);
    assertThat(concluded.body().get("status").asText()).isEqualTo("CONCLUDED");
    assertThat(concluded.body().get("shipped").asText()).isEqualTo("green");
    var killed = call("POST", "/v1/experiments/ship-it/kill", FakeServices.ADMIN, null);
    assertThat(killed.status()).isEqualTo(200);
    assertThat(killed.body().get("status").asText()).isEqualTo("KILLED");
    assertThat(killed.body().has("shipped")).isFalse();
  }

  @Test
  void aConcludeWithoutABodyOrWithAnEmptyOneShipsNothingAndCannotBeKilledAfter() throws Exception {
    create("no-body");
    call("POST", "/v1/experiments/no-body/start", FakeServices.ADMIN, null);
    var concluded = call("POST", "/v1/experiments/no-body/conclude", FakeServices.ADMIN, null);
    assertThat(concluded.status()).isEqualTo(200);
    assertThat(concluded.body().has("shipped")).isFalse();
    assertThat(call("POST", "/v1/experiments/no-body/kill", FakeServices.ADMIN, null).status())
        .isEqualTo(409);
    create("empty-body");
    call("POST", "/v1/experiments/empty-body/start", FakeServices.ADMIN, null);
    var empty = call("POST", "/v1/experiments/empty-body/conclude", FakeServices.ADMIN, "{}");
    assertThat(empty.status()).isEqualTo(200);
    assertThat(empty.body().has("shipped")).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"ship\": \"blue\"}                | ship    | invalid_value",
        "{\"ship\": 7}                         | ship    | invalid_key",
        "{\"ship\": \"Not A Key\"}           | ship    | invalid_key",
        "{\"ship\": \"green\", \"why\": 1} | why     | unknown_field",
        "[\"green\"]                           |         | ",
        "{\"ship\":                            |         | "
      })
  void aBadConcludeBodyIs400NamingTheFieldAndConcludesNothing(
      String body, String field, String code) throws Exception {
    String key = "bad-ship-" + Integer.toHexString(body.hashCode());
    create(key);
    call("POST", "/v1/experiments/" + key + "/start", FakeServices.ADMIN, null);
    var refused = call("POST", "/v1/experiments/" + key + "/conclude", FakeServices.ADMIN, body);
    assertThat(refused.status()).isEqualTo(400);
    if (field != null) {
      assertThat(refused.body().at("/error/field").asText()).isEqualTo(field);
    }
    if (code != null) {
      assertThat(refused.body().at("/error/code").asText()).isEqualTo(code);
    }
    var after = call("GET", "/v1/experiments/" + key, FakeServices.ADMIN, null);
    assertThat(after.body().get("status").asText()).isEqualTo("RUNNING");
  }

  @Test
  void aDraftIsDeletedByAnAdminOnlyAndThenAnswers404() throws Exception {
    create("doomed");
    assertThat(call("DELETE", "/v1/experiments/doomed", FakeServices.EXPERIMENTER, null).status())
        .isEqualTo(403);
    var deleted = call("DELETE", "/v1/experiments/doomed", FakeServices.ADMIN, null);
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(call("GET", "/v1/experiments/doomed", FakeServices.VIEWER, null).status())
        .isEqualTo(404);
    assertThat(listedKeys("/v1/experiments")).doesNotContain("doomed");
    assertThat(call("DELETE", "/v1/experiments/doomed", FakeServices.ADMIN, null).status())
        .isEqualTo(404);
    assertThat(call("DELETE", "/v1/experiments/nobody", FakeServices.ADMIN, null).status())
        .isEqualTo(404);
    // the lifecycle's own routes do not offer it as POST .../delete
    assertThat(call("POST", "/v1/experiments/doomed/delete", FakeServices.ADMIN, null).status())
        .isIn(404, 405);
  }

  @Test
  void onlyADraftIsDeleted() throws Exception {
    create("running-one");
    call("POST", "/v1/experiments/running-one/start", FakeServices.ADMIN, null);
    var refused = call("DELETE", "/v1/experiments/running-one", FakeServices.ADMIN, null);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body().at("/error/code").asText()).isEqualTo("invalid_transition");
    assertThat(refused.body().at("/error/message").asText()).contains("RUNNING");
  }

  @Test
  void anEndedExperimentIsArchivedByAnAdminAndListedOnlyWhenArchivedIsAskedFor() throws Exception {
    create("old-test");
    call("POST", "/v1/experiments/old-test/start", FakeServices.ADMIN, null);
    var early = call("POST", "/v1/experiments/old-test/archive", FakeServices.ADMIN, null);
    assertThat(early.status()).isEqualTo(409);
    assertThat(early.body().at("/error/message").asText()).contains("RUNNING");
    call("POST", "/v1/experiments/old-test/conclude", FakeServices.ADMIN, null);
    assertThat(
            call("POST", "/v1/experiments/old-test/archive", FakeServices.EXPERIMENTER, null)
                .status())
        .isEqualTo(403);
    var archived = call("POST", "/v1/experiments/old-test/archive", FakeServices.ADMIN, null);
    assertThat(archived.status()).isEqualTo(200);
    assertThat(archived.body().get("archived").asBoolean()).isTrue();
    assertThat(archived.body().get("status").asText()).isEqualTo("CONCLUDED");

    assertThat(listedKeys("/v1/experiments")).doesNotContain("old-test");
    assertThat(listedKeys("/v1/experiments?archived=true")).containsExactly("old-test");
    assertThat(listedKeys("/v1/experiments?archived=true&status=CONCLUDED"))
        .containsExactly("old-test");
    assertThat(call("GET", "/v1/experiments/old-test", FakeServices.VIEWER, null).status())
        .as("an archived experiment is still read by its key")
        .isEqualTo(200);
    var bad = call("GET", "/v1/experiments?archived=yes", FakeServices.VIEWER, null);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().at("/error/field").asText()).isEqualTo("archived");
    var deletedStatus = call("GET", "/v1/experiments?status=DELETED", FakeServices.VIEWER, null);
    assertThat(deletedStatus.status()).isEqualTo(400);
    assertThat(deletedStatus.body().at("/error/message").asText()).doesNotContain("DELETED");
  }

  @Test
  void anAdminUnarchivesAnExperimentIntoTheDefaultListAgain() throws Exception {
    create("back-again");
    call("POST", "/v1/experiments/back-again/start", FakeServices.ADMIN, null);
    call("POST", "/v1/experiments/back-again/kill", FakeServices.ADMIN, null);
    call("POST", "/v1/experiments/back-again/archive", FakeServices.ADMIN, null);
    assertThat(
            call("POST", "/v1/experiments/back-again/unarchive", FakeServices.EXPERIMENTER, null)
                .status())
        .isEqualTo(403);
    var back = call("POST", "/v1/experiments/back-again/unarchive", FakeServices.ADMIN, null);
    assertThat(back.status()).isEqualTo(200);
    assertThat(back.body().get("archived").asBoolean()).isFalse();
    assertThat(back.body().get("status").asText()).isEqualTo("KILLED");
    assertThat(listedKeys("/v1/experiments")).contains("back-again");
    assertThat(listedKeys("/v1/experiments?archived=true")).doesNotContain("back-again");
    assertThat(call("POST", "/v1/experiments/nobody/unarchive", FakeServices.ADMIN, null).status())
        .isEqualTo(404);
  }

  @Test
  void historyListsWhoDidWhat() throws Exception {
    create("audited");
    call("POST", "/v1/experiments/audited/start", FakeServices.ADMIN, null);
    var history = call("GET", "/v1/experiments/audited/history", FakeServices.VIEWER, null);
    assertThat(history.status()).isEqualTo(200);
    assertThat(history.body().get("history")).hasSize(2);
    assertThat(history.body().at("/history/1/action").asText()).isEqualTo("START");
    assertThat(call("GET", "/v1/experiments/nobody/history", FakeServices.VIEWER, null).status())
        .isEqualTo(404);
    assertThat(call("GET", "/v1/experiments/audited/history", FakeServices.SDK, null).status())
        .isEqualTo(403);
  }

  @Test
  void layersAreCreatedOnceAndShownToViewers() throws Exception {
    assertThat(call("POST", "/v1/layers", FakeServices.VIEWER, "{\"key\": \"checkout\"}").status())
        .isEqualTo(403);
    var created = call("POST", "/v1/layers", FakeServices.EXPERIMENTER, "{\"key\": \"checkout\"}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().at("/free/0/1").asInt()).isEqualTo(10_000);
    assertThat(call("POST", "/v1/layers", FakeServices.ADMIN, "{\"key\": \"checkout\"}").status())
        .isEqualTo(409);
    assertThat(call("POST", "/v1/layers", FakeServices.ADMIN, "{\"key\": \"Bad!\"}").status())
        .isEqualTo(400);
    assertThat(call("GET", "/v1/layers/checkout", FakeServices.VIEWER, null).status())
        .isEqualTo(200);
    assertThat(call("GET", "/v1/layers/none", FakeServices.VIEWER, null).status()).isEqualTo(404);
    var unknownLayer =
        call(
            "POST",
            "/v1/experiments",
            FakeServices.ADMIN,
            "{\"key\": \"layered\", \"layer\": \"nolayer\", \"layerSlots\": [0, 100], \"variants\": [{\"key\": \"a\", \"weight\": 10000}]}");
    assertThat(unknownLayer.status()).isEqualTo(400);
    assertThat(unknownLayer.body().at("/error/field").asText()).isEqualTo("layer");
  }

  @Test
  void theHoldoutIsSetByAdminsOnly() throws Exception {
    assertThat(
            call("PUT", "/v1/holdout", FakeServices.EXPERIMENTER, "{\"range\": [0, 500]}").status())
        .isEqualTo(403);
    assertThat(call("PUT", "/v1/holdout", FakeServices.ADMIN, "{\"range\": [0]}").status())
        .isEqualTo(400);
    var set = call("PUT", "/v1/holdout", FakeServices.ADMIN, "{\"range\": [0, 500]}");
    assertThat(set.status()).isEqualTo(200);
    var read = call("GET", "/v1/holdout", FakeServices.VIEWER, null);
    assertThat(read.body().at("/range/1").asInt()).isEqualTo(500);
  }

  @Test
  void theHoldoutIsRemovedByAdminsOnlyAndRemovingNoneIsDoneToo() throws Exception {
    call("PUT", "/v1/holdout", FakeServices.ADMIN, "{\"range\": [0, 500]}");
    var refused = call("DELETE", "/v1/holdout", FakeServices.EXPERIMENTER, null);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().at("/error/code").asText()).isNotEmpty();
    assertThat(call("GET", "/v1/holdout", FakeServices.VIEWER, null).status()).isEqualTo(200);
    assertThat(call("DELETE", "/v1/holdout", FakeServices.ADMIN, null).status()).isEqualTo(204);
    assertThat(call("GET", "/v1/holdout", FakeServices.VIEWER, null).status()).isEqualTo(404);
    assertThat(call("DELETE", "/v1/holdout", FakeServices.ADMIN, null).status()).isEqualTo(204);
  }

  @Test
  void tokensAreIssuedOnceWorkAtOnceAndStopWhenRevoked() throws Exception {
    assertThat(
            call("POST", "/v1/tokens", FakeServices.EXPERIMENTER, "{\"role\": \"viewer\"}")
                .status())
        .isEqualTo(403);
    assertThat(call("POST", "/v1/tokens", null, "{\"role\": \"viewer\"}").status()).isEqualTo(401);
    var badRole = call("POST", "/v1/tokens", FakeServices.ADMIN, "{\"role\": \"root\"}");
    assertThat(badRole.status()).isEqualTo(400);
    assertThat(badRole.body().at("/error/field").asText()).isEqualTo("role");
    var issued =
        call("POST", "/v1/tokens", FakeServices.ADMIN, "{\"role\": \"viewer\", \"name\": \"ci\"}");
    assertThat(issued.status()).isEqualTo(201);
    String token = issued.body().get("token").asText();
    String id = issued.body().get("id").asText();
    assertThat(call("GET", "/v1/experiments", token, null).status()).isEqualTo(200);
    assertThat(call("POST", "/v1/layers", token, "{\"key\": \"nope\"}").status()).isEqualTo(403);
    assertThat(call("DELETE", "/v1/tokens/" + id, FakeServices.ADMIN, null).status())
        .isEqualTo(204);
    assertThat(call("GET", "/v1/experiments", token, null).status()).isEqualTo(401);
    assertThat(call("DELETE", "/v1/tokens/" + id, FakeServices.ADMIN, null).status())
        .isEqualTo(404);
  }

  @Test
  void sdkKeysArePerEnvironmentAndMayOnlyEvaluate() throws Exception {
    assertThat(call("POST", "/v1/sdk-keys", FakeServices.ADMIN, "{}").status()).isEqualTo(400);
    var issued =
        call("POST", "/v1/sdk-keys", FakeServices.ADMIN, "{\"environment\": \"production\"}");
    assertThat(issued.status()).isEqualTo(201);
    assertThat(issued.body().get("environment").asText()).isEqualTo("production");
    String key = issued.body().get("key").asText();
    assertThat(call("GET", "/v1/assignments?unit=u1", key, null).status()).isEqualTo(200);
    assertThat(call("GET", "/v1/experiments", key, null).status()).isEqualTo(403);
    String id = issued.body().get("id").asText();
    assertThat(call("DELETE", "/v1/sdk-keys/" + id, FakeServices.VIEWER, null).status())
        .isEqualTo(403);
    assertThat(call("DELETE", "/v1/sdk-keys/" + id, FakeServices.ADMIN, null).status())
        .isEqualTo(204);
    assertThat(call("GET", "/v1/assignments?unit=u1", key, null).status()).isEqualTo(401);
  }
}
