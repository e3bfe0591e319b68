package org.abtest.analytics.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.junit.jupiter.api.Test;

/** Every bound of the unit state holds by stream time and entry counts, whatever clients send. */
class StateLimitsTest {

  private static final ExperimentDefinition EXP =
      ExperimentDefinition.of(
          "exp", 1, List.of(new MetricDefinition("rev", "buy", MetricKind.MEAN, null)));
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final Instant YEAR_9999 = Instant.parse("9999-12-31T00:00:00Z");

  private long clock = T0.toEpochMilli();
  private int ids;

  @Test
  void farFutureEventsForDistinctUnitsLeaveNothingOnceTheStreamMovesOn() {
    PartitionState state = state(StateLimits.DEFAULTS);
    expose(state, "someone", T0);
    long before = bytesButDedup(state.usage());
    int n = 400_000;
    for (int u = 0; u < n; u++) {
      metric(state, "stranger-" + u, YEAR_9999);
    }
    StateUsage during = state.usage();
    clock += 61_000; // one hold time of stream time later
    metric(state, "someone", T0);
    StateUsage after = state.usage();
    System.out.printf(
        "400k year-9999 events: %d bytes before, %d during (held %d), %d after%n",
        before, bytesButDedup(during), during.heldEvents(), bytesButDedup(after));
    assertThat(during.heldEvents()).isEqualTo(n);
    assertThat(during.covariateEntries()).isZero();
    assertThat(during.refusals().covariateFuture()).isEqualTo(n);
    assertThat(after.heldEvents()).isZero();
    assertThat(bytesButDedup(after)).isLessThanOrEqualTo(before + 64 * 1024);
    // the ids stay for the dedup window (by stream time as well); still in the open bucket, which
    // has room to spare until it closes (then 17-18 bytes each, see DedupWindowTest)
    assertThat(after.dedupBytes()).isLessThanOrEqualTo(48L * after.dedupIds());
  }

  /** All but the dedup window, which keeps ids for its own (stream-time) window by design. */
  private static long bytesButDedup(StateUsage usage) {
    return usage.totalBytes() - usage.dedupBytes();
  }

  @Test
  void aNewUnitPastTheUnitCapIsRefusedAndCountedWhileThoseInKeepCounting() {
    PartitionState state = state(limits(3, 100));
    for (int u = 0; u < 5; u++) {
      expose(state, "u" + u, T0);
    }
    assertThat(state.unitEntries()).isEqualTo(3);
    assertThat(state.usage().refusals().exposures()).isEqualTo(2);
    metric(state, "u0", T0.plusSeconds(1));
    assertThat(state.partials("exp").get(0).metrics().get("rev").get("a").sum()).isEqualTo(1.0);
    assertThat(state.usage().capPressure()).isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void historyPastTheCovariateCapIsRefusedAndCounted() {
    PartitionState state = state(limits(100, 2));
    for (int u = 0; u < 5; u++) {
      metric(state, "u" + u, T0);
    }
    assertThat(state.covariateEntries()).isEqualTo(2);
    assertThat(state.usage().refusals().covariateRefused()).isEqualTo(3);
  }

  @Test
  void capPressureIsTheLargerShareOfAnEntryCapInUse() {
    PartitionState state = state(limits(4, 10));
    expose(state, "u0", T0);
    metric(state, "u1", T0);
    StateUsage usage = state.usage();
    assertThat(usage.capPressure()).isEqualTo(0.25);
  }

  @Test
  void aCapAndItsRefusalsSurviveASnapshot() {
    PartitionState state = state(limits(2, 100));
    expose(state, "u0", T0);
    expose(state, "u1", T0);
    UnitStateSettings settings = settings(limits(2, 100));
    PartitionState restored =
        PartitionStateCodec.decode(
            PartitionStateCodec.encode(state), new UnitHasher("k"), key -> EXP, settings);
    expose(restored, "u2", T0);
    assertThat(restored.unitEntries()).isEqualTo(2);
    assertThat(restored.usage().refusals().exposures()).isEqualTo(1);
  }

  private static StateLimits limits(long units, int covariates) {
    StateLimits d = StateLimits.DEFAULTS;
    return new StateLimits(d.futureSkew(), units, covariates);
  }

  private static UnitStateSettings settings(StateLimits limits) {
    return UnitStateSettings.DEFAULTS.withLimits(limits);
  }

  private static PartitionState state(StateLimits limits) {
    return new PartitionState(new UnitHasher("k"), key -> EXP, settings(limits));
  }

  private void expose(PartitionState state, String unit, Instant ts) {
    state.apply(TrackedEvent.exposure("e" + ids++, unit, "exp", "a", ts), clock += 1);
  }

  private void metric(PartitionState state, String unit, Instant ts) {
    state.apply(
        new TrackedEvent("e" + ids++, TrackedEvent.METRIC, unit, null, null, "buy", 1.0, ts, null),
        clock);
  }
}
