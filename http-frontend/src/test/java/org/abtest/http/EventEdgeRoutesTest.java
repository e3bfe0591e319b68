package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.abtest.http.routes.TestEventLimits;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;

/** The events edge over HTTP: what a stranger sees for each limit. */
class EventEdgeRoutesTest extends RouteTestSupport {

  private static String event(String unit, String experiment, String variant) {
    return "{\"eventId\": \"e-"
        + unit.length()
        + "\", \"type\": \"exposure\", \"unit\": \""
        + unit
        + "\", \"experiment\": \""
        + experiment
        + "\", \"variant\": \""
        + variant
        + "\"}";
  }

  @Test
  void aMebibyteFieldIsListedAsRejectedWith202NotA503ThatWouldBeRetriedForever() throws Exception {
    String huge = "u".repeat(1024 * 1024);
    var reply =
        call(
            "POST",
            "/v1/events",
            FakeServices.SDK,
            "{\"events\": [" + event(huge, "x", "a") + "," + event("u-1", "x", "a") + "]}");
    assertThat(reply.status()).isEqualTo(202);
    assertThat(reply.body().get("accepted").asInt()).isEqualTo(1);
    assertThat(reply.body().at("/rejected/0/error/code").asText()).isEqualTo("too_long");
    assertThat(reply.body().at("/rejected/0/error/field").asText()).isEqualTo("unit");
  }

  @Test
  void aForgedVariantIsRejectedAndTheAssignedOneAccepted() throws Exception {
    var reply =
        call(
            "POST",
            "/v1/events",
            FakeServices.SDK,
            "{\"events\": ["
                + event("u-1", "x", "b")
                + ","
                + event("u-1", "x", "a")
                + ","
                + event("u-1", "nope", "a")
                + "]}");
    assertThat(reply.status()).isEqualTo(202);
    assertThat(reply.body().get("accepted").asInt()).isEqualTo(1);
    assertThat(reply.body().at("/rejected/0/error/code").asText()).isEqualTo("invalid_variant");
    assertThat(reply.body().at("/rejected/0/error/field").asText()).isEqualTo("variant");
    assertThat(reply.body().at("/rejected/1/error/code").asText()).isEqualTo("unknown_experiment");
  }

  @Test
  void aBodyOverTheSizeLimitIs413WithAJsonErrorWhetherDeclaredOrStreamed() throws Exception {
    long max = TestEventLimits.STANDARD.maxBodyBytes();
    String body = "{\"events\": [], \"pad\": \"" + "p".repeat((int) max) + "\"}";
    // Declared: the answer comes from the headers alone (a client writing the whole body at once
    // may see the close before the answer, so the request goes over a socket that sends none).
    String declared = headersOnly("/v1/events", FakeServices.SDK, max + 1);
    assertThat(declared).startsWith("HTTP/1.1 413 ");
    assertThat(
            Json.mapper()
                .readTree(declared.substring(declared.indexOf("\r\n\r\n") + 4))
                .at("/error/code")
                .asText())
        .isEqualTo("payload_too_large");
    // Streamed, the node answers 413 once the limit is passed and closes the connection without
    // reading the rest; a client still writing may see the close before the answer. Either way
    // nothing past the limit is read, and nothing is accepted.
    try {
      var streamed =
          client()
              .send(
                  HttpRequest.newBuilder(uri("/v1/events"))
                      .header("Authorization", "Bearer " + FakeServices.SDK)
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.fromPublisher(
                              HttpRequest.BodyPublishers.ofString(body)))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(streamed.statusCode()).isEqualTo(413);
      assertThat(Json.mapper().readTree(streamed.body()).at("/error/code").asText())
          .isEqualTo("payload_too_large");
    } catch (java.io.IOException closedWhileSending) {
      assertThat(closedWhileSending)
          .hasMessageFindingMatch("(?i)received no bytes|reset|closed|broken pipe");
    }
    String fits = "{\"events\": [], \"pad\": \"" + "p".repeat((int) max - 100) + "\"}";
    assertThat(call("POST", "/v1/events", FakeServices.SDK, fits).status()).isEqualTo(202);
  }

  @Test
  void anAssignmentForAnOverLongUnitIs400NamingUnitSoNoExposureIsSilentlyLost() throws Exception {
    String unit = "u".repeat(TestEventLimits.STANDARD.maxUnitLength() + 1);
    var post = call("POST", "/v1/assignments", FakeServices.SDK, "{\"unit\": \"" + unit + "\"}");
    assertThat(post.status()).isEqualTo(400);
    assertThat(post.body().at("/error/code").asText()).isEqualTo("too_long");
    assertThat(post.body().at("/error/field").asText()).isEqualTo("unit");
    var get = call("GET", "/v1/assignments?unit=" + unit, FakeServices.SDK, null);
    assertThat(get.status()).isEqualTo(400);
    assertThat(get.body().at("/error/field").asText()).isEqualTo("unit");
    String atLimit = "u".repeat(TestEventLimits.STANDARD.maxUnitLength());
    assertThat(
            call("POST", "/v1/assignments", FakeServices.SDK, "{\"unit\": \"" + atLimit + "\"}")
                .status())
        .isEqualTo(200);
  }

  @Test
  void anAssignmentWithOversizedAttributesOrALoneSurrogateIs400NamingTheField() throws Exception {
    String big = "s".repeat(TestEventLimits.STANDARD.maxAttributesBytes());
    var large =
        call(
            "POST",
            "/v1/assignments",
            FakeServices.SDK,
            "{\"unit\": \"u\", \"attributes\": {\"s\": \"" + big + "\"}}");
    assertThat(large.status()).isEqualTo(400);
    assertThat(large.body().at("/error/code").asText()).isEqualTo("attributes_too_large");
    assertThat(large.body().at("/error/field").asText()).isEqualTo("attributes");
    var lone = call("POST", "/v1/assignments", FakeServices.SDK, "{\"unit\": \"u\\ud800\"}");
    assertThat(lone.status()).isEqualTo(400);
    assertThat(lone.body().at("/error/code").asText()).isEqualTo("invalid_text");
    assertThat(lone.body().at("/error/field").asText()).isEqualTo("unit");
  }
}
