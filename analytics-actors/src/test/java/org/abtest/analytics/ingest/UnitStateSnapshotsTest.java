package org.abtest.analytics.ingest;

import static org.abtest.analytics.ingest.UnitStateFixtures.exposure;
import static org.abtest.analytics.ingest.UnitStateFixtures.metric;
import static org.abtest.analytics.ingest.UnitStateFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.ingest.UnitStateFixtures.Writes;
import org.abtest.analytics.units.PartitionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The unit-state actor's snapshots: encoded in the actor, so exactly the state at the offset they
 * name; due by the records since the last one (SnapshotPolicy); one in flight at a time; a failed
 * one's chunks discarded and the last good one still the one replaced next.
 */
class UnitStateSnapshotsTest {

  private static final ActorTestKit testKit = ActorTestKit.create(UnitStateFixtures.CONFIG);
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final Duration QUICK = Duration.ofMillis(50);
  private static final Duration NEVER = Duration.ofHours(1);
  private static final int PARTITION = 4;

  private final TestProbe<Done> replies = testKit.createTestProbe();
  private final Writes writes = new Writes(testKit.system());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** Restored from generation 7; partials go nowhere, snapshots to {@link #writes}. */
  private ActorRef<UnitStateActor.Command> start(
      PartitionState state, long nextOffset, long bytesPerRecord) {
    return testKit.spawn(
        UnitStateActor.create(
            UnitStateFixtures.TOPIC,
            PARTITION,
            state,
            nextOffset,
            7,
            writes,
            (experiment, partial) -> {},
            new UnitStateActor.Settings(
                NEVER, NEVER, QUICK, new SnapshotPolicy(bytesPerRecord, NEVER)),
            new CompletableFuture<>(),
            new UnitStateBoard(1L << 30)));
  }

  private void apply(
      ActorRef<UnitStateActor.Command> actor, List<ConsumerRecord<String, byte[]>> records) {
    actor.tell(new UnitStateActor.Apply(records, replies.ref()));
    replies.expectMessage(TIMEOUT, Done.getInstance());
  }

  @Test
  void aSnapshotHoldsExactlyTheStateAtTheOffsetItNames() {
    var actor = start(UnitStateFixtures.freshState(), 0, 0);
    apply(
        actor,
        List.of(
            record(PARTITION, 0, exposure("u1", "search", "a")),
            record(PARTITION, 1, exposure("u2", "search", "b")),
            record(PARTITION, 2, metric("u2", "click", 4))));

    Writes.Save save = writes.saves.expectMessageClass(Writes.Save.class, TIMEOUT);
    assertThat(save.partition()).isEqualTo(PARTITION);
    assertThat(save.nextOffset()).isEqualTo(3);
    assertThat(save.previous()).as("the generation it was restored from").isEqualTo(7);
    ExperimentTotals snapshotted = UnitStateFixtures.decode(save.state()).partials("search").get(0);
    assertThat(snapshotted.unitsPerVariant()).containsEntry("a", 1L).containsEntry("b", 1L);
    assertThat(snapshotted.metrics().get("clicks").get("b").sum()).isEqualTo(4.0);
  }

  @Test
  void noSnapshotIsWrittenWithoutANewRecord() {
    start(UnitStateFixtures.freshState(), 5, 0);
    writes.saves.expectNoMessage(Duration.ofMillis(500));
  }

  @Test
  void oneSnapshotIsInFlightAtATimeAndTheNextReplacesTheOneWritten() {
    var actor = start(UnitStateFixtures.freshState(), 0, 0);
    apply(actor, List.of(record(PARTITION, 0, exposure("u1", "search", "a"))));
    Writes.Save first = writes.saves.expectMessageClass(Writes.Save.class, TIMEOUT);
    apply(actor, List.of(record(PARTITION, 1, exposure("u2", "search", "a"))));
    // many checks pass while the first write is in flight: none starts another
    writes.saves.expectNoMessage(Duration.ofMillis(400));

    first.done().complete(Done.getInstance());
    Writes.Save second = writes.saves.expectMessageClass(Writes.Save.class, TIMEOUT);
    assertThat(second.nextOffset()).isEqualTo(2);
    assertThat(second.previous()).isEqualTo(first.generation());
    assertThat(second.generation()).isNotEqualTo(first.generation());
  }

  @Test
  void aFailedSnapshotsChunksAreDiscardedAndTheNextStillReplacesTheLastGoodOne() {
    var actor = start(UnitStateFixtures.freshState(), 0, 0);
    apply(actor, List.of(record(PARTITION, 0, exposure("u1", "search", "a"))));
    Writes.Save failed = writes.saves.expectMessageClass(Writes.Save.class, TIMEOUT);
    failed.done().completeExceptionally(new IllegalStateException("Cassandra is down"));

    assertThat(writes.discards.expectMessageClass(Writes.Discard.class, TIMEOUT))
        .isEqualTo(new Writes.Discard(PARTITION, failed.generation()));
    Writes.Save retry = writes.saves.expectMessageClass(Writes.Save.class, TIMEOUT);
    assertThat(retry.nextOffset()).isEqualTo(1);
    assertThat(retry.previous()).isEqualTo(7);
  }

  @Test
  void aSnapshotWaitsUntilTheRecordsSinceTheLastHavePaidForIt() {
    // one byte of snapshot per record: the second snapshot needs as many records as the first's
    // bytes
    var actor = start(UnitStateFixtures.freshState(), 0, 1);
    apply(actor, List.of(record(PARTITION, 0, exposure("u1", "search", "a"))));
    Writes.Save first = writes.saves.expectMessageClass(Writes.Save.class, TIMEOUT);
    first.done().complete(Done.getInstance());
    long bytes = first.state().stream().mapToLong(b -> b.length).sum();
    assertThat(bytes).isGreaterThan(2);

    apply(actor, List.of(record(PARTITION, 1, metric("u1", "click", 1))));
    writes.saves.expectNoMessage(Duration.ofMillis(400));

    List<ConsumerRecord<String, byte[]>> paid = new ArrayList<>();
    for (int i = 0; i < bytes; i++) {
      paid.add(record(PARTITION, 2 + i, metric("u1", "click", 1)));
    }
    apply(actor, paid);
    assertThat(writes.saves.expectMessageClass(Writes.Save.class, TIMEOUT).nextOffset())
        .isEqualTo(2 + bytes);
  }
}
