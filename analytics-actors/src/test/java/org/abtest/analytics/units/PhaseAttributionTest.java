package org.abtest.analytics.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.junit.jupiter.api.Test;

/**
 * Live unit state gives an exposure the phase in force at its ts, whenever it is processed: after a
 * new phase starts, a phase-1 exposure read late (lag, restart, rebalance) still counts in phase 1,
 * and so do its unit's metric events.
 */
class PhaseAttributionTest {

  static final Instant START_1 = Instant.parse("2026-11-22T00:00:00Z");
  static final Instant START_2 = START_1.plus(Duration.ofHours(2));
  static final List<MetricDefinition> METRICS =
      List.of(new MetricDefinition("rev", "buy", MetricKind.MEAN, null));
  static final ExperimentDefinition PHASE_1 =
      ExperimentDefinition.of("exp", 1, METRICS).withStartedAt(START_1);
  static final ExperimentDefinition PHASE_2 =
      ExperimentDefinition.of("exp", 2, METRICS).withStartedAt(START_2);
  static final UnitStateSettings SETTINGS =
      new UnitStateSettings(Duration.ofHours(24), 24, Duration.ofSeconds(30), 8, 100);

  /** What a node's definitions show: phase 1 until the manifest shows phase 2, then both. */
  static final class Definitions implements PhaseDefinitions {
    List<ExperimentDefinition> phases = List.of(PHASE_1);

    @Override
    public ExperimentDefinition apply(String key) {
      return key.equals("exp") ? phases.get(phases.size() - 1) : null;
    }

    @Override
    public List<ExperimentDefinition> phases(String key) {
      return key.equals("exp") ? phases : List.of();
    }
  }

  private final Definitions definitions = new Definitions();
  private final PartitionState state =
      new PartitionState(new UnitHasher("k"), definitions, SETTINGS);
  private int ids;

  @Test
  void anExposureProcessedAfterANewPhaseStartsCountsInThePhaseOfItsTs() {
    apply(exposure("u1", "a", START_2.minusSeconds(60)), START_2.minusSeconds(59));
    definitions.phases = List.of(PHASE_1, PHASE_2);
    // read late: posted a minute before phase 2 began, processed ten minutes after
    apply(exposure("u2", "b", START_2.minusSeconds(30)), START_2.plusSeconds(600));
    apply(exposure("u3", "a", START_2.plusSeconds(30)), START_2.plusSeconds(601));

    assertThat(phase(1).unitsPerVariant()).isEqualTo(Map.of("a", 1L, "b", 1L));
    assertThat(phase(2).unitsPerVariant()).isEqualTo(Map.of("a", 1L));
  }

  @Test
  void anExposureAtThePhaseStartCountsInTheNewPhase() {
    definitions.phases = List.of(PHASE_1, PHASE_2);
    apply(exposure("u1", "a", START_2), START_2.plusSeconds(1));
    apply(exposure("u2", "a", START_2.minusMillis(1)), START_2.plusSeconds(1));
    assertThat(phase(1).unitsPerVariant()).isEqualTo(Map.of("a", 1L));
    assertThat(phase(2).unitsPerVariant()).isEqualTo(Map.of("a", 1L));
  }

  @Test
  void theMetricEventsOfALateExposureCountInThePhaseOfTheExposure() {
    definitions.phases = List.of(PHASE_1, PHASE_2);
    apply(exposure("u1", "a", START_2.minusSeconds(30)), START_2.plusSeconds(600));
    apply(buy("u1", 5, START_2.plusSeconds(10)), START_2.plusSeconds(601));
    assertThat(phase(1).metrics().get("rev").get("a").sum()).isEqualTo(5.0);
    assertThat(state.partials("exp")).hasSize(1); // no phase-2 table: nobody exposed in it
  }

  @Test
  void anExposureBeforeTheFirstPhaseStartsCountsInTheFirstPhase() {
    definitions.phases = List.of(PHASE_1, PHASE_2);
    apply(exposure("u1", "a", START_1.minusSeconds(5)), START_1.plusSeconds(1));
    assertThat(phase(1).unitsPerVariant()).isEqualTo(Map.of("a", 1L));
  }

  @Test
  void aRestoredPartitionKeepsCountingLateExposuresInThePhaseOfTheirTs() {
    definitions.phases = List.of(PHASE_1, PHASE_2);
    apply(exposure("u1", "a", START_2.minusSeconds(60)), START_2.minusSeconds(59));
    apply(exposure("u2", "a", START_2.plusSeconds(60)), START_2.plusSeconds(61));
    PartitionState restored =
        PartitionStateCodec.decode(
            PartitionStateCodec.encode(state), new UnitHasher("k"), definitions, SETTINGS);
    TrackedEvent late = exposure("u3", "b", START_2.minusSeconds(10));
    restored.apply(late, START_2.plusSeconds(900).toEpochMilli());
    apply(late, START_2.plusSeconds(900));

    assertThat(restored.partials("exp")).isEqualTo(state.partials("exp"));
    assertThat(restored.partials("exp").get(0).unitsPerVariant())
        .isEqualTo(Map.of("a", 1L, "b", 1L));
  }

  private ExperimentTotals phase(int n) {
    return state.partials("exp").stream().filter(t -> t.phase() == n).findFirst().orElseThrow();
  }

  private void apply(TrackedEvent e, Instant recordTime) {
    state.apply(e, recordTime.toEpochMilli());
  }

  private TrackedEvent exposure(String unit, String variant, Instant ts) {
    return TrackedEvent.exposure("e" + ids++, unit, "exp", variant, ts);
  }

  private TrackedEvent buy(String unit, double value, Instant ts) {
    return new TrackedEvent(
        "e" + ids++, TrackedEvent.METRIC, unit, null, null, "buy", value, ts, null);
  }
}
