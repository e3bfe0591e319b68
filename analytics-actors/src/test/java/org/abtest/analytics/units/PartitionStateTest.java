package org.abtest.analytics.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.MetricSums;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.junit.jupiter.api.Test;

class PartitionStateTest {

  private static final long H = 3_600_000L;
  private static final ExperimentDefinition EXP =
      ExperimentDefinition.of(
          "exp",
          1,
          List.of(
              new MetricDefinition("conv", "buy", MetricKind.PROPORTION, 1),
              new MetricDefinition("rev", "buy", MetricKind.MEAN, null),
              new MetricDefinition("fun", null, null, 2, List.of("view", "cart", "buy"))));

  private int ids;
  private long clock = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();
  private final PartitionState state =
      new PartitionState(
          new UnitHasher("k"),
          key -> key.equals("exp") ? EXP : null,
          new UnitStateSettings(Duration.ofHours(24), 24, Duration.ofSeconds(30), 3, 100));

  @Test
  void aUnitCountsOnceInTheVariantOfItsFirstExposure() {
    expose("u1", "a", 0);
    expose("u1", "a", 10);
    expose("u1", "b", 20);
    expose("u1", "b", 30);
    expose("u2", "b", 0);
    assertThat(totals().unitsPerVariant()).isEqualTo(Map.of("a", 1L, "b", 1L));
    assertThat(totals().multipleExposureUnits()).isEqualTo(1);
  }

  @Test
  void eachEnvironmentsEventsCountInItsOwnResultsAndTheSameUnitIdIsAnotherUnitThere() {
    expose("u1", "a", 0);
    Instant at = Instant.parse("2026-11-22T00:00:00Z");
    state.apply(TrackedEvent.exposure("s1", "u1", "exp", "b", at).inEnvironment("staging"), clock);
    state.apply(
        new TrackedEvent("s2", "metric", "u1", null, null, "buy", 5.0, at.plusSeconds(1), null)
            .inEnvironment("staging"),
        clock);
    state.apply(
        TrackedEvent.exposure("p1", "p-unit", "exp", "b", at).inEnvironment("production"), clock);
    // production: u1 in a (its staging exposure to b is another unit's), p-unit in b, no revenue
    assertThat(totals().unitsPerVariant()).isEqualTo(Map.of("a", 1L, "b", 1L));
    assertThat(totals().multipleExposureUnits()).isZero();
    assertThat(sums("rev", "a")).isEqualTo(new MetricSums(1, 0, 0, 0, 0, 0));
    // staging: its u1 in b with the revenue of staging's event
    ExperimentTotals staging = state.partials("exp@staging").get(0);
    assertThat(staging.experiment()).isEqualTo("exp@staging");
    assertThat(staging.unitsPerVariant()).isEqualTo(Map.of("b", 1L));
    assertThat(staging.metrics().get("rev").get("b")).isEqualTo(new MetricSums(1, 5, 25, 0, 0, 0));
    assertThat(state.experiments()).containsExactlyInAnyOrder("exp", "exp@staging");
    assertThat(state.otherEnvironmentEvents()).isEqualTo(2);
  }

  @Test
  void everyExposedUnitCountsInNEvenWithoutEvents() {
    expose("u1", "a", 0);
    expose("u2", "a", 0);
    metric("u1", "buy", 5.0, 1000);
    assertThat(sums("conv", "a")).isEqualTo(new MetricSums(2, 1, 1, 0, 0, 0));
    assertThat(sums("rev", "a")).isEqualTo(new MetricSums(2, 5, 25, 0, 0, 0));
  }

  @Test
  void aMeanIsThePerUnitSumAndSquaresAreOfThatSum() {
    expose("u1", "a", 0);
    metric("u1", "buy", 2.0, 1000);
    metric("u1", "buy", 3.0, 2000);
    assertThat(sums("rev", "a")).isEqualTo(new MetricSums(1, 5, 25, 0, 0, 0));
    assertThat(sums("conv", "a")).isEqualTo(new MetricSums(1, 1, 1, 0, 0, 0));
  }

  @Test
  void eventsBeforeExposureOrAfterTheWindowDoNotCount() {
    expose("u1", "a", H);
    metric("u1", "buy", 7.0, H - 1);
    metric("u1", "buy", 7.0, 2 * H);
    assertThat(sums("conv", "a").sum()).isZero();
    assertThat(sums("rev", "a").sum()).isEqualTo(7.0); // no window on revenue
  }

  @Test
  void anEventThatArrivesBeforeItsExposureIsAttributedWhenTheExposureArrives() {
    metric("u1", "buy", 4.0, 1000);
    expose("u1", "a", 0);
    assertThat(sums("rev", "a").sum()).isEqualTo(4.0);
  }

  @Test
  void aHeldEventExpiresAfterTheHoldTime() {
    metric("u1", "buy", 4.0, 1000);
    clock += 31_000;
    expose("u1", "a", 0);
    assertThat(sums("rev", "a").sum()).isZero();
  }

  @Test
  void aUnitHoldsOnlyItsNewestEventsWhenItsBufferIsFull() {
    for (int i = 1; i <= 4; i++) {
      metric("u1", "buy", i, 1000);
    }
    expose("u1", "a", 0);
    assertThat(sums("rev", "a").sum()).isEqualTo(2 + 3 + 4);
  }

  @Test
  void aDuplicatedEventIdCountsOnce() {
    expose("u1", "a", 0);
    TrackedEvent buy = metric("u1", "buy", 4.0, 1000);
    state.apply(buy, clock);
    assertThat(sums("rev", "a").sum()).isEqualTo(4.0);
    assertThat(state.duplicates()).isEqualTo(1);
  }

  @Test
  void anEventIdIsForgottenOnlyAfterTheDedupWindow() {
    expose("u1", "a", 0);
    TrackedEvent buy = metric("u1", "buy", 4.0, 1000);
    clock += 23 * H;
    state.apply(buy, clock);
    clock += 3 * H;
    state.apply(buy, clock);
    assertThat(sums("rev", "a").sum()).isEqualTo(8.0);
  }

  @Test
  void exposuresToUnknownExperimentsAreCountedAndIgnored() {
    state.apply(TrackedEvent.exposure("x", "u1", "nope", "a", Instant.ofEpochMilli(clock)), clock);
    assertThat(state.experiments()).isEmpty();
    assertThat(state.unknownExposures()).isEqualTo(1);
  }

  @Test
  void funnelStepsCountOnlyInOrder() {
    // each step's EARLIEST event counts (first-occurrence funnel, by ts): u1's first cart is
    // before its first view, so a later cart does not reach the cart step
    expose("u1", "a", 0);
    metric("u1", "cart", 1, 1000); // before view: not a step
    metric("u1", "view", 1, 2000);
    metric("u1", "cart", 1, 3000);
    expose("u4", "a", 0);
    metric("u4", "view", 1, 2000);
    metric("u4", "cart", 1, 3000);
    expose("u2", "a", 0);
    metric("u2", "view", 1, 5000);
    metric("u2", "cart", 1, 4000); // earlier than the view: not the next step
    expose("u3", "a", 0);
    metric("u3", "view", 1, 1000);
    metric("u3", "cart", 1, 2000);
    metric("u3", "buy", 1, 3 * H); // outside the 2 h funnel window
    assertThat(totals().funnelSteps()).isEqualTo(Map.of("a", List.of(4L, 2L, 0L)));
  }

  @Test
  void funnelStepsCountByTimeWhateverTheArrivalOrder() {
    expose("u1", "a", 0);
    metric("u1", "buy", 1, 3000); // arrives first, happened last
    metric("u1", "cart", 1, 2000);
    metric("u1", "view", 1, 1000);
    expose("u2", "a", 0);
    metric("u2", "view", 1, 2000);
    metric("u2", "cart", 1, 3000);
    metric("u2", "view", 1, 4000); // a later view changes nothing
    metric("u2", "cart", 1, 1000); // an earlier cart: its first cart is before its first view
    assertThat(totals().funnelSteps()).isEqualTo(Map.of("a", List.of(2L, 1L, 1L)));
  }

  @Test
  void aBackDatedExposureToAnotherVariantMovesNothingAndOnlyMarksTheUnit() {
    expose("u1", "a", 5000);
    metric("u1", "buy", 3, 6000);
    metric("u1", "view", 1, 7000);
    expose("u1", "b", 1000); // back-dated, to the other variant: the first in the log stands
    expose("u1", "a", 500);
    expose("u2", "a", 5000);
    metric("u2", "buy", 3, 6000);
    expose("u2", "a", 1000); // a late retry of the right variant changes nothing
    var t = totals();
    assertThat(t.unitsPerVariant()).isEqualTo(Map.of("a", 2L));
    assertThat(t.metrics().get("rev").get("a").sum()).isEqualTo(6.0);
    assertThat(t.funnelSteps()).isEqualTo(Map.of("a", List.of(1L, 0L, 0L)));
    assertThat(t.multipleExposureUnits()).isEqualTo(1);
    // and it survives a snapshot
    var restored =
        PartitionStateCodec.decode(
            PartitionStateCodec.encode(state),
            new UnitHasher("k"),
            key -> key.equals("exp") ? EXP : null,
            new UnitStateSettings(Duration.ofHours(24), 24, Duration.ofSeconds(30), 3, 100));
    assertThat(restored.partials("exp")).isEqualTo(state.partials("exp"));
  }

  @Test
  void snapshotsOfAnUnknownLayoutAreNotReadable() {
    expose("u1", "a", 0);
    byte[] current = PartitionStateCodec.encode(state);
    assertThat(PartitionStateCodec.readable(current)).isTrue();
    byte[] newer = current.clone();
    // layouts 1 to the current are read (LayoutOneSnapshotTest, PhaseSnapshotTest,
    // CappedMetricTest)
    newer[3] = (byte) (PartitionStateCodec.VERSION + 1);
    assertThat(PartitionStateCodec.readable(newer)).isFalse();
    assertThat(PartitionStateCodec.readable(new byte[2])).isFalse();
  }

  @Test
  void changedExperimentsAreReportedOnce() {
    expose("u1", "a", 0);
    assertThat(state.takeDirty()).containsExactly("exp");
    assertThat(state.takeDirty()).isEmpty();
    metric("u9", "buy", 1, 0);
    assertThat(state.takeDirty()).isEmpty();
  }

  private void expose(String unit, String variant, long at) {
    clock += 10;
    state.apply(
        TrackedEvent.exposure(
            "e" + ids++,
            unit,
            "exp",
            variant,
            Instant.parse("2026-11-22T00:00:00Z").plusMillis(at)),
        clock);
  }

  private TrackedEvent metric(String unit, String type, double value, long at) {
    clock += 10;
    TrackedEvent e =
        new TrackedEvent(
            "e" + ids++,
            TrackedEvent.METRIC,
            unit,
            null,
            null,
            type,
            value,
            Instant.parse("2026-11-22T00:00:00Z").plusMillis(at),
            null);
    state.apply(e, clock);
    return e;
  }

  private ExperimentTotals totals() {
    return state.partials("exp").get(0);
  }

  private MetricSums sums(String metric, String variant) {
    return totals().metrics().get(metric).get(variant);
  }
}
