package org.abtest.analytics.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.abtest.analytics.aggregate.MetricSums;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.MetricCap;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.junit.jupiter.api.Test;

/**
 * A mean metric with {@code "cap": {"value": 100}}: each unit counts at most 100 in the sums (its
 * outcome and its CUPED covariate alike), while the unit keeps its true value, so a later refund
 * that brings it under the cap counts exactly.
 */
class CappedMetricTest {

  private static final long M = 60_000L;
  private static final long D = 24 * 60 * M;
  private static final Instant BASE = Instant.parse("2026-11-22T00:00:00Z");
  private static final long T = D;

  private static final ExperimentDefinition EXP =
      ExperimentDefinition.of(
          "exp",
          1,
          List.of(
              new MetricDefinition(
                  "revenue", "buy", MetricKind.MEAN, null, null, MetricCap.fixed(100)),
              new MetricDefinition("uncapped", "buy", MetricKind.MEAN, null)));

  private static final UnitHasher HASHER = new UnitHasher("k");

  private int ids;
  private long clock = BASE.toEpochMilli() + D;
  private PartitionState state = fresh();

  private static PartitionState fresh() {
    return new PartitionState(
        HASHER,
        key -> key.equals("exp") ? EXP : null,
        type -> type.equals("buy"),
        new UnitStateSettings(Duration.ofHours(24), 24, Duration.ofSeconds(30), 3, 100)
            .withCovariate(Duration.ofDays(7), Duration.ofHours(1), 4));
  }

  @Test
  void aUnitAboveTheCapCountsAsTheCapInSumAndSquares() {
    expose("small", "a", T);
    expose("whale", "a", T);
    metric("small", 30, T + M);
    metric("whale", 50_000, T + M);
    assertThat(sums("revenue", "a")).isEqualTo(new MetricSums(2, 130, 900 + 10_000, 0, 0, 0));
    assertThat(sums("uncapped", "a").sum()).isEqualTo(50_030);
  }

  @Test
  void valuesThatCrossTheCapAndComeBackUnderItCountExactly() {
    expose("u", "a", T);
    metric("u", 60, T + M);
    metric("u", 60, T + 2 * M); // 120: counts 100
    assertThat(sums("revenue", "a").sum()).isEqualTo(100);
    metric("u", -50, T + 3 * M); // a refund: 70, under the cap again
    assertThat(sums("revenue", "a")).isEqualTo(new MetricSums(1, 70, 4900, 0, 0, 0));
  }

  @Test
  void theCovariateIsCappedAsTheOutcomeIs() {
    metric("u", 500, T - 30 * M); // before the exposure: covariate 500, counted 100
    expose("u", "a", T);
    metric("u", 40, T + M);
    MetricSums s = sums("revenue", "a");
    assertThat(s.covSum()).isEqualTo(100);
    assertThat(s.covSumSquares()).isEqualTo(10_000);
    assertThat(s.covSumProducts()).isEqualTo(100 * 40);
    assertThat(sums("uncapped", "a").covSum()).isEqualTo(500);
  }

  @Test
  void aSnapshotKeepsTheCapAndTheRestoredTableGoesOnCapping() {
    expose("u", "a", T);
    metric("u", 90, T + M);
    byte[] snapshot = PartitionStateCodec.encode(state);
    assertThat(snapshot[3]).isEqualTo((byte) PartitionStateCodec.VERSION);
    // the node's definitions no longer name the experiment: the table's own definition counts
    state = PartitionStateCodec.decode(snapshot, HASHER, key -> null, settings());
    metric("u", 90, T + 2 * M);
    assertThat(sums("revenue", "a").sum()).isEqualTo(100);
    assertThat(sums("uncapped", "a").sum()).isEqualTo(180);
  }

  /**
   * {@code snapshot-v5-revenue.bin} was written by the layout-5 codec (as of b8235c0, before caps):
   * units "small" (30) and "whale" (5000) exposed to "a" of a mean metric "revenue".
   */
  @Test
  void aLayoutFiveSnapshotHasNoCapsAndCountsAsItDidWhenWritten() throws Exception {
    byte[] v5;
    try (var in = getClass().getResourceAsStream("/units/snapshot-v5-revenue.bin")) {
      v5 = in.readAllBytes();
    }
    assertThat(v5[3]).isEqualTo((byte) 5);
    state = PartitionStateCodec.decode(v5, HASHER, key -> null, settings());
    assertThat(sums("revenue", "a")).isEqualTo(new MetricSums(2, 5030, 900 + 25_000_000, 0, 0, 0));
    metric("small", 10, T + 2 * M);
    assertThat(sums("revenue", "a").sum()).isEqualTo(5040);
    byte[] again = PartitionStateCodec.encode(state);
    assertThat(again[3]).isEqualTo((byte) PartitionStateCodec.VERSION);
    assertThat(
            PartitionStateCodec.decode(again, HASHER, key -> null, settings())
                .partials("exp")
                .get(0))
        .isEqualTo(state.partials("exp").get(0));
  }

  private static UnitStateSettings settings() {
    return new UnitStateSettings(Duration.ofHours(24), 24, Duration.ofSeconds(30), 3, 100)
        .withCovariate(Duration.ofDays(7), Duration.ofHours(1), 4);
  }

  private void expose(String unit, String variant, long at) {
    state.apply(
        TrackedEvent.exposure("e" + ids++, unit, "exp", variant, BASE.plusMillis(at)), clock += 10);
  }

  private void metric(String unit, double value, long at) {
    state.apply(
        new TrackedEvent(
            "e" + ids++,
            TrackedEvent.METRIC,
            unit,
            null,
            null,
            "buy",
            value,
            BASE.plusMillis(at),
            null),
        clock += 10);
  }

  private MetricSums sums(String metric, String variant) {
    return state.partials("exp").get(0).metrics().get(metric).get(variant);
  }
}
