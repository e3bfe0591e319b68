package org.abtest.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.analytics.units.ExperimentDefinition;
import org.abtest.analytics.units.PartitionState;
import org.abtest.analytics.units.PartitionStateCodec;
import org.abtest.analytics.units.UnitStateSettings;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.junit.jupiter.api.Test;

/** A snapshot goes out and comes back in bounded chunks, and is the same state. */
class SnapshotChunksTest {

  private static final ExperimentDefinition EXP =
      ExperimentDefinition.of(
          "exp", 1, List.of(new MetricDefinition("rev", "buy", MetricKind.MEAN, null)));
  private static final UnitHasher HASHER = new UnitHasher("k");
  private static final UnitStateSettings SETTINGS =
      new UnitStateSettings(Duration.ofHours(1), 4, Duration.ofSeconds(30), 8, 10_000);

  @Test
  void aStateEncodesInChunksOfTheSizeAskedAndDecodesFromThemAsFromOneArray() {
    PartitionState state = randomState(11, 3_000);
    int chunkBytes = 4096;
    List<byte[]> chunks = PartitionStateCodec.encodeChunks(state, chunkBytes);
    assertThat(chunks).hasSizeGreaterThan(10);
    for (int i = 0; i < chunks.size() - 1; i++) {
      assertThat(chunks.get(i)).hasSize(chunkBytes);
    }
    assertThat(chunks.get(chunks.size() - 1).length).isBetween(1, chunkBytes);

    var snapshot =
        new PartitionSnapshots.Snapshot(chunks.stream().map(ByteBuffer::wrap).toList(), 42, 7);
    assertThat(PartitionStateCodec.readable(snapshot.head(4))).isTrue();
    PartitionState restored =
        PartitionStateCodec.decode(snapshot.stream(), HASHER, key -> EXP, t -> true, SETTINGS);
    assertThat(restored.partials("exp")).isEqualTo(state.partials("exp"));
    assertThat(restored.usage().dedupIds()).isEqualTo(state.usage().dedupIds());
    assertThat(restored.heldEvents()).isEqualTo(state.heldEvents());
    // the same content (fingerprints come back in another order: grouped, not as hashed)
    assertThat(PartitionStateCodec.encode(restored))
        .hasSameSizeAs(PartitionStateCodec.encode(state));
  }

  @Test
  void anEmptyStateIsOneShortChunk() {
    PartitionState empty = new PartitionState(HASHER, key -> EXP, SETTINGS);
    List<byte[]> chunks = PartitionStateCodec.encodeChunks(empty, PartitionSnapshots.CHUNK);
    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).length).isLessThan(100);
  }

  private static PartitionState randomState(long seed, int events) {
    Random random = new Random(seed);
    PartitionState state = new PartitionState(HASHER, key -> EXP, SETTINGS);
    long clock = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();
    for (int i = 0; i < events; i++) {
      clock += random.nextInt(50);
      String unit = "u" + random.nextInt(500);
      Instant ts = Instant.ofEpochMilli(clock - random.nextInt(5000));
      TrackedEvent e =
          random.nextInt(3) == 0
              ? TrackedEvent.exposure("e" + i, unit, "exp", random.nextBoolean() ? "a" : "b", ts)
              : new TrackedEvent(
                  "e" + i, TrackedEvent.METRIC, unit, null, null, "buy", 1.5, ts, null);
      state.apply(e, clock);
    }
    return state;
  }
}
