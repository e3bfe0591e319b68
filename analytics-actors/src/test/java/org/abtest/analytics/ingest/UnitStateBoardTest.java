package org.abtest.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Instant;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.analytics.units.PartitionState;
import org.abtest.analytics.units.StateUsage;
import org.abtest.analytics.units.UnitStateSettings;
import org.abtest.protocol.events.TrackedEvent;
import org.junit.jupiter.api.Test;

class UnitStateBoardTest {

  @Test
  void eachPartitionsBytesEntriesCapPressureAndRefusalsAreExported() {
    PartitionState state =
        new PartitionState(new UnitHasher("k"), key -> null, UnitStateSettings.DEFAULTS);
    Instant at = Instant.parse("2026-11-22T10:00:00Z");
    state.apply(
        new TrackedEvent("e1", TrackedEvent.METRIC, "u1", null, null, "buy", 1.0, at, null),
        at.toEpochMilli());
    UnitStateBoard board = new UnitStateBoard(1L << 20);
    PrometheusRegistry registry = new PrometheusRegistry();
    UnitStateBoard.register(registry, () -> board);
    StateUsage usage = state.usage();
    board.report(7, usage);

    MetricSnapshots scrape = registry.scrape();
    assertThat(gauge(scrape, "abtest_unit_state_bytes", "7", "dedup"))
        .isEqualTo(usage.dedupBytes())
        .isPositive();
    assertThat(gauge(scrape, "abtest_unit_state_entries", "7", "held")).isEqualTo(1);
    assertThat(board.capPressure()).isEqualTo(usage.capPressure());
    CounterSnapshot refused =
        (CounterSnapshot)
            scrape.stream()
                .filter(m -> m.getMetadata().getName().equals("abtest_unit_state_refused"))
                .findFirst()
                .orElseThrow();
    assertThat(refused.getDataPoints()).hasSize(5);

    board.forget(7, usage);
    assertThat(board.usage()).isEmpty();
    assertThat(board.capPressure()).isZero();
  }

  @Test
  void theBudgetIsEveryOwnedPartitionsBytesTogetherAgainstOneNodeWideLimit() {
    UnitStateBoard board = new UnitStateBoard(10_000);
    StateUsage limitsOnly =
        new PartitionState(new UnitHasher("k"), key -> null, UnitStateSettings.DEFAULTS).usage();
    board.report(
        1,
        new StateUsage(
            1, 1000, 1, 500, 1, 2000, 1, 500, limitsOnly.limits(), limitsOnly.refusals()));
    board.report(
        2,
        new StateUsage(1, 3000, 0, 0, 1, 1000, 0, 0, limitsOnly.limits(), limitsOnly.refusals()));
    assertThat(board.name()).isEqualTo("unit-state");
    assertThat(board.usedBytes()).isEqualTo(8000);
    assertThat(board.limitBytes()).isEqualTo(10_000);
    MetricSnapshots scrape = scrape(board);
    GaugeSnapshot budget = gaugeNamed(scrape, "abtest_unit_state_budget_bytes");
    assertThat(budget.getDataPoints()).hasSize(1);
    GaugeSnapshot.GaugeDataPointSnapshot point = budget.getDataPoints().get(0);
    assertThat(point.getLabels().size()).isZero();
    assertThat(point.getValue()).isEqualTo(10_000.0);
  }

  @Test
  void aBudgetThatIsNotPositiveIsRefusedByName() {
    assertThatThrownBy(() -> new UnitStateBoard(0)).hasMessageContaining("state-budget");
  }

  private static MetricSnapshots scrape(UnitStateBoard board) {
    PrometheusRegistry registry = new PrometheusRegistry();
    UnitStateBoard.register(registry, () -> board);
    return registry.scrape();
  }

  private static GaugeSnapshot gaugeNamed(MetricSnapshots scrape, String name) {
    return (GaugeSnapshot)
        scrape.stream()
            .filter(m -> m.getMetadata().getName().equals(name))
            .findFirst()
            .orElseThrow();
  }

  @Test
  void anOlderOwnerStoppingLeavesTheNewOwnersReport() {
    UnitStateBoard board = new UnitStateBoard(1L << 20);
    PartitionState a =
        new PartitionState(new UnitHasher("k"), key -> null, UnitStateSettings.DEFAULTS);
    StateUsage old = a.usage();
    board.report(1, old);
    a.apply(TrackedEvent.exposure("x", "u", "exp", "a", Instant.EPOCH), 5);
    StateUsage fresh =
        new PartitionState(new UnitHasher("k"), key -> null, UnitStateSettings.DEFAULTS).usage();
    board.report(1, new StateUsage(1, 1, 1, 1, 1, 1, 1, 1, fresh.limits(), fresh.refusals()));
    board.forget(1, old);
    assertThat(board.usage()).containsKey(1);
  }

  private static double gauge(MetricSnapshots scrape, String name, String partition, String s) {
    GaugeSnapshot g =
        (GaugeSnapshot)
            scrape.stream()
                .filter(m -> m.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    return g.getDataPoints().stream()
        .filter(d -> d.getLabels().equals(Labels.of("partition", partition, "structure", s)))
        .findFirst()
        .orElseThrow()
        .getValue();
  }
}
