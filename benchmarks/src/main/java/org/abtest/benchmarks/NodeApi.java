package org.abtest.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.abtest.protocol.Json;

/**
 * The HTTP calls the events load tools make against a running node (deploy/run-local.sh), on {@code
 * ABTEST_HTTP_PORT} (default 8080) with ABTEST_ADMIN_TOKEN and ABTEST_SDK_KEY.
 */
final class NodeApi {

  /** What {@code POST /v1/events} answered: the status and, for a 202, the reply. */
  record EventsReply(int status, JsonNode body) {
    long accepted() {
      return body.path("accepted").asLong();
    }

    long rejected() {
      return body.path("rejected").size();
    }
  }

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  final String base;
  final String admin;
  final String sdk;

  NodeApi(String base, String admin, String sdk) {
    this.base = base;
    this.admin = admin;
    this.sdk = sdk;
  }

  static NodeApi fromEnvironment() {
    return new NodeApi(
        "http://127.0.0.1:" + System.getenv().getOrDefault("ABTEST_HTTP_PORT", "8080"),
        System.getenv("ABTEST_ADMIN_TOKEN"),
        System.getenv("ABTEST_SDK_KEY"));
  }

  /**
   * Creates and starts a 50/50 experiment with a mean metric on "purchase"; returns its salt, from
   * which the load computes each unit's variant (the node refuses exposures to any other).
   */
  String createStarted(String key) throws InterruptedException {
    String definition =
        """
        {"key": "%s", "variants": [{"key": "a", "weight": 5000}, {"key": "b", "weight": 5000}],
         "metrics": [{"key": "buy", "event": "purchase", "kind": "mean"}]}"""
            .formatted(key);
    // A node just ready on a loaded machine answered the first admin write with 503 (its journal
    // did not answer in time): retried, as a client would. A create that did land answers 409.
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      try {
        call("POST", "/v1/experiments", admin, definition);
        break;
      } catch (IllegalStateException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains(" answered 409")) {
          break;
        }
        if (!message.contains(" answered 503") || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(1000);
      }
    }
    call("POST", "/v1/experiments/" + key + "/start", admin, null);
    return call("GET", "/v1/experiments/" + key, admin, null).path("salt").asText();
  }

  /**
   * Waits until the manifest the node serves holds every key: exposures to an experiment it does
   * not hold yet are refused by design.
   */
  void awaitManifest(List<String> keys) throws InterruptedException {
    long asked = System.nanoTime();
    while (!manifestHas(keys)) {
      if (System.nanoTime() - asked > Duration.ofSeconds(60).toNanos()) {
        throw new IllegalStateException("the experiments did not reach the manifest in 60 s");
      }
      Thread.sleep(50);
    }
    System.out.printf(
        "manifest: %d experiments after %d ms%n",
        keys.size(), (System.nanoTime() - asked) / 1_000_000);
  }

  private boolean manifestHas(List<String> keys) {
    String manifest = call("GET", "/v1/manifest", sdk, null).toString();
    return keys.stream().allMatch(key -> manifest.contains("\"" + key + "\""));
  }

  /** The experiment's units in its results, or 0 while they answer 503 (a busy aggregator). */
  long unitsOrZero(String key) {
    try {
      return units(key);
    } catch (IllegalStateException e) {
      if (String.valueOf(e.getMessage()).contains(" answered 503")) {
        return 0;
      }
      throw e;
    }
  }

  long units(String key) {
    long total = 0;
    for (JsonNode v :
        call("GET", "/v1/experiments/" + key + "/results", admin, null).path("variants")) {
      total += v.path("units").asLong();
    }
    return total;
  }

  /** One batch of events; a 503 (shedding, or Kafka away) is an answer, not an error. */
  EventsReply postEvents(byte[] body) {
    HttpResponse<byte[]> reply =
        exchange(
            HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + sdk)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    if (reply.statusCode() == 503) {
      return new EventsReply(503, Json.mapper().createObjectNode());
    }
    return new EventsReply(reply.statusCode(), checked("POST /v1/events", reply));
  }

  /** The raw text of an unauthenticated GET ({@code /metrics}, {@code /health/ready}). */
  String text(String path) {
    HttpResponse<byte[]> reply =
        exchange(
            HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build());
    return new String(reply.body(), StandardCharsets.UTF_8);
  }

  JsonNode call(String method, String path, String token, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    return checked(method + " " + path, exchange(request));
  }

  private static JsonNode checked(String what, HttpResponse<byte[]> reply) {
    if (reply.statusCode() >= 300) {
      throw new IllegalStateException(
          what
              + " answered "
              + reply.statusCode()
              + ": "
              + new String(reply.body(), StandardCharsets.UTF_8));
    }
    try {
      return reply.body().length == 0
          ? Json.mapper().createObjectNode()
          : Json.mapper().readTree(reply.body());
    } catch (IOException e) {
      throw new IllegalStateException(what + ": unreadable reply", e);
    }
  }

  private static HttpResponse<byte[]> exchange(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(request.method() + " " + request.uri() + " interrupted", e);
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
    }
  }
}
