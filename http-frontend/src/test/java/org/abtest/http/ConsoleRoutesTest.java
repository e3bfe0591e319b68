package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsoleRoutesTest extends RouteTestSupport {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "/console, text/html",
    "/console/, text/html",
    "/console/console.css, text/css",
    "/console/js/app.js, application/javascript",
    "/console/vendor/uplot/dist/uPlot.esm.js, application/javascript",
    "/console/vendor/uplot/dist/uPlot.min.css, text/css"
  })
  void assetsAreServedWithoutACredentialAndTheirContentType(String path, String type)
      throws Exception {
    var reply = call("GET", path, null, null);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.raw().headers().firstValue("Content-Type"))
        .hasValueSatisfying(value -> assertThat(value).startsWith(type));
    assertThat(reply.raw().body()).isNotEmpty();
  }

  @Test
  void theIndexLoadsTheAppAsAModule() throws Exception {
    var reply = call("GET", "/console/", null, null);
    assertThat(reply.raw().body()).contains("<script type=\"module\" src=\"/console/js/app.js\">");
    assertThat(reply.raw().headers().firstValue("Content-Type"))
        .hasValueSatisfying(value -> assertThat(value).contains("charset=UTF-8"));
  }

  @Test
  void ownFilesAreRevalidatedAndTheWebJarIsCached() throws Exception {
    assertThat(
            call("GET", "/console/js/app.js", null, null)
                .raw()
                .headers()
                .firstValue("Cache-Control"))
        .hasValue("no-cache");
    assertThat(
            call("GET", "/console/vendor/uplot/dist/uPlot.esm.js", null, null)
                .raw()
                .headers()
                .firstValue("Cache-Control"))
        .hasValueSatisfying(value -> assertThat(value).contains("max-age="));
  }

  @Test
  void anUnknownAssetIs404WithTheJsonErrorBody() throws Exception {
    var reply = call("GET", "/console/js/nope.js", null, null);
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("not_found");
    assertThat(call("GET", "/console/vendor/uplot/nope.js", null, null).status()).isEqualTo(404);
    assertThat(call("GET", "/console/../pom.xml", null, null).status()).isEqualTo(404);
    assertThat(call("GET", "/console/js/", null, null).status()).isEqualTo(404);
    assertThat(call("GET", "/console/vendor/uplot/", null, null).status()).isEqualTo(404);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"/console/js/app.js", "/console/vendor/uplot/dist/uPlot.esm.js"})
  void aFailedIfMatchOnAnAssetIs412WithTheJsonErrorBody(String path) throws Exception {
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(uri(path)).header("If-Match", "\"1\"").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(412);
    assertThat(
            org.abtest.protocol.Json.mapper().readTree(response.body()).at("/error/code").asText())
        .isEqualTo("precondition_failed");
  }

  @Test
  void meTellsTheRoleOfTheCredential() throws Exception {
    assertThat(call("GET", "/v1/me", FakeServices.ADMIN, null).body().get("role").asText())
        .isEqualTo("admin");
    assertThat(call("GET", "/v1/me", FakeServices.VIEWER, null).body().get("role").asText())
        .isEqualTo("viewer");
    assertThat(call("GET", "/v1/me", FakeServices.SDK, null).body().get("role").asText())
        .isEqualTo("sdk");
    assertThat(call("GET", "/v1/me", null, null).status()).isEqualTo(401);
    assertThat(call("GET", "/v1/me", "wrong", null).status()).isEqualTo(401);
  }
}
