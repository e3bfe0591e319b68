package org.abtest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.abtest.http.limits.EdgeSettings;
import org.abtest.protocol.Json;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;

/** The real routes with the given {@code abtest.http} limits, bound on an ephemeral port. */
final class EdgeTestServer implements AutoCloseable {

  /** The node's keys with small numbers, so that a test reaches every limit quickly. */
  static final String SMALL_LIMITS =
      """
      rate-limits {
        sdk-key-per-second = 5
        admin-per-second = 50
        anonymous-per-second = 3
        burst-seconds = 1
        max-per-second = 1000
        memory-budget = 1MiB
        forwarded-hops = 1
      }
      streams {
        per-node = 4
        manifest-per-credential = 2
        results-per-credential = 2
        retry-after = 7s
        heartbeat = 100ms
      }
      """;

  record Reply(int status, JsonNode body, HttpResponse<String> raw) {}

  /** The rate limits' clock: it stands still unless a test moves it. */
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  final FakeServices fakes = new FakeServices();
  final ApiServices services;
  private final ServerBinding binding;
  private final HttpClient client = HttpClient.newHttpClient();

  EdgeTestServer(ActorTestKit testKit, String limits) throws Exception {
    this(testKit, limits, UnaryOperator.identity());
  }

  /** With some of the fake ports replaced ({@code s -> s.withAssignments(...)}). */
  EdgeTestServer(ActorTestKit testKit, String limits, UnaryOperator<ApiServices> wiring)
      throws Exception {
    services = wiring.apply(fakes.services());
    EdgeSettings settings = EdgeSettings.fromConfig(ConfigFactory.parseString(limits));
    binding =
        Http.get(testKit.system())
            .newServerAt("127.0.0.1", 0)
            .bind(new ApiRoutes(services, settings, nanos::get).handler(testKit.system()))
            .toCompletableFuture()
            .get();
  }

  int port() {
    return binding.localAddress().getPort();
  }

  HttpClient client() {
    return client;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  Reply call(String method, String path, String token, String body, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json =
        response.headers().firstValue("Content-Type").orElse("").contains("json")
                && !response.body().isEmpty()
            ? Json.mapper().readTree(response.body())
            : null;
    return new Reply(response.statusCode(), json, response);
  }

  @Override
  public void close() {
    binding.unbind().toCompletableFuture().join();
  }
}
