package org.abtest.multijvm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.abtest.deploy.servers.NodeHttp;
import org.abtest.protocol.Json;

/**
 * A small JSON client for one node over deploy's {@link NodeHttp}; connection failures are status
 * -1, never exceptions.
 */
final class Http {

  record Reply(int status, JsonNode body, String retryAfter) {}

  private final NodeHttp http;

  Http(String base) {
    this.http = new NodeHttp(URI.create(base), Duration.ofSeconds(20));
  }

  Reply call(String method, String path, String token, String body, String... headers) {
    try {
      NodeHttp.Reply reply = http.send(method, path, token, body, headers);
      JsonNode json = reply.body().isBlank() ? null : parseOrNull(reply.body());
      return new Reply(reply.status(), json, reply.retryAfter());
    } catch (IOException e) {
      return new Reply(-1, null, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(-1, null, null);
    }
  }

  /** A plain-text GET ({@code /metrics}), {@code token} may be null; null unless it answers 200. */
  String text(String path, String token) {
    try {
      NodeHttp.Reply reply = http.send("GET", path, token, null);
      return reply.status() == 200 ? reply.body() : null;
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
