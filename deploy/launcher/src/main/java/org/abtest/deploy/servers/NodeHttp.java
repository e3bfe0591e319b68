package org.abtest.deploy.servers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's HTTP API over java.net.http, bodies as JSON strings (the launcher has no JSON library;
 * callers that have one parse {@link Reply#body}). Used by the demo, the node's readiness check,
 * the integration tests, the multi-JVM tests and the benchmarks.
 */
public final class NodeHttp {

  /** A reply: its status, body ("" when none) and {@code Retry-After} header (null when none). */
  public record Reply(int status, String body, String retryAfter) {

    /** A top-level string field of a flat reply, e.g. {@code "status"}; null when absent. */
    public String field(String name) {
      Matcher m =
          Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(body);
      return m.find() ? m.group(1) : null;
    }
  }

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI base;
  private final Duration timeout;

  /** Each request may take up to {@code timeout}. */
  public NodeHttp(URI base, Duration timeout) {
    this.base = base;
    this.timeout = timeout;
  }

  public NodeHttp(URI base) {
    this(base, Duration.ofSeconds(30));
  }

  public URI base() {
    return base;
  }

  /**
   * A JSON request; {@code token} (the Bearer credential) and {@code json} may be null, {@code
   * headers} are more name/value pairs.
   */
  public Reply send(String method, String path, String token, String json, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> response =
        CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(
        response.statusCode(),
        response.body(),
        response.headers().firstValue("Retry-After").orElse(null));
  }

  /** The status of a GET without a credential, -1 when the node does not answer. */
  public int status(String path) {
    try {
      return send("GET", path, null, null).status();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
