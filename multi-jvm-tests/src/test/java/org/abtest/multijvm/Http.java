package org.abtest.multijvm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.abtest.protocol.Json;

/** A small JSON client for one node; connection failures are status -1, never exceptions. */
final class Http {

  record Reply(int status, JsonNode body, String retryAfter) {}

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String base;

  Http(String base) {
    this.base = base;
  }

  Reply call(String method, String path, String token, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> response =
          CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = response.body().isBlank() ? null : parseOrNull(response.body());
      return new Reply(
          response.statusCode(), json, response.headers().firstValue("Retry-After").orElse(null));
    } catch (IOException e) {
      return new Reply(-1, null, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(-1, null, null);
    }
  }

  /**
   * A plain-text GET without a credential ({@code /metrics}); null when the node does not answer.
   */
  String text(String path) {
    try {
      HttpResponse<String> response =
          CLIENT.send(
              HttpRequest.newBuilder(URI.create(base + path))
                  .timeout(Duration.ofSeconds(20))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Whether this node assigns {@code unit} to experiment {@code key} (without an exposure). */
  boolean assigns(String unit, String key) {
    Reply reply =
        call(
            "POST", "/v1/assignments", NodeJvm.SDK, "{\"unit\": \"" + unit + "\", \"log\": false}");
    if (reply.status() != 200 || reply.body() == null) {
      return false;
    }
    for (JsonNode a : reply.body().path("assignments")) {
      if (key.equals(a.path("experiment").asText())) {
        return true;
      }
    }
    return false;
  }

  /** Creates the fault tests' experiment {@code key} and starts it; fails the test otherwise. */
  void createAndStart(String key) {
    Reply created = call("POST", "/v1/experiments", NodeJvm.ADMIN, EventLoad.experimentJson(key));
    if (created.status() != 201) {
      throw new AssertionError("create " + key + ": " + created.status() + " " + created.body());
    }
    int started = status("POST", "/v1/experiments/" + key + "/start", NodeJvm.ADMIN, null);
    if (started != 200) {
      throw new AssertionError("start " + key + ": " + started);
    }
  }

  int status(String method, String path, String token, String body) {
    return call(method, path, token, body).status();
  }

  private static JsonNode parseOrNull(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (IOException e) {
      return null;
    }
  }
}
