package org.abtest.analytics.units;

import static org.abtest.analytics.units.PhaseAttributionTest.PHASE_1;
import static org.abtest.analytics.units.PhaseAttributionTest.PHASE_2;
import static org.abtest.analytics.units.PhaseAttributionTest.SETTINGS;
import static org.abtest.analytics.units.PhaseAttributionTest.START_2;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.protocol.events.TrackedEvent;
import org.junit.jupiter.api.Test;

/**
 * Phase starts in snapshots (layout 5): a restored table keeps its phase's start, so a late
 * exposure finds its phase even where nothing else names the experiment. {@code
 * snapshot-v4-phases.bin} was written by the layout-4 codec (as of 97a1853, before layout 5) from a
 * state with u1 exposed to "a" a minute before phase 2 began and u2 to "b" a minute after.
 */
class PhaseSnapshotTest {

  private static final UnitHasher HASHER = new UnitHasher("k");
  private static final TrackedEvent LATE =
      TrackedEvent.exposure("late", "u3", "exp", "b", START_2.minusSeconds(10));
  private static final long LATE_AT = START_2.plusSeconds(900).toEpochMilli();

  @Test
  void aLayoutFourSnapshotIsReadAndItsTablesStartUnknown() throws Exception {
    byte[] v4 = resource("/units/snapshot-v4-phases.bin");
    assertThat(v4[3]).isEqualTo((byte) 4);
    var definitions = new PhaseAttributionTest.Definitions();
    definitions.phases = List.of(PHASE_1, PHASE_2);
    PartitionState restored = PartitionStateCodec.decode(v4, HASHER, definitions, SETTINGS);
    assertThat(units(restored, 1)).isEqualTo(Map.of("a", 1L));
    assertThat(units(restored, 2)).isEqualTo(Map.of("b", 1L));
    // the node's definitions give the starts: the late exposure counts in phase 1
    restored.apply(LATE, LATE_AT);
    assertThat(units(restored, 1)).isEqualTo(Map.of("a", 1L, "b", 1L));

    // with nothing naming the experiment, a layout-4 table has no start: the newest phase (the
    // former rule, docs/aggregation.md "Phase")
    PartitionState alone = PartitionStateCodec.decode(v4, HASHER, key -> null, SETTINGS);
    alone.apply(LATE, LATE_AT);
    assertThat(units(alone, 2)).isEqualTo(Map.of("b", 2L));
  }

  @Test
  void aRestoredTableKeepsItsPhaseStartWhenNothingElseNamesTheExperiment() {
    var definitions = new PhaseAttributionTest.Definitions();
    definitions.phases = List.of(PHASE_1, PHASE_2);
    PartitionState live = new PartitionState(HASHER, definitions, SETTINGS);
    live.apply(exposure("u1", "a", START_2.minusSeconds(60)), START_2.toEpochMilli());
    live.apply(
        exposure("u2", "b", START_2.plusSeconds(60)), START_2.plusSeconds(61).toEpochMilli());
    byte[] snapshot = PartitionStateCodec.encode(live);
    assertThat(snapshot[3]).isEqualTo((byte) PartitionStateCodec.VERSION);

    // a restart after a pause, on a node whose definitions no longer name "exp"
    PartitionState restored = PartitionStateCodec.decode(snapshot, HASHER, key -> null, SETTINGS);
    restored.apply(LATE, LATE_AT);
    live.apply(LATE, LATE_AT);
    assertThat(units(restored, 1)).isEqualTo(Map.of("a", 1L, "b", 1L));
    assertThat(restored.partials("exp")).isEqualTo(live.partials("exp"));
  }

  private static Map<String, Long> units(PartitionState s, int phase) {
    return s.partials("exp").stream()
        .filter(t -> t.phase() == phase)
        .map(ExperimentTotals::unitsPerVariant)
        .findFirst()
        .orElseThrow();
  }

  private static TrackedEvent exposure(String unit, String variant, Instant ts) {
    return TrackedEvent.exposure("e-" + unit, unit, "exp", variant, ts);
  }

  private byte[] resource(String name) throws Exception {
    try (InputStream in = getClass().getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }
}
