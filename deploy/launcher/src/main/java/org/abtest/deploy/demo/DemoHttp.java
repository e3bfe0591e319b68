package org.abtest.deploy.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The few calls the demo makes, as JSON strings over java.net.http (the launcher has no JSON). */
final class DemoHttp {

  record Reply(int status, String body) {
    /** A top-level string field of a flat reply, e.g. {@code "status"}; null when absent. */
    String field(String name) {
      Matcher m =
          Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(body);
      return m.find() ? m.group(1) : null;
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  DemoHttp(URI base) {
    this.base = base;
  }

  Reply send(String method, String path, String token, String json)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body());
  }

  /** As {@link #send}, retrying 503s and refused connections for a while (a cold node). */
  Reply sendPatiently(String method, String path, String token, String json)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      try {
        Reply reply = send(method, path, token, json);
        if (reply.status() != 503 || System.nanoTime() > deadline) {
          return reply;
        }
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(1000);
    }
  }
}
