package org.abtest.analytics.ingest;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.analytics.aggregate.ExperimentAggregator;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.analytics.units.EventStreams;
import org.abtest.analytics.units.PartitionState;
import org.abtest.analytics.units.PartitionStateCodec;
import org.abtest.analytics.units.UnitStateSettings;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.events.TrackedEventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * What the unit-state actor tests share: partials handed to a test's probe, Kafka records made from
 * events, and snapshot writes a test answers itself.
 */
final class UnitStateFixtures {

  static final String TOPIC = "events";
  static final UnitHasher HASHER = new UnitHasher("test-key");
  static final Instant T0 = EventStreams.T0;

  /** Serialization checked for every message, as the cluster would. */
  static final Config CONFIG =
      ConfigFactory.parseString("pekko.actor.serialize-messages = on")
          .withFallback(ConfigFactory.load());

  private UnitStateFixtures() {}

  /** A partial as an experiment's aggregator would receive it. */
  record Received(String experiment, ExperimentAggregator.ReplacePartial partial)
      implements NoSerializationVerificationNeeded {}

  /**
   * Partials to {@code probe}, each checked to survive serialization as it would on its way to the
   * aggregator's node.
   */
  static PartialsSink partialsTo(ActorSystem<?> system, TestProbe<Received> probe) {
    SerializationTestKit serialization = new SerializationTestKit(system);
    return (experiment, partial) -> {
      serialization.verifySerialization(partial, true);
      probe.ref().tell(new Received(experiment, partial));
    };
  }

  static PartitionState freshState() {
    return new PartitionState(HASHER, EventStreams::definition, UnitStateSettings.DEFAULTS);
  }

  static PartitionState freshState(UnitStateSettings settings) {
    return new PartitionState(HASHER, EventStreams::definition, settings);
  }

  static TrackedEvent exposure(String unit, String experiment, String variant) {
    return TrackedEvent.exposure(null, unit, experiment, variant, T0);
  }

  /**
   * A metric event without an event id, so that only the offset can keep it from counting twice.
   */
  static TrackedEvent metric(String unit, String type, double value) {
    return new TrackedEvent(
        null, TrackedEvent.METRIC, unit, null, null, type, value, T0.plusSeconds(60), null);
  }

  static ConsumerRecord<String, byte[]> record(int partition, long offset, TrackedEvent event) {
    return raw(partition, offset, event.unit(), TrackedEventCodec.write(event));
  }

  static ConsumerRecord<String, byte[]> raw(int partition, long offset, String key, byte[] value) {
    return new ConsumerRecord<>(
        TOPIC,
        partition,
        offset,
        T0.plusSeconds(offset).toEpochMilli(),
        TimestampType.CREATE_TIME,
        key.length(),
        value.length,
        key,
        value,
        new RecordHeaders(),
        Optional.empty());
  }

  /** Settings with no snapshot ever due on its own: tests that snapshot say when. */
  static UnitStateActor.Settings publishEvery(Duration publish, Duration republish) {
    return new UnitStateActor.Settings(
        publish, republish, Duration.ofHours(1), new SnapshotPolicy(64, Duration.ofHours(1)));
  }

  /** The state a snapshot's chunks hold. */
  static PartitionState decode(List<byte[]> chunks) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    chunks.forEach(all::writeBytes);
    return PartitionStateCodec.decode(
        all.toByteArray(), HASHER, EventStreams::definition, UnitStateSettings.DEFAULTS);
  }

  /** Snapshot writes, each answered when the test completes its {@code done}. */
  static final class Writes implements SnapshotWriter {

    record Save(
        int partition,
        long generation,
        long previous,
        List<byte[]> state,
        long nextOffset,
        CompletableFuture<Done> done)
        implements NoSerializationVerificationNeeded {}

    record Discard(int partition, long generation) implements NoSerializationVerificationNeeded {}

    final TestProbe<Save> saves;
    final TestProbe<Discard> discards;

    Writes(ActorSystem<?> system) {
      this.saves = TestProbe.create(system);
      this.discards = TestProbe.create(system);
    }

    @Override
    public CompletionStage<Done> save(
        String topic,
        int partition,
        long generation,
        long previous,
        List<byte[]> state,
        long nextOffset) {
      CompletableFuture<Done> done = new CompletableFuture<>();
      saves.ref().tell(new Save(partition, generation, previous, state, nextOffset, done));
      return done;
    }

    @Override
    public CompletionStage<SnapshotJanitor.Outcome> discardFailed(
        String topic, int partition, long generation) {
      discards.ref().tell(new Discard(partition, generation));
      return CompletableFuture.completedFuture(SnapshotJanitor.Outcome.DELETED);
    }
  }
}
