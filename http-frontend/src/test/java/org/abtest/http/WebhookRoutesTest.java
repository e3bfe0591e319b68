package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.abtest.http.ports.WebhookService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /v1/webhooks}: admin only, every field bounded, the secret never answered. */
class WebhookRoutesTest extends RouteTestSupport {

  private static final String VALID =
      "{\"url\": \"https://hooks.example.com/abtest\", \"secret\": \"s3cret\", \"events\": [\"guardrail\"]}";

  @Test
  void anAdminAddsListsAndRemovesAWebhookWhoseSecretIsNeverShown() throws Exception {
    var added = call("POST", "/v1/webhooks", FakeServices.ADMIN, VALID);
    assertThat(added.status()).isEqualTo(201);
    String id = added.body().get("id").asText();
    assertThat(added.body().has("secret")).isFalse();
    assertThat(added.body().at("/events/0").asText()).isEqualTo("guardrail");
    var listed = call("GET", "/v1/webhooks", FakeServices.ADMIN, null);
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.raw().body()).contains(id).doesNotContain("s3cret");
    assertThat(call("DELETE", "/v1/webhooks/" + id, FakeServices.ADMIN, null).status())
        .isEqualTo(204);
    assertThat(call("DELETE", "/v1/webhooks/" + id, FakeServices.ADMIN, null).status())
        .isEqualTo(404);
  }

  @Test
  void onlyAnAdminManagesWebhooks() throws Exception {
    assertThat(call("POST", "/v1/webhooks", FakeServices.EXPERIMENTER, VALID).status())
        .isEqualTo(403);
    assertThat(call("GET", "/v1/webhooks", FakeServices.VIEWER, null).status()).isEqualTo(403);
    assertThat(call("POST", "/v1/webhooks", FakeServices.SDK, VALID).status()).isEqualTo(403);
    assertThat(call("POST", "/v1/webhooks", null, VALID).status()).isEqualTo(401);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not a url|{\"url\": \"hooks\", \"secret\": \"s\", \"events\": [\"guardrail\"]}|url|invalid_url",
        "ftp|{\"url\": \"ftp://h/x\", \"secret\": \"s\", \"events\": [\"guardrail\"]}|url|invalid_url",
        "no url|{\"secret\": \"s\", \"events\": [\"guardrail\"]}|url|missing_field",
        "empty secret|{\"url\": \"http://h/x\", \"secret\": \" \", \"events\": [\"guardrail\"]}|secret|invalid_value",
        "no events|{\"url\": \"http://h/x\", \"secret\": \"s\", \"events\": []}|events|missing_field",
        "unknown event|{\"url\": \"http://h/x\", \"secret\": \"s\", \"events\": [\"everything\"]}|events[0]|invalid_value",
        "unknown field|{\"url\": \"http://h/x\", \"secret\": \"s\", \"events\": [\"lifecycle\"], \"x\": 1}|x|unknown_field"
      })
  void invalidFieldsAre400NamingTheField(String name, String body, String field, String code)
      throws Exception {
    var reply = call("POST", "/v1/webhooks", FakeServices.ADMIN, body);
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/field").asText()).isEqualTo(field);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo(code);
  }

  @Test
  void tooLongAUrlOrSecretIs400() throws Exception {
    String url = "https://h/" + "a".repeat(WebhookService.MAX_URL_CHARS);
    var longUrl =
        call(
            "POST",
            "/v1/webhooks",
            FakeServices.ADMIN,
            "{\"url\": \"" + url + "\", \"secret\": \"s\", \"events\": [\"guardrail\"]}");
    assertThat(longUrl.body().at("/error/code").asText()).isEqualTo("too_long");
    var longSecret =
        call(
            "POST",
            "/v1/webhooks",
            FakeServices.ADMIN,
            "{\"url\": \"https://h/x\", \"secret\": \""
                + "s".repeat(WebhookService.MAX_SECRET_CHARS + 1)
                + "\", \"events\": [\"guardrail\"]}");
    assertThat(longSecret.body().at("/error/field").asText()).isEqualTo("secret");
  }

  @Test
  void moreThanTheMostWebhooksIsAConflict() throws Exception {
    int status = 201;
    for (int i = 0; i <= WebhookService.MAX_WEBHOOKS && status == 201; i++) {
      status = call("POST", "/v1/webhooks", FakeServices.ADMIN, VALID).status();
    }
    assertThat(status).isEqualTo(409);
  }
}
