package org.abtest.analytics.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which phase an exposure belongs to, by its ts (docs/aggregation.md, "Phase"). */
class PhaseRuleTest {

  private static final Instant T1 = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant T2 = Instant.parse("2026-11-10T00:00:00Z");
  private static final Instant T3 = Instant.parse("2026-11-20T00:00:00Z");

  @Test
  void anExposureAtOrAfterAPhaseStartBelongsToThatPhaseAndOneJustBeforeToThePrevious() {
    List<ExperimentDefinition> phases = List.of(phase(1, T1), phase(2, T2), phase(3, T3));
    assertThat(at(phases, T2.toEpochMilli() - 1)).isEqualTo(1);
    assertThat(at(phases, T2.toEpochMilli())).isEqualTo(2);
    assertThat(at(phases, T3.toEpochMilli() - 1)).isEqualTo(2);
    assertThat(at(phases, T3.toEpochMilli())).isEqualTo(3);
    assertThat(at(phases, Long.MAX_VALUE)).isEqualTo(3);
  }

  @Test
  void anExposureBeforeTheFirstPhaseStartsCountsInTheFirstPhase() {
    List<ExperimentDefinition> phases = List.of(phase(1, T1), phase(2, T2));
    assertThat(at(phases, T1.toEpochMilli() - 60_000)).isEqualTo(1);
    assertThat(at(phases, Long.MIN_VALUE)).isEqualTo(1);
  }

  @Test
  void theFirstPhaseKnownTakesEverythingBeforeTheNextOneEvenWhenItIsNotPhaseOne() {
    // a partition that knows phases 2 and 3 only (phase 1 never ran on it, nor was stored)
    List<ExperimentDefinition> phases = List.of(phase(2, T2), phase(3, T3));
    assertThat(at(phases, T1.toEpochMilli())).isEqualTo(2);
  }

  @Test
  void aPhaseWhoseStartIsUnknownTakesOverFromThePreviousPhase() {
    // definitions stored before starts were kept: the newest known phase, the former rule
    assertThat(at(List.of(phase(1, null), phase(2, null)), T1.toEpochMilli())).isEqualTo(2);
    assertThat(at(List.of(phase(1, T1), phase(2, null), phase(3, T3)), T2.toEpochMilli()))
        .isEqualTo(2);
    assertThat(at(List.of(phase(1, null), phase(2, T2)), T1.toEpochMilli())).isEqualTo(1);
  }

  @Test
  void aStartBeforeThePreviousPhasesStartCountsAsThePreviousStart() {
    // clocks of two regions: phase 3 stamped before phase 2; nothing can fall between them
    List<ExperimentDefinition> phases = List.of(phase(1, T1), phase(2, T3), phase(3, T2));
    assertThat(at(phases, T2.toEpochMilli())).isEqualTo(1);
    assertThat(at(phases, T3.toEpochMilli())).isEqualTo(3);
  }

  @Test
  void withoutPhasesThereIsNoDefinition() {
    assertThat(PhaseRule.at(List.of(), 0)).isNull();
  }

  private static int at(List<ExperimentDefinition> phases, long ts) {
    return PhaseRule.at(phases, ts).phase();
  }

  private static ExperimentDefinition phase(int n, Instant start) {
    return ExperimentDefinition.of("exp", n, List.of()).withStartedAt(start);
  }
}
