package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What only an admin may do to a started experiment, and schedules in the past (the fake clock
 * stands at 2026-11-22T10:00:00Z).
 */
class ExperimentAuthorityRoutesTest extends RouteTestSupport {

  private static final String DEFINITION =
      """
      {"key": "%s", "variants": [{"key": "control", "weight": 5000},
                                 {"key": "green", "weight": 5000}]%s}
      """;

  private static Reply create(String key, String extra) throws Exception {
    return call("POST", "/v1/experiments", FakeServices.ADMIN, DEFINITION.formatted(key, extra));
  }

  private static Reply patch(String key, String token, String body) throws Exception {
    var version = call("GET", "/v1/experiments/" + key, FakeServices.ADMIN, null).body();
    var request =
        java.net.http.HttpRequest.newBuilder(uri("/v1/experiments/" + key))
            .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .header("If-Match", "\"" + version.get("version").asLong() + "\"")
            .header("Authorization", "Bearer " + token)
            .build();
    var response = client().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    return new Reply(
        response.statusCode(),
        org.abtest.protocol.Json.mapper().readTree(response.body()),
        response);
  }

  private static void started(String key) throws Exception {
    assertThat(create(key, "").status()).isEqualTo(201);
    assertThat(call("POST", "/v1/experiments/" + key + "/start", FakeServices.ADMIN, null).status())
        .isEqualTo(200);
  }

  @Test
  void anEndAtInThePastIsRefusedWith400OnCreate() throws Exception {
    var reply = create("ended-before", ", \"endAt\": \"2026-11-22T09:59:59Z\"");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("in_the_past");
    assertThat(reply.body().at("/error/field").asText()).isEqualTo("endAt");
  }

  @Test
  void aStartAtInThePastIsRefusedWith400OnCreate() throws Exception {
    var reply = create("started-before", ", \"startAt\": \"2026-01-01T00:00:00Z\"");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/field").asText()).isEqualTo("startAt");
  }

  @Test
  void anEndAtInThePastIsRefusedWith400OnPatchEvenForAnAdmin() throws Exception {
    started("end-now");
    var reply = patch("end-now", FakeServices.ADMIN, "{\"endAt\": \"2026-11-22T10:00:00Z\"}");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("in_the_past");
  }

  @Test
  void anExperimenterChangingEndAtOfARunningExperimentGets403() throws Exception {
    started("end-later");
    var reply =
        patch("end-later", FakeServices.EXPERIMENTER, "{\"endAt\": \"2027-01-01T00:00:00Z\"}");
    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("admin_only");
    assertThat(reply.body().at("/error/field").asText()).isEqualTo("endAt");
  }

  @Test
  void anExperimenterRemovingTheGuardrailsOfARunningExperimentGets403AndAnAdminMay()
      throws Exception {
    String guarded =
        ", \"metrics\": [{\"key\": \"errors\", \"event\": \"error\", \"kind\": \"proportion\"}],"
            + " \"guardrails\": [{\"metric\": \"errors\", \"direction\": \"increase\", \"action\": \"kill\"}]";
    assertThat(create("guarded-run", guarded).status()).isEqualTo(201);
    assertThat(call("POST", "/v1/experiments/guarded-run/start", FakeServices.ADMIN, null).status())
        .isEqualTo(200);
    var refused = patch("guarded-run", FakeServices.EXPERIMENTER, "{\"guardrails\": []}");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().at("/error/code").asText()).isEqualTo("admin_only");
    assertThat(refused.body().at("/error/field").asText()).isEqualTo("guardrails");
    assertThat(patch("guarded-run", FakeServices.ADMIN, "{\"guardrails\": []}").status())
        .isEqualTo(200);
  }

  @Test
  void anExperimenterChangingHoldoutOfAPausedExperimentGets403() throws Exception {
    started("holdout-paused");
    call("POST", "/v1/experiments/holdout-paused/pause", FakeServices.ADMIN, null);
    var reply = patch("holdout-paused", FakeServices.EXPERIMENTER, "{\"holdout\": false}");
    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.body().at("/error/field").asText()).isEqualTo("holdout");
  }

  @Test
  void anAdminMayChangeEndAtAndHoldoutOfARunningExperiment() throws Exception {
    started("admin-changes");
    var reply =
        patch(
            "admin-changes",
            FakeServices.ADMIN,
            "{\"endAt\": \"2027-01-01T00:00:00Z\", \"holdout\": false}");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("holdout").asBoolean()).isFalse();
  }

  @Test
  void anExperimenterMayStillScheduleAndChangeHoldoutOfADraft() throws Exception {
    assertThat(create("draft-schedule", "").status()).isEqualTo(201);
    var reply =
        patch(
            "draft-schedule",
            FakeServices.EXPERIMENTER,
            "{\"endAt\": \"2027-01-01T00:00:00Z\", \"holdout\": false}");
    assertThat(reply.status()).isEqualTo(200);
  }

  @Test
  void anExperimenterMayChangeOtherFieldsOfARunningExperiment() throws Exception {
    started("rename-running");
    var reply = patch("rename-running", FakeServices.EXPERIMENTER, "{\"name\": \"Renamed\"}");
    assertThat(reply.status()).isEqualTo(200);
  }
}
