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
import org.abtest.protocol.experiment.MetricSource;
import org.abtest.protocol.experiment.MetricSource.Aggregate;
import org.junit.jupiter.api.Test;

/**
 * Ratio metrics in unit state: each unit keeps a numerator and a denominator, and the variant's
 * sums are Σy, Σy², Σd, Σd², Σyd (numerator in the value sums, denominator in the second-number
 * sums a mean uses for its covariate), exact under any arrival order.
 */
class RatioMetricTest {

  private static final long M = 60_000L;
  private static final long D = 24 * 60 * M;
  private static final Instant BASE = Instant.parse("2026-11-22T00:00:00Z");
  private static final long T = D;

  private static final ExperimentDefinition EXP =
      ExperimentDefinition.of(
          "exp",
          1,
          List.of(
              MetricDefinition.ratio(
                  "revenue_per_session",
                  new MetricSource("buy", Aggregate.SUM),
                  new MetricSource("session", Aggregate.COUNT),
                  null,
                  null),
              MetricDefinition.ratio(
                  "order_value",
                  new MetricSource("buy", Aggregate.SUM),
                  new MetricSource("buy", Aggregate.COUNT),
                  null,
                  MetricCap.fixed(100))));

  private static final UnitHasher HASHER = new UnitHasher("k");

  private int ids;
  private long clock = BASE.toEpochMilli() + D;
  private PartitionState state = fresh();

  private static PartitionState fresh() {
    return new PartitionState(
        HASHER,
        key -> key.equals("exp") ? EXP : null,
        type -> type.equals("buy") || type.equals("session"),
        settings());
  }

  @Test
  void numeratorAndDenominatorSumsCarryTheCrossMomentsTheDeltaMethodNeeds() {
    expose("u1", "a", T);
    expose("u2", "a", T);
    event("u1", "session", 1, T + M);
    event("u1", "session", 1, T + 2 * M);
    event("u1", "buy", 30, T + 3 * M);
    event("u2", "session", 1, T + M);
    // u1: y = 30, d = 2; u2: y = 0, d = 1
    assertThat(sums("revenue_per_session", "a"))
        .isEqualTo(new MetricSums(2, 30, 900, 3, 4 + 1, 60));
  }

  @Test
  void oneEventTypeCanFeedBothSidesAndTheCapBoundsTheNumeratorOnly() {
    expose("u", "a", T);
    event("u", "buy", 80, T + M);
    event("u", "buy", 70, T + 2 * M); // y = 150, counted 100; d = 2 purchases
    assertThat(sums("order_value", "a")).isEqualTo(new MetricSums(1, 100, 10_000, 2, 4, 200));
  }

  @Test
  void eventsBeforeTheExposureArriveLaterAndCountOnlyIfTheyFallAfterIt() {
    event("u", "session", 1, T + M); // arrives before the exposure, falls after it
    event("u", "session", 1, T - M); // before the exposure: a ratio keeps no covariate
    expose("u", "a", T);
    event("u", "buy", 10, T + 2 * M);
    assertThat(sums("revenue_per_session", "a")).isEqualTo(new MetricSums(1, 10, 100, 1, 1, 10));
  }

  @Test
  void aSnapshotKeepsTheRatioDefinitionAndTheRestoredTableGoesOn() {
    expose("u", "a", T);
    event("u", "session", 1, T + M);
    event("u", "buy", 5, T + 2 * M);
    byte[] snapshot = PartitionStateCodec.encode(state);
    assertThat(snapshot[3]).isEqualTo((byte) PartitionStateCodec.VERSION);
    state = PartitionStateCodec.decode(snapshot, HASHER, key -> null, settings());
    event("u", "session", 1, T + 3 * M);
    assertThat(sums("revenue_per_session", "a")).isEqualTo(new MetricSums(1, 5, 25, 2, 4, 10));
    assertThat(
            PartitionStateCodec.decode(
                    PartitionStateCodec.encode(state), HASHER, k -> null, settings())
                .partials("exp"))
        .isEqualTo(state.partials("exp"));
  }

  private static UnitStateSettings settings() {
    return new UnitStateSettings(Duration.ofHours(24), 24, Duration.ofSeconds(30), 3, 100)
        .withCovariate(Duration.ofDays(7), Duration.ofHours(1), 4);
  }

  private void expose(String unit, String variant, long at) {
    state.apply(
        TrackedEvent.exposure("e" + ids++, unit, "exp", variant, BASE.plusMillis(at)), clock += 10);
  }

  private void event(String unit, String type, double value, long at) {
    state.apply(
        new TrackedEvent(
            "e" + ids++,
            TrackedEvent.METRIC,
            unit,
            null,
            null,
            type,
            value,
            BASE.plusMillis(at),
            null),
        clock += 10);
  }

  private MetricSums sums(String metric, String variant) {
    return state.partials("exp").get(0).metrics().get(metric).get(variant);
  }
}
