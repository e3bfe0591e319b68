package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.abtest.deploy.testing.RealServers;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The results WebSocket on the real node: after events go through Kafka into the aggregators, a
 * subscriber receives the changed document within a second of the aggregates showing the change
 * (measured against the first moment {@code GET …/results} shows it).
 */
@ExtendWith(RealServers.class)
class ResultsStreamIT {

  private record Received(Instant at, JsonNode document) {}

  @Test
  void aSubscriberSeesNewResultsWithinASecondOfTheAggregates() throws Exception {
    try (TestNode node = TestNode.start("stream_it")) {
      String experiment =
          """
          {"key": "live", "variants": [{"key": "a", "weight": 5000}, {"key": "b", "weight": 5000}]}
          """;
      assertThat(node.call("POST", "/v1/experiments", TestNode.ADMIN, experiment).status())
          .isEqualTo(201);
      assertThat(node.call("POST", "/v1/experiments/live/start", TestNode.ADMIN, null).status())
          .isEqualTo(200);

      BlockingQueue<Received> documents = new LinkedBlockingQueue<>();
      URI uri =
          URI.create(
              node.baseUrl().replace("http://", "ws://") + "/v1/experiments/live/results/stream");
      WebSocket socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .header("Authorization", "Bearer " + TestNode.ADMIN)
              .buildAsync(uri, new Collector(documents))
              .get(10, TimeUnit.SECONDS);
      Received first = documents.poll(10, TimeUnit.SECONDS);
      assertThat(first).as("the current document on connect").isNotNull();
      assertThat(units(first.document())).isZero();

      var sent =
          node.call(
              "POST",
              "/v1/events",
              TestNode.SDK,
              """
              {"events": [{"eventId": "s-1", "type": "exposure", "unit": "u-1", "experiment": "live",
                           "variant": "b", "ts": "%s"}]}
              """
                  .formatted(Instant.now()));
      assertThat(sent.status()).isEqualTo(202);

      // When do the aggregates first show the unit? Poll the HTTP document tightly.
      Instant visible =
          await("the aggregates showing the unit")
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(20))
              .until(
                  () -> {
                    var results =
                        node.call("GET", "/v1/experiments/live/results", TestNode.ADMIN, null);
                    return results.status() == 200 && units(results.body()) == 1
                        ? Instant.now()
                        : null;
                  },
                  Objects::nonNull);

      Received changed = null;
      while (changed == null || units(changed.document()) != 1) {
        changed = documents.poll(5, TimeUnit.SECONDS);
        assertThat(changed).as("no document with the new unit on the socket").isNotNull();
      }
      Duration lag = Duration.between(visible, changed.at());
      System.out.printf(
          "results stream: %d ms after the aggregates showed the change%n", lag.toMillis());
      assertThat(lag).isLessThan(Duration.ofSeconds(1));
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    }
  }

  private static long units(JsonNode document) {
    long total = 0;
    for (JsonNode v : document.get("variants")) {
      total += v.get("units").asLong();
    }
    return total;
  }

  /** Collects whole text messages (a document may arrive in several frames). */
  private static final class Collector implements WebSocket.Listener {
    private final BlockingQueue<Received> documents;
    private final StringBuilder partial = new StringBuilder();

    Collector(BlockingQueue<Received> documents) {
      this.documents = documents;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          documents.add(new Received(Instant.now(), Json.mapper().readTree(partial.toString())));
        } catch (Exception e) {
          throw new IllegalStateException("not a JSON document: " + partial, e);
        }
        partial.setLength(0);
      }
      socket.request(1);
      return null;
    }
  }
}
