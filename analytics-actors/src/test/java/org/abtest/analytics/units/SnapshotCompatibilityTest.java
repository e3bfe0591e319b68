package org.abtest.analytics.units;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;

/**
 * {@code snapshot-v3.bin} was written by the version-3 codec (commit 041a4f7, before fingerprints
 * and the ring of held events) after the first half of {@code
 * IncrementalEqualsNaiveTest.withRecordTimes(EventStreams.generate(77, 120), 77)}; {@code
 * snapshot-v3-partials.json} holds its partials then.
 */
class SnapshotCompatibilityTest {

  private static final UnitStateSettings SETTINGS =
      new UnitStateSettings(Duration.ofHours(24), 24, Duration.ofMillis(20_000), 127, 1_000_000);
  private static final UnitHasher HASHER = new UnitHasher("test-key");

  @Test
  void aVersionThreeSnapshotLoadsWithItsPartialsIdsAndHeldEvents() throws Exception {
    byte[] v3 = resource("/units/snapshot-v3.bin");
    Map<String, List<ExperimentTotals>> expected =
        Json.mapper()
            .readValue(resource("/units/snapshot-v3-partials.json"), new TypeReference<>() {});
    assertThat(PartitionStateCodec.readable(v3)).isTrue();
    PartitionState restored = decode(v3);
    for (String key : List.of("checkout", "search")) {
      assertThat(restored.partials(key)).isEqualTo(expected.get(key));
    }
    assertThat(restored.duplicates()).isEqualTo(41);
    assertThat(restored.heldEvents()).isEqualTo(8);
    assertThat(restored.covariateEntries()).isEqualTo(188);
    assertThat(restored.unitEntries()).isEqualTo(126);

    // the ids of the first half are still known (as 64-bit hashes): replaying it counts nothing
    var log = IncrementalEqualsNaiveTest.withRecordTimes(EventStreams.generate(77, 120), 77);
    var firstHalf = log.subList(0, log.size() / 2);
    long before = restored.duplicates();
    long at = restored.streamTime;
    firstHalf.forEach(r -> restored.apply(r.event(), at));
    assertThat(restored.duplicates()).isEqualTo(before + firstHalf.size());
    for (String key : List.of("checkout", "search")) {
      assertThat(NaiveTotals.of(restored.partials(key).get(0)))
          .isEqualTo(NaiveTotals.of(expected.get(key).get(0)));
    }

    // and it goes on in the current layout, ids included
    PartitionState again = decode(PartitionStateCodec.encode(restored));
    long dups = again.duplicates();
    again.apply(firstHalf.get(0).event(), at);
    assertThat(again.duplicates()).isEqualTo(dups + 1);
  }

  private static PartitionState decode(byte[] bytes) {
    return PartitionStateCodec.decode(bytes, HASHER, EventStreams::definition, SETTINGS);
  }

  private byte[] resource(String name) throws Exception {
    try (InputStream in = getClass().getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }
}
