package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abtest.http.ports.ManifestService;
import org.abtest.http.routes.ManifestRoutes;
import org.abtest.protocol.Json;
import org.abtest.protocol.manifest.Manifest;
import org.junit.jupiter.api.Test;

class ManifestAndOverrideRoutesTest extends RouteTestSupport {

  private static ManifestService.Served served(long version) throws Exception {
    Manifest m = new Manifest(version, List.of(), Map.of("checkout", "s"), null);
    return new ManifestService.Served(version, Json.mapper().writeValueAsBytes(m));
  }

  @Test
  void manifestCarriesItsVersionAsETagAndAnswers304WhenUnchanged() throws Exception {
    fakes.manifest = served(17);
    var first = call("GET", "/v1/manifest", FakeServices.SDK, null);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body().get("version").asLong()).isEqualTo(17);
    assertThat(first.raw().headers().firstValue("ETag")).contains("\"17\"");

    var again = callWith("/v1/manifest", "If-None-Match", "\"17\"");
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();

    fakes.manifest = served(18);
    var changed = callWith("/v1/manifest", "If-None-Match", "\"17\"");
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.headers().firstValue("ETag")).contains("\"18\"");
  }

  @Test
  void manifestBeforeTheFirstOneIsTheEmptyManifest() throws Exception {
    fakes.manifest = null;
    var reply = call("GET", "/v1/manifest", FakeServices.ADMIN, null);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("version").asLong()).isZero();
    assertThat(reply.body().get("experiments")).isEmpty();
  }

  @Test
  void manifestNeedsACredential() throws Exception {
    assertThat(call("GET", "/v1/manifest", null, null).status()).isEqualTo(401);
    assertThat(call("GET", "/v1/manifest", FakeServices.VIEWER, null).status()).isEqualTo(200);
  }

  @Test
  void streamPushesEachNewManifestAsAnEvent() throws Exception {
    fakes.manifest = served(20);
    HttpRequest request =
        HttpRequest.newBuilder(uri("/v1/manifest/stream"))
            .header("Authorization", "Bearer " + FakeServices.SDK)
            .build();
    HttpResponse<java.io.InputStream> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .contains("text/event-stream");
    List<String> ids = new ArrayList<>();
    try (var reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null && ids.size() < 2) {
        if (line.startsWith("id:")) {
          ids.add(line.substring(3).trim());
          if (ids.size() == 1) {
            fakes.manifest = served(21);
          }
        }
        if (line.startsWith("data:")) {
          assertThat(Json.mapper().readTree(line.substring(5)).has("version")).isTrue();
        }
      }
    }
    assertThat(ids).containsExactly("20", "21");
  }

  @Test
  void requestOverridesAreHonouredForAdminsOnly() throws Exception {
    String body = "{\"unit\": \"u\", \"overrides\": {\"exp\": \"blue\"}, \"log\": false}";
    var admin = call("POST", "/v1/assignments", FakeServices.ADMIN, body);
    assertThat(admin.status()).isEqualTo(200);
    assertThat(admin.body().at("/assignments/0/variant").asText()).isEqualTo("blue");
    var sdk = call("POST", "/v1/assignments", FakeServices.SDK, body);
    assertThat(sdk.body().at("/assignments/0/variant").asText()).isEqualTo("green");
    assertThat(fakes.lastOverrides).isEmpty();
  }

  @Test
  void malformedOverridesAre400NamingTheField() throws Exception {
    var reply =
        call(
            "POST",
            "/v1/assignments",
            FakeServices.ADMIN,
            "{\"unit\": \"u\", \"overrides\": {\"exp\": 3}}");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/field").asText()).isEqualTo("overrides.exp");
  }

  @Test
  void ifNoneMatchAcceptsListsWeakTagsAndStar() {
    assertThat(callMatches("\"3\", W/\"17\"", "\"17\"")).isTrue();
    assertThat(callMatches("*", "\"17\"")).isTrue();
    assertThat(callMatches("\"16\"", "\"17\"")).isFalse();
  }

  private static boolean callMatches(String header, String etag) {
    return ManifestRoutes.matches(header, etag);
  }

  private static HttpResponse<String> callWith(String path, String header, String value)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + FakeServices.SDK)
                .header(header, value)
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
