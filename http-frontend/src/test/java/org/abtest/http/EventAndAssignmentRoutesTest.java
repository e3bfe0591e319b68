package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;

class EventAndAssignmentRoutesTest extends RouteTestSupport {

  @Test
  void goodEventsAreAcceptedAndBadOnesListedByIndex() throws Exception {
    String body =
        """
        {"events": [
          {"eventId": "e-1", "type": "exposure", "unit": "u1", "experiment": "x", "variant": "a", "ts": "2026-11-22T10:00:00Z"},
          {"eventId": "e-2", "type": "metric", "unit": "u1", "event": "purchase", "value": 12.5},
          {"eventId": "e-3", "type": "metric", "event": "purchase"},
          {"eventId": "e-4", "type": "click", "unit": "u1"},
          {"eventId": "e-5", "type": "exposure", "unit": "u1", "experiment": "x", "variant": "a", "ts": "yesterday"}
        ]}
        """;
    var reply = call("POST", "/v1/events", FakeServices.SDK, body);
    assertThat(reply.status()).isEqualTo(202);
    assertThat(reply.body().get("accepted").asInt()).isEqualTo(2);
    var rejected = reply.body().get("rejected");
    assertThat(rejected).hasSize(3);
    assertThat(rejected.get(0).get("index").asInt()).isEqualTo(2);
    assertThat(rejected.get(0).at("/error/field").asText()).isEqualTo("unit");
    assertThat(rejected.get(1).at("/error/field").asText()).isEqualTo("type");
    assertThat(rejected.get(2).at("/error/code").asText()).isEqualTo("invalid_timestamp");
    synchronized (fakes.published) {
      assertThat(fakes.published).extracting(e -> e.eventId()).contains("e-1", "e-2");
    }
  }

  @Test
  void aBatchOverAThousandIs400() throws Exception {
    var events = new StringBuilder("{\"events\": [");
    for (int i = 0; i < 1001; i++) {
      events.append(i == 0 ? "" : ",").append("{\"eventId\": \"e").append(i).append("\"}");
    }
    var reply = call("POST", "/v1/events", FakeServices.SDK, events.append("]}").toString());
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("batch_too_large");
  }

  @Test
  void kafkaUnavailableIs503WithRetryAfter() throws Exception {
    fakes.kafkaDown = true;
    try {
      var reply =
          call(
              "POST",
              "/v1/events",
              FakeServices.SDK,
              "{\"events\": [{\"eventId\": \"k\", \"type\": \"metric\", \"unit\": \"u\", \"event\": \"e\"}]}");
      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.raw().headers().firstValue("Retry-After")).isPresent();
    } finally {
      fakes.kafkaDown = false;
    }
  }

  @Test
  void viewersMayNotSendEvents() throws Exception {
    var reply = call("POST", "/v1/events", FakeServices.VIEWER, "{\"events\": []}");
    assertThat(reply.status()).isEqualTo(403);
  }

  @Test
  void assignmentsByPostAndByGetAnswerTheSameShape() throws Exception {
    var post =
        call(
            "POST",
            "/v1/assignments",
            FakeServices.SDK,
            "{\"unit\": \"user-42\", \"attributes\": {\"country\": \"US\"}}");
    assertThat(post.status()).isEqualTo(200);
    assertThat(post.body().get("unit").asText()).isEqualTo("user-42");
    assertThat(post.body().get("manifestVersion").asLong()).isEqualTo(7);
    assertThat(post.body().at("/assignments/0/variant").asText()).isEqualTo("green");
    var get =
        call("GET", "/v1/assignments?unit=user-42&country=US&log=false", FakeServices.SDK, null);
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.body()).isEqualTo(post.body());
  }

  @Test
  void aStreamedAssignmentBodyTakesTheRouteAndAnswersTheSame() throws Exception {
    String body = "{\"unit\": \"user-42\", \"attributes\": {\"country\": \"US\"}}";
    var strict = call("POST", "/v1/assignments", FakeServices.SDK, body);
    // A publisher of unknown length makes the client send the body chunked: a streamed entity,
    // which the direct path leaves to the routing tree.
    var chunked =
        client()
            .send(
                HttpRequest.newBuilder(uri("/v1/assignments"))
                    .header("Authorization", "Bearer " + FakeServices.SDK)
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofString(body)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(200);
    assertThat(Json.mapper().readTree(chunked.body())).isEqualTo(strict.body());
  }

  @Test
  void assignmentsRefuseMissingCredentialsAndBadBodiesWithJsonErrors() throws Exception {
    assertThat(call("POST", "/v1/assignments", null, "{\"unit\": \"u\"}").status()).isEqualTo(401);
    assertThat(call("POST", "/v1/assignments", "not-a-key", "{\"unit\": \"u\"}").status())
        .isEqualTo(401);
    var malformed = call("POST", "/v1/assignments", FakeServices.SDK, "{\"unit\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.body().at("/error/code").asText()).isEqualTo("malformed_json");
    var notObject = call("POST", "/v1/assignments", FakeServices.SDK, "[1]");
    assertThat(notObject.status()).isEqualTo(400);
    var badLog = call("POST", "/v1/assignments", FakeServices.SDK, "{\"unit\": \"u\", \"log\": 1}");
    assertThat(badLog.body().at("/error/field").asText()).isEqualTo("log");
    var badAttributes =
        call("POST", "/v1/assignments", FakeServices.SDK, "{\"unit\": \"u\", \"attributes\": 3}");
    assertThat(badAttributes.body().at("/error/field").asText()).isEqualTo("attributes");
  }

  @Test
  void assignmentWithoutAUnitIs400() throws Exception {
    var reply = call("POST", "/v1/assignments", FakeServices.SDK, "{\"attributes\": {}}");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/field").asText()).isEqualTo("unit");
    assertThat(call("GET", "/v1/assignments", FakeServices.SDK, null).status()).isEqualTo(400);
  }

  @Test
  void readinessIs503WithTheReasonWhenADependencyIsDown() throws Exception {
    assertThat(call("GET", "/health/alive", null, null).status()).isEqualTo(200);
    assertThat(call("GET", "/health/ready", null, null).status()).isEqualTo(200);
    fakes.ready = false;
    try {
      var reply = call("GET", "/health/ready", null, null);
      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.body().get("reasons").get(0).asText()).contains("kafka");
    } finally {
      fakes.ready = true;
    }
  }

  @Test
  void metricsCountRequestsInPrometheusTextFormat() throws Exception {
    call("GET", "/health/alive", null, null);
    var reply = call("GET", "/metrics", null, null);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.raw().headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/plain");
    assertThat(reply.raw().body())
        .contains("abtest_http_requests_total{method=\"GET\",resource=\"health\",status=\"200\"}");
  }
}
