package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.abtest.protocol.Json;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** pekko-http's own request timeout answers the API's error body too, not its text/plain. */
class RequestTimeoutTest {

  private static ActorTestKit testKit;
  private static ServerBinding binding;

  @BeforeAll
  static void bind() throws Exception {
    testKit =
        ActorTestKit.create(
            ConfigFactory.parseString("pekko.http.server.request-timeout = 300ms")
                .withFallback(ConfigFactory.load()));
    // a calculator that never answers
    ApiServices stuck =
        new FakeServices().services().withAnalysis((operation, body) -> new CompletableFuture<>());
    binding =
        Http.get(testKit.system())
            .newServerAt("127.0.0.1", 0)
            .bind(new ApiRoutes(stuck).handler(testKit.system()))
            .toCompletableFuture()
            .get();
  }

  @AfterAll
  static void unbind() {
    binding.unbind();
    testKit.shutdownTestKit();
  }

  @Test
  void aRequestPastTheServersTimeoutIs503WithTheJsonErrorAndRetryAfter() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + binding.localAddress().getPort() + "/v1/power"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + FakeServices.VIEWER)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).contains("application/json"));
    assertThat(response.headers().firstValue("Retry-After")).isPresent();
    assertThat(Json.mapper().readTree(response.body()).at("/error/code").asText())
        .isEqualTo("unavailable");
  }
}
