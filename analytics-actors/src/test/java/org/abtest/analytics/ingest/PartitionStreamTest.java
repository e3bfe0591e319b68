package org.abtest.analytics.ingest;

import static org.abtest.analytics.ingest.UnitStateFixtures.exposure;
import static org.abtest.analytics.ingest.UnitStateFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.abtest.analytics.ingest.UnitStateFixtures.Received;
import org.abtest.analytics.pressure.ConsumerThrottle;
import org.abtest.analytics.units.UnitStateSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * One partition's stream into its unit-state actor (a real one), fed from a plain source of records
 * instead of the consumer's: batches, the pressure wait, the applied offset, and what becomes of a
 * batch whose actor was replaced or died.
 */
class PartitionStreamTest {

  private static final ActorTestKit testKit = ActorTestKit.create(UnitStateFixtures.CONFIG);
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final AtomicInteger partitions = new AtomicInteger();

  private final TopicPartition tp =
      new TopicPartition(UnitStateFixtures.TOPIC, partitions.incrementAndGet());
  private final TestProbe<Received> partials = testKit.createTestProbe();
  private final AppliedOffsets applied = new AppliedOffsets("test-group");
  private final IngestionCounters counters = new IngestionCounters();
  private final PartitionOwners owners =
      new PartitionOwners(
          testKit.system(),
          UnitStateFixtures.partialsTo(testKit.system(), partials),
          new UnitStateFixtures.Writes(testKit.system()),
          new SnapshotHealth(),
          UnitStateFixtures.publishEvery(Duration.ofMillis(50), Duration.ofHours(1)),
          new UnitStateBoard(1L << 30),
          applied);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** Batches of three; a window long enough that only size or the end of the input cuts one. */
  private PartitionStream stream(ConsumerThrottle throttle, double pressure) {
    var settings =
        new IngestionSettings(
            "unused:9092",
            UnitStateFixtures.TOPIC,
            "test-group",
            Duration.ofMillis(300),
            3,
            Duration.ofSeconds(30),
            new IngestionSettings.Restart(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.2),
            1024,
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            UnitStateSettings.DEFAULTS,
            1L << 30,
            throttle,
            UnitStateFixtures.publishEvery(Duration.ofMillis(50), Duration.ofHours(1)));
    return new PartitionStream(
        testKit.system(), settings, () -> pressure, counters, owners, applied);
  }

  private PartitionStream stream() {
    return stream(ConsumerThrottle.OFF, 0);
  }

  /** Exposures of units u0, u1, … at offsets {@code from}, {@code from + 1}, … */
  private List<ConsumerRecord<String, byte[]>> exposures(long from, int n) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(record(tp.partition(), from + i, exposure("u" + i, "search", "a")));
    }
    return out;
  }

  private void awaitPartial(long nextOffset, long units) {
    partials.fishForMessage(
        TIMEOUT,
        r ->
            r.partial().partition() == tp.partition()
                    && r.partial().nextOffset() == nextOffset
                    && r.partial().phases().get(0).unitsPerVariant().get("a") == units
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
  }

  @Test
  void recordsAreCutIntoBatchesOfAtMostBatchSize() {
    List<Integer> sizes =
        Source.from(exposures(0, 7))
            .via(stream().batches())
            .map(List::size)
            .runWith(Sink.seq(), testKit.system())
            .toCompletableFuture()
            .join();

    assertThat(sizes).containsExactly(3, 3, 1);
  }

  @Test
  void everyRecordIsAppliedByThePartitionsActorAndTheAppliedOffsetFollows() {
    owners.start(tp, UnitStateFixtures.freshState(), 0, 1);

    assertThat(stream().run(tp, Source.from(exposures(0, 7)))).succeedsWithin(TIMEOUT);

    awaitPartial(7, 7);
    assertThat(applied.next(tp)).isEqualTo(7);
    assertThat(counters.pausedSeconds()).isZero();
    assertThat(counters.staleBatches()).isZero();
  }

  @Test
  void underPressureEachBatchWaitsTheMostPauseThenIsAppliedAnyway() {
    owners.start(tp, UnitStateFixtures.freshState(), 0, 1);
    var throttle = new ConsumerThrottle(0.9, Duration.ofMillis(200), Duration.ofMillis(50));

    assertThat(stream(throttle, 0.95).run(tp, Source.from(exposures(0, 7))))
        .succeedsWithin(TIMEOUT);

    awaitPartial(7, 7);
    assertThat(counters.pausedSeconds())
        .as("three batches, 200 ms each")
        .isCloseTo(0.6, within(1e-9));
  }

  @Test
  void belowThePauseThresholdNoBatchWaits() {
    owners.start(tp, UnitStateFixtures.freshState(), 0, 1);
    var throttle = new ConsumerThrottle(0.9, Duration.ofMillis(200), Duration.ofMillis(50));

    assertThat(stream(throttle, 0.5).run(tp, Source.from(exposures(0, 7)))).succeedsWithin(TIMEOUT);

    assertThat(counters.pausedSeconds()).isZero();
    assertThat(applied.next(tp)).isEqualTo(7);
  }

  @Test
  void batchesForAnActorReplacedSinceTheStreamStartedAreDroppedAndTheStreamGoesOn() {
    owners.start(tp, UnitStateFixtures.freshState(), 0, 1);
    CompletableFuture<NotUsed> rebalanced = new CompletableFuture<>();
    Source<ConsumerRecord<String, byte[]>, NotUsed> late =
        Source.completionStage(rebalanced).mapConcat(ignored -> exposures(0, 7));
    var done = stream().run(tp, late);

    owners.start(tp, UnitStateFixtures.freshState(), 100, 2);
    rebalanced.complete(NotUsed.getInstance());

    assertThat(done).succeedsWithin(TIMEOUT);
    assertThat(counters.staleBatches()).isEqualTo(3);
    assertThat(applied.next(tp)).as("the new owner's, not the old stream's").isEqualTo(100);
  }

  @Test
  void aBatchTheOwningActorCannotApplyFailsTheStream() {
    owners.start(tp, UnitStateFixtures.freshState(), 0, 1);
    var actor = owners.actor(tp);
    var stopped = owners.stopped(actor);
    actor.tell(UnitStateActor.Stop.INSTANCE); // it died, and is still the partition's owner
    assertThat(stopped).succeedsWithin(TIMEOUT);

    var done = stream().run(tp, Source.from(exposures(0, 7))).toCompletableFuture();

    assertThat(done)
        .failsWithin(TIMEOUT)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(PatientAsk.TargetStopped.class);
    assertThat(counters.staleBatches()).isZero();
  }

  @Test
  void aRefusedPartitionsRecordsAreNeverRead() {
    owners.refuse(tp);
    AtomicInteger read = new AtomicInteger();
    List<ConsumerRecord<String, byte[]>> records = exposures(0, 7);
    Source<ConsumerRecord<String, byte[]>, NotUsed> counted =
        Source.fromIterator(
            () ->
                new Iterator<>() {
                  private final Iterator<ConsumerRecord<String, byte[]>> it = records.iterator();

                  @Override
                  public boolean hasNext() {
                    return it.hasNext();
                  }

                  @Override
                  public ConsumerRecord<String, byte[]> next() {
                    read.incrementAndGet();
                    return it.next();
                  }
                });

    var done = stream().run(tp, counted);

    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> read.get() == 0);
    assertThat(done).isNotDone();
  }
}
