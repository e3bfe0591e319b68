package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnalysisRoutesTest extends RouteTestSupport {

  @ParameterizedTest(name = "{0} reaches {1}")
  @CsvSource({
    "/v1/analysis,ANALYSIS",
    "/v1/analysis/adjust,ADJUST",
    "/v1/analysis/boundaries,BOUNDARIES",
    "/v1/analysis/bandit,BANDIT",
    "/v1/power,POWER"
  })
  void viewerGets200WithTheCalculatorsAnswer(String path, String operation) throws Exception {
    var reply = call("POST", path, FakeServices.VIEWER, "{\"x\": 1}");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("operation").asText()).isEqualTo(operation);
    assertThat(reply.body().at("/body/x").asInt()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"/v1/analysis", "/v1/analysis/adjust", "/v1/power"})
  void calculatorRejectionIs400NamingTheField(String path) throws Exception {
    var reply = call("POST", path, FakeServices.ADMIN, "{\"kind\": \"bad\"}");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/field").asText()).isEqualTo("kind");
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("invalid_value");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"/v1/analysis/boundaries", "/v1/power"})
  void malformedBodyIs400(String path) throws Exception {
    var reply = call("POST", path, FakeServices.VIEWER, "[1, 2");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("malformed_json");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"/v1/analysis", "/v1/analysis/bandit", "/v1/power"})
  void withoutCredentialIs401(String path) throws Exception {
    assertThat(call("POST", path, null, "{}").status()).isEqualTo(401);
    assertThat(call("POST", path, "nobody", "{}").status()).isEqualTo(401);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"/v1/analysis", "/v1/analysis/adjust", "/v1/power"})
  void sdkKeyIs403(String path) throws Exception {
    var reply = call("POST", path, FakeServices.SDK, "{}");
    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("forbidden");
  }
}
