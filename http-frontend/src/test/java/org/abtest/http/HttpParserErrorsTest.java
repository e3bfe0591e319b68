package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.abtest.protocol.Json;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests that the HTTP parser refuses before any route runs, written as raw bytes to the real
 * server: each gets the API's JSON error body and a closed connection, never a hang.
 */
class HttpParserErrorsTest {

  private static ActorTestKit testKit;
  private static ServerBinding binding;

  record Raw(String name, String request, int status, String code) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void bind() throws Exception {
    // as cluster-node's http.conf sets it for the node
    testKit =
        ActorTestKit.create(
            ConfigFactory.parseString(
                    """
                    pekko.http.server.parsing.error-handler = "%s"
                    pekko.http.server.parsing.max-method-length = 7
                    """
                        .formatted(JsonParsingErrors.class.getName()))
                .withFallback(ConfigFactory.load()));
    binding =
        Http.get(testKit.system())
            .newServerAt("127.0.0.1", 0)
            .bind(new ApiRoutes(new FakeServices().services()).handler(testKit.system()))
            .toCompletableFuture()
            .get();
  }

  @AfterAll
  static void unbind() {
    binding.unbind();
    testKit.shutdownTestKit();
  }

  static Raw[] requests() {
    String host = "Host: localhost\r\n";
    return new Raw[] {
      new Raw(
          "a brace in the query",
          "GET /v1/experiments?q={ HTTP/1.1\r\n" + host + "\r\n",
          400,
          "invalid_uri"),
      new Raw(
          "a 3 KB URI",
          "GET /v1/experiments/" + "a".repeat(3 * 1024) + " HTTP/1.1\r\n" + host + "\r\n",
          414,
          "uri_too_long"),
      new Raw(
          "a 9 KB header",
          "GET /health/alive HTTP/1.1\r\n" + host + "X-Big: " + "b".repeat(9 * 1024) + "\r\n\r\n",
          431,
          "headers_too_large"),
      new Raw(
          "a duplicate Content-Length",
          "POST /v1/power HTTP/1.1\r\n" + host + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
          400,
          "invalid_content_length"),
      new Raw("bytes that are not HTTP", "garbage\r\n\r\n", 400, "malformed_request"),
      new Raw("a few bytes that are not HTTP", "junk\r\n\r\n", 400, "malformed_request"),
      new Raw("a method longer than any standard one", "PROPFIND / HTTP/1.1\r\n\r\n", 400, null),
      new Raw("an unknown method", "BREW /health/alive HTTP/1.1\r\n" + host + "\r\n", 501, null),
      new Raw(
          "an unknown HTTP version",
          "GET /health/alive HTTP/1.7\r\n" + host + "\r\n",
          505,
          "http_version_not_supported")
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void parserRefusalsAnswerJsonAndClose(Raw raw) throws Exception {
    String response = exchange(raw.request());
    assertThat(response).startsWith("HTTP/1.1 " + raw.status() + " ");
    String head = response.substring(0, response.indexOf("\r\n\r\n"));
    assertThat(head).containsIgnoringCase("content-type: application/json");
    JsonNode body = Json.mapper().readTree(response.substring(head.length() + 4));
    assertThat(body.at("/error/code").asText()).isNotEmpty();
    if (raw.code() != null) {
      assertThat(body.at("/error/code").asText()).isEqualTo(raw.code());
    }
    assertThat(body.at("/error/message").asText())
        .doesNotContainIgnoringCase("pekko")
        .doesNotContain("Illegal")
        .doesNotContain("garbage");
  }

  /** Writes the bytes and reads until the server closes; a read that waits 5 s fails the test. */
  private static String exchange(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", binding.localAddress().getPort())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          received.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError(
            "the server neither answered in full nor closed; received: " + received, e);
      }
      return received.toString(StandardCharsets.UTF_8);
    }
  }
}
