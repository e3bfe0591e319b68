package org.abtest.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.abtest.protocol.Json;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Binds the real routes on an ephemeral port and talks to them over real HTTP. */
abstract class RouteTestSupport {

  static final FakeServices fakes = new FakeServices();
  private static ActorTestKit testKit;
  private static ServerBinding binding;
  private static final HttpClient client = HttpClient.newHttpClient();

  record Reply(int status, JsonNode body, HttpResponse<String> raw) {}

  @BeforeAll
  static void bind() throws Exception {
    testKit = ActorTestKit.create();
    binding =
        Http.get(testKit.system())
            .newServerAt("127.0.0.1", 0)
            .bind(new ApiRoutes(fakes.services()).handler(testKit.system()))
            .toCompletableFuture()
            .get();
  }

  @AfterAll
  static void unbind() {
    binding.unbind();
    testKit.shutdownTestKit();
  }

  static HttpClient client() {
    return client;
  }

  static int port() {
    return binding.localAddress().getPort();
  }

  static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path);
  }

  static Reply call(String method, String path, String token, String body) throws Exception {
    return call(method, path, token, body, null, null);
  }

  /** With one more request header (none when {@code header} is null). */
  static Reply call(
      String method, String path, String token, String body, String header, String value)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path))
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
    if (header != null) {
      request.header(header, value);
    }
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json =
        response.body().isEmpty()
                || !response.headers().firstValue("Content-Type").orElse("").contains("json")
            ? null
            : Json.mapper().readTree(response.body());
    return new Reply(response.statusCode(), json, response);
  }

  /**
   * Sends only the headers of a POST declaring this body length, and returns the reply (status
   * line, headers, body): a refusal on the headers alone, without a client still writing into a
   * closed connection.
   */
  static String headersOnly(String path, String token, long contentLength) throws Exception {
    java.net.URI events = uri(path);
    try (java.net.Socket socket = new java.net.Socket(events.getHost(), events.getPort())) {
      socket.setSoTimeout(10_000);
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: "
              + events.getHost()
              + "\r\nAuthorization: Bearer "
              + token
              + "\r\nContent-Type: application/json\r\nContent-Length: "
              + contentLength
              + "\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      // the head, then as many bytes as its Content-Length says (the node may or may not close)
      java.io.InputStream in = socket.getInputStream();
      java.io.ByteArrayOutputStream reply = new java.io.ByteArrayOutputStream();
      int bodyStart = -1;
      int length = -1;
      while (bodyStart < 0 || reply.size() < bodyStart + length) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        reply.write(b);
        String sofar = reply.toString(java.nio.charset.StandardCharsets.UTF_8);
        if (bodyStart < 0 && sofar.endsWith("\r\n\r\n")) {
          bodyStart = reply.size();
          java.util.regex.Matcher m =
              java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(sofar);
          length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        }
      }
      return reply.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
