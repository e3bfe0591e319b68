package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExperimentRoutesTest extends RouteTestSupport {

  private static final String VALID =
      """
      {"key": "%s", "variants": [{"key": "control", "weight": 5000},
                                 {"key": "green", "weight": 5000, "config": {"color": "green"}}]}
      """;

  @Test
  void createAnswers201WithTheStoredDraft() throws Exception {
    var reply = call("POST", "/v1/experiments", FakeServices.ADMIN, VALID.formatted("created-one"));
    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.body().get("status").asText()).isEqualTo("DRAFT");
    assertThat(reply.body().get("variants").get(1).get("config").get("color").asText())
        .isEqualTo("green");
  }

  @Test
  void aCreateWarnsOfRunningExperimentsOnTheSameEventsAndStillCreates() throws Exception {
    String metrics =
        "\"metrics\": [{\"key\": \"m\", \"event\": \"overlap-checkout\", \"kind\": \"proportion\"}]";
    String variants =
        "\"variants\": [{\"key\": \"a\", \"weight\": 5000}, {\"key\": \"b\", \"weight\": 5000}]";
    call(
        "POST",
        "/v1/experiments",
        FakeServices.ADMIN,
        "{\"key\": \"overlap-running\", " + variants + ", " + metrics + "}");
    call("POST", "/v1/experiments/overlap-running/start", FakeServices.ADMIN, null);
    var reply =
        call(
            "POST",
            "/v1/experiments",
            FakeServices.ADMIN,
            "{\"key\": \"overlap-new\", " + variants + ", " + metrics + "}");
    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.body().at("/warnings/0/code").asText()).isEqualTo("overlapping_experiment");
    assertThat(reply.body().at("/warnings/0/experiment").asText()).isEqualTo("overlap-running");
    assertThat(reply.body().at("/warnings/0/events/0").asText()).isEqualTo("overlap-checkout");
    var quiet =
        call("POST", "/v1/experiments", FakeServices.ADMIN, VALID.formatted("overlap-none"));
    assertThat(quiet.body().has("warnings")).isFalse();
  }

  @Test
  void duplicateKeyIs409() throws Exception {
    call("POST", "/v1/experiments", FakeServices.ADMIN, VALID.formatted("twice"));
    var reply = call("POST", "/v1/experiments", FakeServices.ADMIN, VALID.formatted("twice"));
    assertThat(reply.status()).isEqualTo(409);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("duplicate_key");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "missing key|{\"variants\": [{\"key\": \"a\", \"weight\": 10000}]}|key|missing_field",
        "bad key|{\"key\": \"Bad Key!\", \"variants\": [{\"key\": \"a\", \"weight\": 10000}]}|key|invalid_key",
        "weights not 10000|{\"key\": \"w\", \"variants\": [{\"key\": \"a\", \"weight\": 5000}]}|variants|invalid_weights",
        "duplicate variant|{\"key\": \"d\", \"variants\": [{\"key\": \"a\", \"weight\": 5000}, {\"key\": \"a\", \"weight\": 5000}]}|variants[1].key|duplicate_variant",
        "coverage too big|{\"key\": \"c\", \"coverage\": 10001, \"variants\": [{\"key\": \"a\", \"weight\": 10000}]}|coverage|out_of_range",
        "weight of wrong type|{\"key\": \"t\", \"variants\": [{\"key\": \"a\", \"weight\": \"all\"}]}|variants[0].weight|invalid_type",
        "unknown field|{\"key\": \"u\", \"colour\": 1, \"variants\": [{\"key\": \"a\", \"weight\": 10000}]}|colour|unknown_field",
        "no variants|{\"key\": \"n\", \"variants\": []}|variants|invalid_variants"
      })
  void invalidDefinitionsAre400NamingTheField(String name, String body, String field, String code)
      throws Exception {
    var reply = call("POST", "/v1/experiments", FakeServices.ADMIN, body);
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/field").asText()).isEqualTo(field);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo(code);
  }

  @Test
  void malformedJsonIs400() throws Exception {
    var reply = call("POST", "/v1/experiments", FakeServices.ADMIN, "{\"key\": ");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("malformed_json");
  }

  @Test
  void missingCredentialIs401AndAnSdkKeyIs403() throws Exception {
    assertThat(call("POST", "/v1/experiments", null, VALID.formatted("x1")).status())
        .isEqualTo(401);
    assertThat(call("POST", "/v1/experiments", "wrong", VALID.formatted("x1")).status())
        .isEqualTo(401);
    assertThat(call("POST", "/v1/experiments", FakeServices.SDK, VALID.formatted("x1")).status())
        .isEqualTo(403);
    assertThat(call("POST", "/v1/experiments", FakeServices.VIEWER, VALID.formatted("x1")).status())
        .isEqualTo(403);
  }

  @Test
  void getUnknownIs404AndKnownIs200ForAViewer() throws Exception {
    assertThat(call("GET", "/v1/experiments/nope", FakeServices.VIEWER, null).status())
        .isEqualTo(404);
    call("POST", "/v1/experiments", FakeServices.ADMIN, VALID.formatted("seen"));
    var reply = call("GET", "/v1/experiments/seen", FakeServices.VIEWER, null);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("key").asText()).isEqualTo("seen");
  }

  @Test
  void startIs200OnceThen409() throws Exception {
    call("POST", "/v1/experiments", FakeServices.ADMIN, VALID.formatted("go"));
    var first = call("POST", "/v1/experiments/go/start", FakeServices.ADMIN, null);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body().get("status").asText()).isEqualTo("RUNNING");
    assertThat(call("POST", "/v1/experiments/go/start", FakeServices.ADMIN, null).status())
        .isEqualTo(409);
  }

  @Test
  void unknownPathsAndMethodsAnswerWithTheJsonErrorShape() throws Exception {
    var missing = call("GET", "/v1/nothing-here", FakeServices.ADMIN, null);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body().at("/error/code").asText()).isEqualTo("not_found");
    var wrongMethod = call("DELETE", "/v1/events", FakeServices.ADMIN, null);
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.body().at("/error/code").asText()).isEqualTo("method_not_allowed");
  }
}
