package org.abtest.analytics.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.junit.jupiter.api.Test;

/** The budget of DESIGN/issue 5: at most 64 bytes per unit × experiment at a million units. */
class UnitStateMemoryTest {

  @Test
  void aMillionUnitsWithTwoMetricsFitInSixtyFourBytesEach() {
    var definition =
        ExperimentDefinition.of(
            "exp",
            1,
            List.of(
                new MetricDefinition("conv", "buy", MetricKind.PROPORTION, 168),
                new MetricDefinition("rev", "buy", MetricKind.MEAN, 168)));
    // no dedup and no hold: this measures what grows with units only
    var state =
        new PartitionState(
            new UnitHasher("k"),
            key -> definition,
            new UnitStateSettings(Duration.ofMillis(1), 1, Duration.ZERO, 0, 0));
    Instant at = Instant.parse("2026-11-22T10:00:00Z");
    for (int u = 0; u < 1_000_000; u++) {
      state.apply(
          new TrackedEvent(
              null,
              TrackedEvent.EXPOSURE,
              "user-" + u,
              "exp",
              u % 2 == 0 ? "a" : "b",
              null,
              null,
              at,
              null),
          at.toEpochMilli());
    }
    double perUnit = (double) state.unitBytes() / state.unitEntries();
    System.out.printf(
        "unit state: %.1f bytes per unit × experiment at %d units%n", perUnit, state.unitEntries());
    assertThat(state.unitEntries()).isEqualTo(1_000_000);
    assertThat(perUnit).isLessThanOrEqualTo(64);
  }

  /**
   * The CUPED pre-exposure history: per unit × event type with events (4 kept one by one by
   * default), whatever the number of events. Not part of the 64 bytes: it holds units active within
   * the lookback, exposed or not.
   */
  @Test
  void preExposureHistoryOfAMillionUnitsIsBoundedPerUnit() {
    var state =
        new PartitionState(
            new UnitHasher("k"),
            key -> null,
            new UnitStateSettings(Duration.ofMillis(1), 1, Duration.ZERO, 0, 0));
    Instant at = Instant.parse("2026-11-22T10:00:00Z");
    for (int round = 0; round < 6; round++) {
      for (int u = 0; u < 1_000_000; u++) {
        state.apply(
            new TrackedEvent(
                null, TrackedEvent.METRIC, "user-" + u, null, null, "buy", 1.0, at, null),
            at.toEpochMilli());
      }
      at = at.plusSeconds(1);
    }
    double perEntry = (double) state.covariateBytes() / state.covariateEntries();
    System.out.printf(
        "covariate history: %.1f bytes per unit × event type at %d entries, 6 events each%n",
        perEntry, state.covariateEntries());
    assertThat(state.covariateEntries()).isEqualTo(1_000_000);
    assertThat(perEntry).isLessThanOrEqualTo(160);
  }
}
