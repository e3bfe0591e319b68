package org.abtest.http.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.abtest.protocol.Json;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ResultsBroadcastTest {

  private static ActorTestKit testKit;
  private static Materializer materializer;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create();
    materializer = Materializer.matFromSystem(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aSubscriberThatNeverReadsDoesNotHoldBackOneThatDoes() throws Exception {
    AtomicInteger polls = new AtomicInteger();
    // every poll is a new document, so every one is worth sending
    ResultsBroadcast broadcast =
        new ResultsBroadcast(
            key ->
                CompletableFuture.completedFuture(
                    (JsonNode)
                        Json.mapper().createObjectNode().put("poll", polls.incrementAndGet())),
            Duration.ofMillis(10));

    TestSubscriber.Probe<String> stalled =
        broadcast
            .subscribe("exp", materializer)
            .runWith(TestSink.create(testKit.system()), materializer);
    // it takes the first document (so it is one of the hub's consumers), then reads nothing more
    stalled.request(1);
    stalled.expectNext(Duration.ofSeconds(3));
    TestSubscriber.Probe<String> reader =
        broadcast
            .subscribe("exp", materializer)
            .runWith(TestSink.create(testKit.system()), materializer);

    int last = 0;
    for (int i = 0; i < 40; i++) {
      reader.request(1);
      int poll =
          Json.mapper().readTree(reader.expectNext(Duration.ofSeconds(3))).get("poll").asInt();
      assertThat(poll).isGreaterThan(last);
      last = poll;
    }
    // far beyond the hub's buffer: the stalled one was left behind, not waited for
    assertThat(last).isGreaterThanOrEqualTo(40);

    // when it reads at last, it gets a recent document, not the first of a long queue
    stalled.request(1);
    int caughtUp =
        Json.mapper().readTree(stalled.expectNext(Duration.ofSeconds(3))).get("poll").asInt();
    assertThat(caughtUp).isGreaterThan(last - 10);
    stalled.cancel();
    reader.cancel();
  }

  @Test
  void theLastSubscriberToLeaveStopsThePoller() throws Exception {
    AtomicInteger polls = new AtomicInteger();
    ResultsBroadcast broadcast =
        new ResultsBroadcast(
            key ->
                CompletableFuture.completedFuture(
                    (JsonNode)
                        Json.mapper().createObjectNode().put("poll", polls.incrementAndGet())),
            Duration.ofMillis(10));
    TestSubscriber.Probe<String> only =
        broadcast
            .subscribe("exp", materializer)
            .runWith(TestSink.create(testKit.system()), materializer);
    only.request(1);
    only.expectNext(Duration.ofSeconds(3));
    assertThat(broadcast.publishers()).isEqualTo(1);
    only.cancel();
    await()
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(() -> assertThat(broadcast.publishers()).isZero());
  }
}
