package org.abtest.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The consumer stream's restarts, with a plain source standing in for the consumer's. */
class ConsumerRestartsTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final AtomicInteger starts = new AtomicInteger();
  private final List<Integer> toldAfterStarts = new CopyOnWriteArrayList<>();
  private final List<Long> startedAt = new CopyOnWriteArrayList<>();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** Fails its first {@code failures} starts, then emits "a", "b" and completes. */
  private Source<String, ?> failing(int failures) {
    startedAt.add(System.nanoTime());
    return starts.incrementAndGet() <= failures
        ? Source.failed(new IllegalStateException("broker gone"))
        : Source.from(List.of("a", "b"));
  }

  private List<String> run(IngestionSettings.Restart backoff, int failures) {
    return ConsumerRestarts.withBackoff(
            backoff, () -> failing(failures), () -> toldAfterStarts.add(starts.get()))
        .runWith(Sink.seq(), testKit.system())
        .toCompletableFuture()
        .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .join();
  }

  @Test
  void aFailedStreamStartsAgainAndEveryRestartIsToldBeforeItsStart() {
    var quick = new IngestionSettings.Restart(Duration.ofMillis(10), Duration.ofMillis(50), 0);

    assertThat(run(quick, 2)).containsExactly("a", "b");

    assertThat(starts).hasValue(3);
    assertThat(toldAfterStarts)
        .as("told after start 1 and start 2, before the next")
        .containsExactly(1, 2);
  }

  @Test
  void aStreamThatCompletesIsNotStartedAgain() {
    var quick = new IngestionSettings.Restart(Duration.ofMillis(10), Duration.ofMillis(50), 0);

    assertThat(run(quick, 0)).containsExactly("a", "b");

    assertThat(starts).hasValue(1);
    assertThat(toldAfterStarts).isEmpty();
  }

  @Test
  void aRestartWaitsAtLeastTheConfiguredMinimumBackoff() {
    var slow = new IngestionSettings.Restart(Duration.ofMillis(400), Duration.ofSeconds(2), 0);

    run(slow, 1);

    assertThat(Duration.ofNanos(startedAt.get(1) - startedAt.get(0)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(400));
  }
}
