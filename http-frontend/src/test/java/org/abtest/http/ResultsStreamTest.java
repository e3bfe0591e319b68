package org.abtest.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.abtest.http.routes.ResultRoutes;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;

class ResultsStreamTest extends RouteTestSupport {

  private static final HttpClient client = HttpClient.newHttpClient();

  /** A subscriber that keeps every document it is sent. */
  static final class Subscriber implements WebSocket.Listener {
    final BlockingQueue<JsonNode> documents = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    WebSocket socket;

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          documents.add(Json.mapper().readTree(partial.toString()));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    JsonNode next() throws InterruptedException {
      return documents.poll(1, TimeUnit.SECONDS);
    }
  }

  /** With the credential as a header (servers, SDKs). */
  static Subscriber subscribe(String key, String query, String bearer) {
    WebSocket.Builder builder = client.newWebSocketBuilder();
    if (bearer != null) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    return open(builder, key, query);
  }

  /** With the credential as a subprotocol offer, as the console (a browser) sends it. */
  static Subscriber subscribeAsBrowser(String key, String token) {
    String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(UTF_8));
    return open(
        client
            .newWebSocketBuilder()
            .subprotocols(ResultRoutes.PROTOCOL, ResultRoutes.BEARER_PROTOCOL + encoded),
        key,
        "");
  }

  private static Subscriber open(WebSocket.Builder builder, String key, String query) {
    Subscriber subscriber = new Subscriber();
    subscriber.socket =
        builder
            .buildAsync(
                URI.create(
                    "ws://127.0.0.1:"
                        + port()
                        + "/v1/experiments/"
                        + key
                        + "/results/stream"
                        + query),
                subscriber)
            .join();
    return subscriber;
  }

  static void publish(String key, int units, String asOf) {
    fakes.resultDocuments.put(
        key,
        Json.mapper()
            .createObjectNode()
            .put("experiment", key)
            .put("asOf", asOf)
            .put("units", units));
  }

  @Test
  void subscriberSeesTheCurrentDocumentThenEachChangeWithinASecond() throws Exception {
    publish("live", 1, "t0");
    Subscriber s = subscribeAsBrowser("live", FakeServices.VIEWER);
    assertThat(s.next().get("units").asInt()).isEqualTo(1);

    publish("live", 2, "t1");
    JsonNode changed = s.next();
    assertThat(changed).isNotNull();
    assertThat(changed.get("units").asInt()).isEqualTo(2);

    // only the timestamp moved: nothing is sent
    publish("live", 2, "t2");
    assertThat(s.documents.poll(700, TimeUnit.MILLISECONDS)).isNull();
    s.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
  }

  @Test
  void manySubscribersShareOnePollerThatStopsAfterTheLastLeaves() throws Exception {
    publish("shared", 5, "t0");
    Subscriber[] subscribers = new Subscriber[6];
    for (int i = 0; i < subscribers.length; i++) {
      subscribers[i] = subscribe("shared", "", FakeServices.ADMIN);
    }
    for (Subscriber s : subscribers) {
      assertThat(s.next().get("units").asInt()).isEqualTo(5);
    }
    AtomicInteger polls = fakes.resultPolls.get("shared");
    int before = polls.get();
    Thread.sleep(1000); // a window to count polls in, not a poll
    // one poller ticks about 4 times a second; six independent ones would poll ~24 times
    assertThat(polls.get() - before).isBetween(1, 8);

    for (Subscriber s : subscribers) {
      s.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }
    Thread.sleep(700); // deliberate: the poller's last tick after the close
    int afterClose = polls.get();
    Thread.sleep(1000); // a window in which no poll may happen
    assertThat(polls.get()).isEqualTo(afterClose);
  }

  @Test
  void aSocketThatStopsReadingDoesNotHoldBackOneThatReads() throws Exception {
    // documents of a megabyte fill the stalled socket's TCP buffers within a few seconds
    String pad = "x".repeat(1 << 20);
    fakes.resultDocuments.put(
        "crowd", Json.mapper().createObjectNode().put("units", 0).put("pad", pad));
    WebSocket stalled =
        client
            .newWebSocketBuilder()
            .header("Authorization", "Bearer " + FakeServices.VIEWER)
            .buildAsync(
                URI.create("ws://127.0.0.1:" + port() + "/v1/experiments/crowd/results/stream"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(
                      WebSocket webSocket, CharSequence data, boolean last) {
                    return null; // and never asks for more
                  }
                })
            .join();
    Subscriber reader = subscribe("crowd", "", FakeServices.VIEWER);

    int published = 0;
    int lastRead = -1;
    long end = System.nanoTime() + 8_000_000_000L;
    while (System.nanoTime() < end) {
      published++;
      fakes.resultDocuments.put(
          "crowd", Json.mapper().createObjectNode().put("units", published).put("pad", pad));
      Thread.sleep(100); // pacing: a new document every 100 ms
      for (JsonNode doc; (doc = reader.documents.poll()) != null; ) {
        lastRead = doc.get("units").asInt();
      }
    }
    JsonNode latest = reader.documents.poll(2, TimeUnit.SECONDS);
    if (latest != null) {
      lastRead = latest.get("units").asInt();
    }
    // the reader is at most a few polls behind, however far the stalled socket fell
    assertThat(lastRead).isGreaterThan(published - 15);
    stalled.abort();
    reader.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
  }

  @Test
  void withoutCredentialTheUpgradeIs401AndAnSdkKeyIs403() {
    publish("guarded", 1, "t0");
    assertThatThrownBy(() -> subscribe("guarded", "", null))
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(WebSocketHandshakeException.class)
        .satisfies(e -> assertThat(status(e)).isEqualTo(401));
    assertThatThrownBy(() -> subscribeAsBrowser("guarded", FakeServices.SDK))
        .satisfies(e -> assertThat(status(e)).isEqualTo(403));
  }

  @Test
  void theServerSelectsTheResultsProtocolAndNeverEchoesTheToken() {
    publish("echo", 1, "t0");
    Subscriber s = subscribeAsBrowser("echo", FakeServices.VIEWER);
    assertThat(s.socket.getSubprotocol()).isEqualTo(ResultRoutes.PROTOCOL);
    s.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
  }

  @Test
  void aTokenInTheUrlNoLongerAuthenticates() {
    publish("url-token", 1, "t0");
    assertThatThrownBy(() -> subscribe("url-token", "?token=" + FakeServices.VIEWER, null))
        .satisfies(e -> assertThat(status(e)).isEqualTo(401));
  }

  @Test
  void aBearerOfferThatIsNotBase64IsA401() {
    publish("garbled", 1, "t0");
    assertThatThrownBy(
            () ->
                open(
                    client
                        .newWebSocketBuilder()
                        .subprotocols(ResultRoutes.PROTOCOL, ResultRoutes.BEARER_PROTOCOL + "!!"),
                    "garbled",
                    ""))
        .satisfies(e -> assertThat(status(e)).isEqualTo(401));
  }

  @Test
  void unknownExperimentIs404BeforeAnyUpgrade() {
    assertThatThrownBy(() -> subscribe("no-such-experiment", "", FakeServices.VIEWER))
        .satisfies(e -> assertThat(status(e)).isEqualTo(404));
  }

  private static int status(Throwable e) {
    return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
  }
}
