package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.http.ports.ReadinessCheck;
import org.abtest.http.routes.HealthRoutes;
import org.abtest.protocol.Json;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A partition refused by its snapshot restore is named in /health/ready, which stays 200. */
class HealthRefusedPartitionsTest {

  private static volatile Map<Integer, String> refused = Map.of();
  private static ActorTestKit testKit;
  private static ServerBinding binding;

  private static final ReadinessCheck READY =
      new ReadinessCheck() {
        @Override
        public CompletionStage<Readiness> check() {
          return CompletableFuture.completedFuture(new Readiness(true, List.of()));
        }

        @Override
        public Map<Integer, String> refusedPartitions() {
          return refused;
        }
      };

  @BeforeAll
  static void bind() throws Exception {
    testKit = ActorTestKit.create();
    binding =
        Http.get(testKit.system())
            .newServerAt("127.0.0.1", 0)
            .bind(new HealthRoutes(READY).route())
            .toCompletableFuture()
            .get();
  }

  @AfterAll
  static void unbind() {
    binding.unbind();
    testKit.shutdownTestKit();
  }

  private static HttpResponse<String> ready() throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + binding.localAddress().getPort() + "/health/ready"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void refusedPartitionsAreNamedWithTheirReasonAndLeaveTheNodeReady() throws Exception {
    refused = Map.of(2, "snapshot unreadable and the log starts at 1", 7, "another reason");
    HttpResponse<String> reply = ready();
    assertThat(reply.statusCode()).isEqualTo(200);
    JsonNode body = Json.mapper().readTree(reply.body());
    assertThat(body.get("status").asText()).isEqualTo("ready");
    assertThat(body.at("/checks/ingestion").asText()).isEqualTo("refused_partitions");
    assertThat(body.at("/refusedPartitions/2").asText())
        .isEqualTo("snapshot unreadable and the log starts at 1");
    assertThat(body.get("refusedPartitions").size()).isEqualTo(2);
  }

  @Test
  void withoutRefusalsIngestionIsOkAndNothingIsListed() throws Exception {
    refused = Map.of();
    JsonNode body = Json.mapper().readTree(ready().body());
    assertThat(body.at("/checks/ingestion").asText()).isEqualTo("ok");
    assertThat(body.has("refusedPartitions")).isFalse();
  }
}
