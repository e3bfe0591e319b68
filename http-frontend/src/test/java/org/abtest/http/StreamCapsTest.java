package org.abtest.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.abtest.http.routes.ResultRoutes;
import org.abtest.protocol.Json;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Caps on open streams ({@link EdgeTestServer#SMALL_LIMITS}: 2 per credential and kind, 4 per
 * node): over a cap, 429 before any upgrade; a stream that ends gives its place back.
 */
class StreamCapsTest {

  /** Rates no test here reaches: only the stream caps are under test. */
  private static final String HIGH_RATES =
      """
      rate-limits.sdk-key-per-second = 100000
      rate-limits.admin-per-second = 100000
      rate-limits.anonymous-per-second = 100000
      """;

  private static ActorTestKit testKit;
  private EdgeTestServer server;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void bind() throws Exception {
    server = new EdgeTestServer(testKit, EdgeTestServer.SMALL_LIMITS + HIGH_RATES);
    server.fakes.resultDocuments.put(
        "live", Json.mapper().createObjectNode().put("experiment", "live"));
  }

  @AfterEach
  void unbind() {
    server.close();
  }

  /**
   * A manifest stream on a socket of its own, read up to the status line: closing it ends the TCP
   * connection, as a client that goes away does.
   */
  private Socket rawManifestStream(String token) throws Exception {
    Socket socket = new Socket("127.0.0.1", server.port());
    socket.setSoTimeout(10_000);
    socket
        .getOutputStream()
        .write(
            ("GET /v1/manifest/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + token
                    + "\r\n\r\n")
                .getBytes(UTF_8));
    String status =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8)).readLine();
    assertThat(status).contains(" 200 ");
    return socket;
  }

  private HttpResponse<InputStream> manifestStream(String token) throws Exception {
    return server
        .client()
        .send(
            HttpRequest.newBuilder(server.uri("/v1/manifest/stream"))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
  }

  private WebSocket resultsSocket(String token) {
    return resultsSocket(token, "live");
  }

  private WebSocket resultsSocket(String token, String experiment) {
    String offer =
        ResultRoutes.BEARER_PROTOCOL
            + Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(UTF_8));
    return server
        .client()
        .newWebSocketBuilder()
        .subprotocols(ResultRoutes.PROTOCOL, offer)
        .buildAsync(
            URI.create(
                "ws://127.0.0.1:"
                    + server.port()
                    + "/v1/experiments/"
                    + experiment
                    + "/results/stream"),
            new WebSocket.Listener() {
              @Override
              public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                socket.request(1);
                return null;
              }
            })
        .join();
  }

  private static int handshakeStatus(Throwable e) {
    return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
  }

  private static void eventually(BooleanSupplier condition) {
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(condition::getAsBoolean);
  }

  @Test
  void aThirdManifestStreamOfOneKeyIs429UntilOneOfItsStreamsEnds() throws Exception {
    Socket first = rawManifestStream(FakeServices.SDK);
    Socket second = rawManifestStream(FakeServices.SDK);

    HttpResponse<InputStream> third = manifestStream(FakeServices.SDK);
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.headers().firstValue("Retry-After")).hasValue("7");
    var body = Json.mapper().readTree(third.body().readAllBytes());
    assertThat(body.at("/error/code").asText()).isEqualTo("too_many_streams");

    // another credential still gets one
    HttpResponse<InputStream> admins = manifestStream(FakeServices.ADMIN);
    assertThat(admins.statusCode()).isEqualTo(200);

    first.close();
    eventually(
        () -> {
          try {
            HttpResponse<InputStream> again = manifestStream(FakeServices.SDK);
            if (again.statusCode() == 200) {
              again.body().close();
              return true;
            }
            return false;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    second.close();
    admins.body().close();
  }

  @Test
  void aThirdResultsSocketOfOneCredentialIs429BeforeTheUpgradeUntilOneCloses() throws Exception {
    WebSocket first = resultsSocket(FakeServices.VIEWER);
    WebSocket second = resultsSocket(FakeServices.VIEWER);
    assertThatThrownBy(() -> resultsSocket(FakeServices.VIEWER))
        .satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(429));

    first.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    eventually(
        () -> {
          try {
            resultsSocket(FakeServices.VIEWER).sendClose(WebSocket.NORMAL_CLOSURE, "").join();
            return true;
          } catch (RuntimeException refused) {
            return false;
          }
        });
    second.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
  }

  @Test
  void theNodeCapCountsEveryCredentialsStreams() throws Exception {
    HttpResponse<InputStream> sdk1 = manifestStream(FakeServices.SDK);
    HttpResponse<InputStream> sdk2 = manifestStream(FakeServices.SDK);
    WebSocket viewer1 = resultsSocket(FakeServices.VIEWER);
    WebSocket viewer2 = resultsSocket(FakeServices.VIEWER);
    assertThatThrownBy(() -> resultsSocket(FakeServices.ADMIN))
        .satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(429));
    HttpResponse<InputStream> refused = manifestStream(FakeServices.ADMIN);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(new String(refused.body().readAllBytes(), UTF_8)).contains("node");
    sdk1.body().close();
    sdk2.body().close();
    viewer1.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    viewer2.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
  }

  @Test
  void aRefusedUpgradeHoldsNoPlace() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> resultsSocket(FakeServices.VIEWER, "no-such"))
          .satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(404));
    }
    WebSocket first = resultsSocket(FakeServices.VIEWER);
    WebSocket second = resultsSocket(FakeServices.VIEWER);
    first.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    second.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
  }
}
