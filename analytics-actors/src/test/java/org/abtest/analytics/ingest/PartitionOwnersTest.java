package org.abtest.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The per-partition actors' lifecycle: one owner per partition, replaced (the old one stopped) when
 * the partition is restored again, stopped and forgotten at a revoke.
 */
class PartitionOwnersTest {

  private static final ActorTestKit testKit = ActorTestKit.create(UnitStateFixtures.CONFIG);
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final AtomicInteger partitions = new AtomicInteger();

  // a partition per test: an actor's name says its partition, and a test's may still be stopping
  private final TopicPartition tp =
      new TopicPartition(UnitStateFixtures.TOPIC, partitions.incrementAndGet());

  private final AppliedOffsets applied = new AppliedOffsets("test-group");
  private final SnapshotHealth health = new SnapshotHealth();
  private final PartitionOwners owners =
      new PartitionOwners(
          testKit.system(),
          (experiment, partial) -> {},
          new UnitStateFixtures.Writes(testKit.system()),
          health,
          UnitStateFixtures.publishEvery(Duration.ofHours(1), Duration.ofHours(1)),
          new UnitStateBoard(1L << 30),
          applied);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void aStartedPartitionIsOwnedByItsActorAndContinuesWhereItWasRestored() {
    owners.start(tp, UnitStateFixtures.freshState(), 5, 1);

    var actor = owners.actor(tp);
    assertThat(owners.owns(tp, actor)).isTrue();
    assertThat(owners.size()).isEqualTo(1);
    assertThat(owners.partitions()).containsExactly(tp);
    assertThat(applied.next(tp)).isEqualTo(5);
    assertThat(owners.continuing(tp)).as("assigned again in the same rebalance").isEqualTo(5);
    assertThat(owners.stopped(actor)).isNotDone();
  }

  @Test
  void restoringAPartitionAgainStopsItsOldActorAndOnlyTheNewOneOwnsIt() {
    owners.start(tp, UnitStateFixtures.freshState(), 5, 1);
    var old = owners.actor(tp);
    var oldStopped = owners.stopped(old);

    owners.start(tp, UnitStateFixtures.freshState(), 9, 2);

    var fresh = owners.actor(tp);
    assertThat(fresh).isNotEqualTo(old);
    assertThat(oldStopped).succeedsWithin(TIMEOUT);
    assertThat(owners.owns(tp, old)).isFalse();
    assertThat(owners.owns(tp, fresh)).isTrue();
    assertThat(owners.size()).isEqualTo(1);
    assertThat(applied.next(tp)).isEqualTo(9);
  }

  @Test
  void aRevokedPartitionsActorStopsAndItsOffsetIsForgotten() {
    owners.start(tp, UnitStateFixtures.freshState(), 5, 1);
    var actor = owners.actor(tp);
    var stopped = owners.stopped(actor);

    owners.revoke(Set.of(tp));

    assertThat(stopped).succeedsWithin(TIMEOUT);
    assertThat(owners.actor(tp)).isNull();
    assertThat(owners.owns(tp, actor)).isFalse();
    assertThat(owners.size()).isZero();
    assertThat(applied.next(tp)).isNull();
    assertThat(owners.continuing(tp)).as("a later assignment restores from the snapshot").isNull();
  }

  @Test
  void aPartitionWhoseActorDiedIsNotContinuedButRestored() {
    owners.start(tp, UnitStateFixtures.freshState(), 5, 1);
    var actor = owners.actor(tp);
    var stopped = owners.stopped(actor);

    actor.tell(UnitStateActor.Stop.INSTANCE);

    assertThat(stopped).succeedsWithin(TIMEOUT);
    assertThat(owners.continuing(tp)).isNull();
  }

  @Test
  void aRefusedPartitionIsReleasedAtItsRevokeAndClearedWhenRestored() {
    health.restored(tp.partition(), new RestoreDecision(RestoreDecision.Action.REFUSE, 0, 0, "x"));
    owners.refuse(tp);
    assertThat(owners.isRefused(tp)).isTrue();

    owners.revoke(Set.of(tp));
    assertThat(owners.isRefused(tp)).isFalse();
    assertThat(health.refused()).doesNotContainKey(tp.partition());

    owners.refuse(tp);
    owners.start(tp, UnitStateFixtures.freshState(), 0, 1);
    assertThat(owners.isRefused(tp)).isFalse();
    owners.revoke(Set.of(tp));
  }
}
