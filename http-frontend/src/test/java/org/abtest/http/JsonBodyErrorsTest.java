package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.abtest.protocol.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bodies that are not the JSON they claim to be, on every tree-parsed endpoint: 400 in our own
 * words, naming the field where one is known, and never the parser's text.
 */
class JsonBodyErrorsTest extends RouteTestSupport {

  private static final String[] LIBRARY_WORDS = {
    "StreamReadFeature",
    "Jackson",
    "JsonParser",
    "Unexpected character",
    "CoercionConfig",
    "Cannot "
  };

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/v1/experiments",
        "/v1/layers",
        "/v1/tokens",
        "/v1/sdk-keys",
        "/v1/analysis",
        "/v1/power"
      })
  void aLoneSurrogateInAValueIsInvalidTextNamingTheField(String path) throws Exception {
    var reply = call("POST", path, FakeServices.ADMIN, "{\"name\": \"x\\ud800\"}");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("invalid_text");
    assertThat(reply.body().at("/error/field").asText()).isEqualTo("name");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/v1/experiments", "/v1/tokens", "/v1/analysis"})
  void aLoneSurrogateDeepInsideIsInvalidTextNamingItsPath(String path) throws Exception {
    String body = "{\"variants\": [{\"key\": \"a\"}, {\"config\": {\"c\": \"\\udc00\"}}]}";
    var reply = call("POST", path, FakeServices.ADMIN, body);
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("invalid_text");
    assertThat(reply.body().at("/error/field").asText()).isEqualTo("variants[1].config.c");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/v1/tokens", "/v1/power"})
  void aLoneSurrogateInAFieldNameIsInvalidTextNamingItsObject(String path) throws Exception {
    var reply = call("POST", path, FakeServices.ADMIN, "{\"o\": {\"\\ud800\": 1}}");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("invalid_text");
    assertThat(reply.body().at("/error/field").asText()).isEqualTo("o");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/v1/tokens", "/v1/power"})
  void aPairedSurrogateIsText(String path) throws Exception {
    var reply = call("POST", path, FakeServices.VIEWER, "{\"name\": \"\\ud83d\\ude00\"}");
    assertThat(reply.body().at("/error/code").asText()).isNotEqualTo("invalid_text");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/v1/experiments", "/v1/tokens", "/v1/power"})
  void invalidUtf8BytesAreInvalidText(String path) throws Exception {
    byte[] body = {'{', '"', 'n', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    HttpResponse<String> response =
        client()
            .send(
                HttpRequest.newBuilder(uri(path))
                    .header("Authorization", "Bearer " + FakeServices.ADMIN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(Json.mapper().readTree(response.body()).at("/error/code").asText())
        .isEqualTo("invalid_text");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"a\": 1,, \"b\": 2}|a doubled comma",
        "{\"a\": tru}|a misspelt literal",
        "{\"a\": 1|a body cut short",
        "{\"a\": 1} {\"b\": 2}|content after the value",
        "[1, 2]|an array",
        "\"text\"|a string",
        "{'a': 1}|single quotes",
        "{\"a\": NaN}|NaN",
        "{\"a\": 01}|a leading zero"
      })
  void malformedJsonIs400InOurWords(String body, String what) throws Exception {
    for (String path : new String[] {"/v1/experiments", "/v1/tokens", "/v1/analysis/bandit"}) {
      var reply = call("POST", path, FakeServices.ADMIN, body);
      assertThat(reply.status()).as(path).isEqualTo(400);
      assertThat(reply.body().at("/error/code").asText()).as(path).isEqualTo("malformed_json");
      assertThat(reply.body().at("/error/message").asText()).as(path).doesNotContain(LIBRARY_WORDS);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/v1/tokens", "/v1/power"})
  void aDuplicateFieldIsRefusedNamingIt(String path) throws Exception {
    var reply =
        call("POST", path, FakeServices.ADMIN, "{\"role\": \"viewer\", \"role\": \"admin\"}");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("duplicate_field");
    assertThat(reply.body().at("/error/field").asText()).isEqualTo("role");
  }
}
