package org.abtest.analytics.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.junit.jupiter.api.Test;

/**
 * Which definition an exposure counts with once the node's definitions no longer name its
 * experiment (paused or concluded, after a restart): a restored table's own, always.
 */
class PartitionDefinitionsTest {

  private static final ExperimentDefinition EXP =
      ExperimentDefinition.of(
          "exp", 1, List.of(new MetricDefinition("rev", "buy", MetricKind.MEAN, null)));
  private static final UnitStateSettings SETTINGS =
      new UnitStateSettings(Duration.ofHours(24), 24, Duration.ofSeconds(30), 8, 100);
  private static final Function<String, ExperimentDefinition> KNOWN =
      key -> key.equals("exp") ? EXP : null;
  private static final Function<String, ExperimentDefinition> NONE = key -> null;

  private final Instant t0 = Instant.parse("2026-11-22T00:00:00Z");
  private int ids;
  private long clock = t0.toEpochMilli();

  @Test
  void aRestoredTableCountsExposuresWhoseExperimentTheDefinitionsNoLongerKnow() {
    PartitionState live = new PartitionState(new UnitHasher("k"), KNOWN, SETTINGS);
    List<TrackedEvent> before = List.of(expose("u1", "a"), metric("u1", 2), expose("u2", "b"));
    List<TrackedEvent> after = List.of(expose("u3", "a"), metric("u3", 5), expose("u4", "b"));
    before.forEach(e -> live.apply(e, e.ts().toEpochMilli()));
    byte[] snapshot = PartitionStateCodec.encode(live);
    after.forEach(e -> live.apply(e, e.ts().toEpochMilli()));

    // a restart after the pause: the manifest no longer names "exp", the snapshot's table does
    PartitionState restored =
        PartitionStateCodec.decode(snapshot, new UnitHasher("k"), NONE, SETTINGS);
    after.forEach(e -> restored.apply(e, e.ts().toEpochMilli()));

    assertThat(restored.unknownExposures()).isZero();
    assertThat(only(restored).unitsPerVariant()).isEqualTo(Map.of("a", 2L, "b", 2L));
    assertThat(only(restored).metrics().get("rev").get("a").sum()).isEqualTo(7.0);
    assertThat(restored.partials("exp")).isEqualTo(live.partials("exp"));
  }

  @Test
  void anExperimentNeverDefinedAndWithoutATableIsStillIgnored() {
    PartitionState state = new PartitionState(new UnitHasher("k"), NONE, SETTINGS);
    TrackedEvent e = expose("u1", "a");
    state.apply(e, e.ts().toEpochMilli());
    assertThat(state.unknownExposures()).isEqualTo(1);
    assertThat(state.partials("exp")).isEmpty();
  }

  @Test
  void everyExposureInTheLogCountsWhateverTheStatusWhenTheDefinitionIsStored() {
    // the pause rule: what the edge let into the log before the pause counts; a replay from offset
    // 0 with the stored definition (the experiment paused meanwhile) equals the live run
    List<TrackedEvent> log =
        List.of(expose("u1", "a"), metric("u1", 1), expose("u2", "b"), metric("u2", 4));
    PartitionState live = new PartitionState(new UnitHasher("k"), KNOWN, SETTINGS);
    log.forEach(e -> live.apply(e, e.ts().toEpochMilli()));
    PartitionState replay = new PartitionState(new UnitHasher("k"), KNOWN, SETTINGS);
    log.forEach(e -> replay.apply(e, e.ts().toEpochMilli()));
    assertThat(replay.partials("exp")).isEqualTo(live.partials("exp"));
    assertThat(only(live).unitsPerVariant()).isEqualTo(Map.of("a", 1L, "b", 1L));
  }

  private static ExperimentTotals only(PartitionState s) {
    assertThat(s.partials("exp")).hasSize(1);
    return s.partials("exp").get(0);
  }

  private TrackedEvent expose(String unit, String variant) {
    clock += 1000;
    return TrackedEvent.exposure("e" + ids++, unit, "exp", variant, Instant.ofEpochMilli(clock));
  }

  private TrackedEvent metric(String unit, double value) {
    clock += 1000;
    return new TrackedEvent(
        "e" + ids++,
        TrackedEvent.METRIC,
        unit,
        null,
        null,
        "buy",
        value,
        Instant.ofEpochMilli(clock),
        null);
  }
}
