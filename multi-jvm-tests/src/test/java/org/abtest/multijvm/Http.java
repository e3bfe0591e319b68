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
