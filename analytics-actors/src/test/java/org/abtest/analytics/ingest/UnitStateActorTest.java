package org.abtest.analytics.ingest;

import static org.abtest.analytics.ingest.UnitStateFixtures.exposure;
import static org.abtest.analytics.ingest.UnitStateFixtures.metric;
import static org.abtest.analytics.ingest.UnitStateFixtures.publishEvery;
import static org.abtest.analytics.ingest.UnitStateFixtures.raw;
import static org.abtest.analytics.ingest.UnitStateFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.MetricSums;
import org.abtest.analytics.ingest.UnitStateFixtures.Received;
import org.abtest.analytics.ingest.UnitStateFixtures.Writes;
import org.abtest.analytics.units.PartitionState;
import org.abtest.analytics.units.StateLimits;
import org.abtest.analytics.units.UnitStateSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The unit-state actor of one partition: records applied once per offset, partials published to the
 * experiments' aggregators (a probe here), usage and refusals on the node's board. Its snapshots:
 * {@link UnitStateSnapshotsTest}.
 */
class UnitStateActorTest {

  private static final ActorTestKit testKit = ActorTestKit.create(UnitStateFixtures.CONFIG);
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final Duration QUICK = Duration.ofMillis(50);
  private static final Duration NEVER = Duration.ofHours(1);

  private static int nextPartition = 0;

  private final int partition = nextPartition++;
  private final TestProbe<Received> partials = testKit.createTestProbe();
  private final TestProbe<Done> replies = testKit.createTestProbe();
  private final UnitStateBoard board = new UnitStateBoard(1L << 30);
  private final Writes writes = new Writes(testKit.system());
  private final CompletableFuture<Done> stopped = new CompletableFuture<>();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private ActorRef<UnitStateActor.Command> start(
      PartitionState state, long nextOffset, UnitStateActor.Settings settings) {
    return testKit.spawn(
        UnitStateActor.create(
            UnitStateFixtures.TOPIC,
            partition,
            state,
            nextOffset,
            7,
            writes,
            UnitStateFixtures.partialsTo(testKit.system(), partials),
            settings,
            stopped,
            board));
  }

  private void apply(
      ActorRef<UnitStateActor.Command> actor, List<ConsumerRecord<String, byte[]>> records) {
    actor.tell(new UnitStateActor.Apply(records, replies.ref()));
    replies.expectMessage(TIMEOUT, Done.getInstance());
  }

  /** Partials of this test's partition until one of each experiment at {@code nextOffset}. */
  private void bothAt(long nextOffset) {
    Set<String> seen = new HashSet<>();
    partials.fishForMessage(
        TIMEOUT,
        r -> {
          if (r.partial().partition() == partition && r.partial().nextOffset() == nextOffset) {
            seen.add(r.experiment());
          }
          return seen.containsAll(List.of("search", "checkout"))
              ? FishingOutcomes.complete()
              : FishingOutcomes.continueAndIgnore();
        });
  }

  /**
   * The first partial of this test's partition for {@code experiment} that satisfies {@code ok}.
   */
  private ExperimentTotals partial(String experiment, Predicate<Received> ok) {
    List<Received> fished =
        partials.fishForMessage(
            TIMEOUT,
            r ->
                r.partial().partition() == partition
                        && r.experiment().equals(experiment)
                        && ok.test(r)
                    ? FishingOutcomes.complete()
                    : FishingOutcomes.continueAndIgnore());
    Received last = fished.get(fished.size() - 1);
    assertThat(last.partial().phases()).hasSize(1);
    return last.partial().phases().get(0);
  }

  private static MetricSums clicks(ExperimentTotals t, String variant) {
    return t.metrics().get("clicks").get(variant);
  }

  @Test
  void anEventAtAnAlreadyAppliedOffsetIsNotCountedTwice() {
    var actor = start(UnitStateFixtures.freshState(), 0, publishEvery(QUICK, NEVER));
    apply(
        actor,
        List.of(
            record(partition, 0, exposure("u1", "search", "a")),
            record(partition, 1, metric("u1", "click", 2))));
    // the consumer sought back: offset 1 comes again, then offset 2
    apply(
        actor,
        List.of(
            record(partition, 1, metric("u1", "click", 2)),
            record(partition, 2, metric("u1", "click", 3))));

    ExperimentTotals t = partial("search", r -> r.partial().nextOffset() == 3);
    assertThat(t.unitsPerVariant()).containsEntry("a", 1L);
    assertThat(clicks(t, "a").n()).isEqualTo(1);
    assertThat(clicks(t, "a").sum()).isEqualTo(5.0);
  }

  @Test
  void recordsBeforeTheOffsetItWasRestoredAtAreSkipped() {
    var actor = start(UnitStateFixtures.freshState(), 10, publishEvery(QUICK, NEVER));
    apply(
        actor,
        List.of(
            record(partition, 8, exposure("u1", "search", "a")),
            record(partition, 9, metric("u1", "click", 2)),
            record(partition, 10, exposure("u2", "search", "b"))));

    ExperimentTotals t = partial("search", r -> r.partial().nextOffset() == 11);
    assertThat(t.unitsPerVariant()).doesNotContainKey("a").containsEntry("b", 1L);
  }

  @Test
  void anUnreadableRecordIsSkippedAndReadingGoesOnPastIt() {
    var actor = start(UnitStateFixtures.freshState(), 0, publishEvery(QUICK, NEVER));
    apply(
        actor,
        List.of(
            raw(partition, 0, "u0", new byte[] {1, 2, 3}),
            record(partition, 1, exposure("u1", "search", "a"))));

    ExperimentTotals t = partial("search", r -> r.partial().nextOffset() == 2);
    assertThat(t.unitsPerVariant()).containsEntry("a", 1L);
  }

  @Test
  void aRestoredPartitionPublishesEveryExperimentItHoldsBeforeAnyTick() {
    PartitionState restored = UnitStateFixtures.freshState();
    restored.apply(exposure("u1", "search", "a"), 0);
    restored.apply(exposure("u1", "checkout", "control"), 0);
    start(restored, 42, publishEvery(NEVER, NEVER));

    assertThat(partial("search", r -> r.partial().nextOffset() == 42).unitsPerVariant())
        .containsEntry("a", 1L);
    assertThat(partial("checkout", r -> r.partial().nextOffset() == 42).unitsPerVariant())
        .containsEntry("control", 1L);
  }

  @Test
  void aTickPublishesOnlyTheExperimentsChangedSinceTheLastOne() {
    var actor = start(UnitStateFixtures.freshState(), 0, publishEvery(QUICK, NEVER));
    apply(actor, List.of(record(partition, 0, exposure("u1", "search", "a"))));
    partial("search", r -> true);
    apply(actor, List.of(record(partition, 1, exposure("u1", "checkout", "control"))));
    partials.fishForMessage(
        TIMEOUT,
        r ->
            r.experiment().equals("search")
                ? FishingOutcomes.fail("search was sent again unchanged")
                : r.partial().nextOffset() == 2
                    ? FishingOutcomes.complete()
                    : FishingOutcomes.continueAndIgnore());

    // several ticks later, nothing changed: nothing sent, and search was not sent again
    partials.expectNoMessage(Duration.ofMillis(500));
  }

  @Test
  void everyPartialIsSentAgainAfterTheRepublishIntervalEvenUnchanged() {
    var actor =
        start(UnitStateFixtures.freshState(), 0, publishEvery(QUICK, Duration.ofMillis(300)));
    apply(actor, List.of(record(partition, 0, exposure("u1", "search", "a"))));
    ExperimentTotals first = partial("search", r -> true);
    ExperimentTotals again = partial("search", r -> true);
    assertThat(again.unitsPerVariant()).isEqualTo(first.unitsPerVariant());
  }

  @Test
  void stopPublishesEveryPartialLeavesTheBoardAndCompletesStopped() {
    var actor = start(UnitStateFixtures.freshState(), 0, publishEvery(QUICK, NEVER));
    apply(
        actor,
        List.of(
            record(partition, 0, exposure("u1", "search", "a")),
            record(partition, 1, exposure("u1", "checkout", "control"))));
    await().atMost(TIMEOUT).until(() -> board.usage().containsKey(partition));
    bothAt(2);
    partials.expectNoMessage(Duration.ofMillis(200));

    actor.tell(UnitStateActor.Stop.INSTANCE);

    bothAt(2);
    assertThat(stopped).succeedsWithin(TIMEOUT);
    assertThat(board.usage()).doesNotContainKey(partition);
  }

  @Test
  void aNewUnitPastThePartitionsUnitCapIsRefusedAndTheRefusalReachesTheBoard() {
    UnitStateSettings oneUnit =
        UnitStateSettings.DEFAULTS.withLimits(new StateLimits(Duration.ofHours(1), 1, 100));
    var actor = start(UnitStateFixtures.freshState(oneUnit), 0, publishEvery(QUICK, NEVER));
    apply(
        actor,
        List.of(
            record(partition, 0, exposure("u1", "search", "a")),
            record(partition, 1, exposure("u2", "search", "a")),
            record(partition, 2, metric("u1", "click", 1))));

    ExperimentTotals t = partial("search", r -> r.partial().nextOffset() == 3);
    assertThat(t.unitsPerVariant()).containsEntry("a", 1L);
    assertThat(clicks(t, "a").sum()).isEqualTo(1.0);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(board.usage()).containsKey(partition);
              assertThat(board.usage().get(partition).refusals().exposures()).isEqualTo(1);
              assertThat(board.capPressure()).isEqualTo(1.0);
            });
  }
}
