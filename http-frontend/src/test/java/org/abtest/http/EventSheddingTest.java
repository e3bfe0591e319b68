package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.abtest.http.ports.LoadShedding;
import org.abtest.protocol.Json;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventSheddingTest {

  private static final FakeServices fakes = new FakeServices();
  private static final ApiServices services = fakes.services();
  private static final HttpClient client = HttpClient.newHttpClient();
  private static volatile boolean shedding;
  private static ActorTestKit testKit;
  private static ServerBinding binding;

  private static final LoadShedding SWITCH =
      new LoadShedding() {
        @Override
        public boolean sheddingEvents() {
          return shedding;
        }

        @Override
        public Duration retryAfter() {
          return Duration.ofMillis(2500);
        }

        @Override
        public Map<String, Object> detail() {
          return Map.of("pressure", shedding ? 0.9 : 0.4);
        }
      };

  @BeforeAll
  static void bind() throws Exception {
    testKit = ActorTestKit.create();
    binding =
        Http.get(testKit.system())
            .newServerAt("127.0.0.1", 0)
            .bind(new ApiRoutes(services, SWITCH).handler(testKit.system()))
            .toCompletableFuture()
            .get();
  }

  @AfterAll
  static void unbind() {
    binding.unbind();
    testKit.shutdownTestKit();
  }

  @AfterEach
  void stopShedding() {
    shedding = false;
  }

  @Test
  void whileSheddingAnEventBatchIs503OverloadedWithRetryAfterAndIsNotPublished() throws Exception {
    shedding = true;
    var reply = post("/v1/events", FakeServices.SDK, batch("shed-", 1000));
    assertThat(reply.statusCode()).isEqualTo(503);
    assertThat(reply.headers().firstValue("Retry-After")).hasValue("3");
    JsonNode body = Json.mapper().readTree(reply.body());
    assertThat(body.at("/error/code").asText()).isEqualTo("overloaded");
    assertThat(body.at("/error/message").asText()).contains("Retry-After");
    synchronized (fakes.published) {
      assertThat(fakes.published).noneMatch(e -> e.eventId().startsWith("shed-"));
    }
  }

  @Test
  void aShedRequestIsCountedAndAnAcceptedOneIsNot() throws Exception {
    double before = shedCount();
    shedding = true;
    post("/v1/events", FakeServices.SDK, batch("c-", 2));
    shedding = false;
    assertThat(post("/v1/events", FakeServices.SDK, batch("d-", 2)).statusCode()).isEqualTo(202);
    assertThat(shedCount()).isEqualTo(before + 1);
  }

  @Test
  void eventsAreAcceptedAgainOncePressureHasFallen() throws Exception {
    shedding = true;
    assertThat(post("/v1/events", FakeServices.SDK, batch("a-", 3)).statusCode()).isEqualTo(503);
    shedding = false;
    var reply = post("/v1/events", FakeServices.SDK, batch("b-", 3));
    assertThat(reply.statusCode()).isEqualTo(202);
    synchronized (fakes.published) {
      assertThat(fakes.published).filteredOn(e -> e.eventId().startsWith("b-")).hasSize(3);
    }
  }

  @Test
  void assignmentsAnswerWhileEventsAreShed() throws Exception {
    shedding = true;
    var reply = post("/v1/assignments", FakeServices.SDK, "{\"unit\": \"user-1\"}");
    assertThat(reply.statusCode()).isEqualTo(200);
  }

  @Test
  void theNodeStaysReadyAndReportsTheEventsPathAsShedding() throws Exception {
    shedding = true;
    var reply = get("/health/ready");
    assertThat(reply.statusCode()).isEqualTo(200);
    JsonNode body = Json.mapper().readTree(reply.body());
    assertThat(body.get("status").asText()).isEqualTo("ready");
    assertThat(body.at("/checks/assignment").asText()).isEqualTo("ok");
    assertThat(body.at("/checks/events").asText()).isEqualTo("shedding");
    assertThat(body.at("/memory/pressure").asDouble()).isEqualTo(0.9);
    shedding = false;
    assertThat(Json.mapper().readTree(get("/health/ready").body()).at("/checks/events").asText())
        .isEqualTo("ok");
  }

  @Test
  void otherEventsRequestsAreNotTheGuardsBusiness() throws Exception {
    shedding = true;
    var reply = get("/v1/events");
    assertThat(reply.statusCode()).isNotEqualTo(503);
  }

  private static double shedCount() {
    return services.registry().scrape().stream()
        .filter(m -> m instanceof CounterSnapshot)
        .filter(m -> m.getMetadata().getName().equals("abtest_events_shed"))
        .flatMap(m -> ((CounterSnapshot) m).getDataPoints().stream())
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
        .sum();
  }

  private static String batch(String prefix, int n) {
    StringBuilder events = new StringBuilder("{\"events\": [");
    for (int i = 0; i < n; i++) {
      events
          .append(i == 0 ? "" : ",")
          .append("{\"eventId\": \"")
          .append(prefix)
          .append(i)
          .append("\", \"type\": \"metric\", \"unit\": \"unit-")
          .append(i)
          .append("\", \"event\": \"purchase\", \"value\": 1.5}");
    }
    return events.append("]}").toString();
  }

  private static HttpResponse<String> post(String path, String token, String body)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path);
  }
}
