package org.abtest.analytics.units;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.MetricSums;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.protocol.Json;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.junit.jupiter.api.Test;

/**
 * The CUPED covariate x of a unit: its metric value over its events with a timestamp in the
 * lookback before its first exposure, whatever the arrival order, each event id once.
 */
class CovariateTest {

  private static final long M = 60_000L;
  private static final long H = 60 * M;
  private static final long D = 24 * H;
  private static final Instant BASE = Instant.parse("2026-11-22T00:00:00Z");

  /** Exposures in these tests: a day after BASE (stream time runs at BASE + 1 day too). */
  private static final long T = D;

  private static final ExperimentDefinition EXP =
      ExperimentDefinition.of(
          "exp",
          1,
          List.of(
              new MetricDefinition("conv", "buy", MetricKind.PROPORTION, 1),
              new MetricDefinition("rev", "buy", MetricKind.MEAN, null),
              new MetricDefinition("rev1h", "buy", MetricKind.MEAN, 1)));

  private static final UnitHasher HASHER = new UnitHasher("k");

  private int ids;
  private long clock = BASE.toEpochMilli() + D;
  private PartitionState state = fresh(4);

  private static PartitionState fresh(int perUnit) {
    return new PartitionState(
        HASHER,
        key -> key.equals("exp") ? EXP : null,
        type -> type.equals("buy"),
        new UnitStateSettings(Duration.ofHours(24), 24, Duration.ofSeconds(30), 3, 100)
            .withCovariate(Duration.ofDays(7), Duration.ofHours(1), perUnit));
  }

  @Test
  void preExposureEventsInsideEachMetricsLookbackAreItsCovariate() {
    metric("u1", 2.0, T - 30 * M);
    metric("u1", 3.0, T - 2 * H); // outside the 1 h lookbacks, inside the 7 days
    metric("u1", 5.0, T - 8 * D); // outside every lookback
    expose("u1", "a", T);
    assertThat(sums("conv", "a")).isEqualTo(new MetricSums(1, 0, 0, 1, 1, 0));
    assertThat(sums("rev", "a")).isEqualTo(new MetricSums(1, 0, 0, 5, 25, 0));
    assertThat(sums("rev1h", "a")).isEqualTo(new MetricSums(1, 0, 0, 2, 4, 0));

    metric("u1", 4.0, T + 10 * M); // the outcome y: x stays, Σxy follows y
    assertThat(sums("conv", "a")).isEqualTo(new MetricSums(1, 1, 1, 1, 1, 1));
    assertThat(sums("rev", "a")).isEqualTo(new MetricSums(1, 4, 16, 5, 25, 20));
    assertThat(sums("rev1h", "a")).isEqualTo(new MetricSums(1, 4, 16, 2, 4, 8));
  }

  @Test
  void theLookbackIncludesItsStartAndExcludesTheExposureInstant() {
    metric("u1", 1.0, T - H); // exactly one hour before: in the 1 h lookback
    metric("u1", 2.0, T - H - 1); // one millisecond more: not
    metric("u1", 4.0, T); // at the exposure: outcome, not covariate
    expose("u1", "a", T);
    assertThat(sums("rev1h", "a")).isEqualTo(new MetricSums(1, 4, 16, 1, 1, 4));
    assertThat(sums("rev", "a")).isEqualTo(new MetricSums(1, 4, 16, 3, 9, 12));
  }

  @Test
  void aPreExposureEventArrivingAfterTheExposureIsCovariateNotOutcome() {
    expose("u1", "a", T);
    metric("u1", 6.0, T + M);
    metric("u1", 2.0, T - M); // arrives late, happened before the exposure
    assertThat(sums("rev", "a")).isEqualTo(new MetricSums(1, 6, 36, 2, 4, 12));
    assertThat(sums("conv", "a")).isEqualTo(new MetricSums(1, 1, 1, 1, 1, 1));
  }

  @Test
  void anEventArrivingBeforeTheExposureWithALaterTimestampIsOutcomeNotCovariate() {
    metric("u1", 6.0, T + M); // held until the exposure arrives
    expose("u1", "a", T);
    assertThat(sums("rev", "a")).isEqualTo(new MetricSums(1, 6, 36, 0, 0, 0));
  }

  @Test
  void aDuplicatedEventIdCountsOnceInTheCovariate() {
    TrackedEvent e = metric("u1", 2.0, T - M);
    state.apply(e, clock += 10); // a retry before the exposure
    expose("u1", "a", T);
    state.apply(e, clock += 10); // and one after it
    assertThat(sums("rev", "a")).isEqualTo(new MetricSums(1, 0, 0, 2, 4, 0));
  }

  @Test
  void anEarlierExposureToAnotherVariantLeavesTheUnitAndItsCovariateWhereTheyWere() {
    metric("u1", 2.0, T - 2 * M);
    expose("u1", "a", T);
    metric("u1", 3.0, T + M);
    expose("u1", "b", T - M); // a late exposure with an earlier ts: the first in the log stands
    assertThat(sums("rev", "a")).isEqualTo(new MetricSums(1, 3, 9, 2, 4, 6));
    assertThat(sums("rev", "b")).isNull(); // no unit's first exposure named b
    assertThat(state.partials("exp").get(0).multipleExposureUnits()).isEqualTo(1);
  }

  @Test
  void theCovariateWindowStaysThatOfTheFirstExposureInTheLog() {
    expose("u1", "a", T);
    expose("u1", "a", T - 30 * M); // an earlier exposure of the same variant, late
    metric("u1", 2.0, T - 10 * M); // before the first exposure's ts: covariate
    assertThat(sums("rev", "a")).isEqualTo(new MetricSums(1, 0, 0, 2, 4, 0));
  }

  @Test
  void olderEventsBeyondThePerUnitBoundAreFoldedAndCountWhenTheFoldIsInsideTheWindow() {
    state = fresh(2);
    metric("u1", 1.0, T - 50 * M); // folded
    metric("u1", 2.0, T - 40 * M);
    metric("u1", 4.0, T - 30 * M);
    expose("u1", "a", T);
    assertThat(sums("rev1h", "a").covSum()).isEqualTo(7.0);
    assertThat(sums("conv", "a").covSum()).isEqualTo(1.0);
  }

  @Test
  void aFoldAcrossTheStartOfTheWindowIsLeftOutOfAMeanButStillConvertsAProportion() {
    state = fresh(2);
    metric("u1", 1.0, T - 90 * M); // folded together with the next: 1.5 h .. 50 min before
    metric("u1", 2.0, T - 50 * M);
    metric("u1", 4.0, T - 20 * M);
    metric("u1", 8.0, T - 10 * M);
    expose("u1", "a", T);
    assertThat(sums("rev1h", "a").covSum()).isEqualTo(12.0); // the fold straddles: left out
    assertThat(sums("rev", "a").covSum()).isEqualTo(15.0); // wholly inside 7 days
    assertThat(sums("conv", "a").covSum()).isEqualTo(1.0);

    state = fresh(2);
    metric("u2", 1.0, T - 90 * M);
    metric("u2", 2.0, T - 80 * M);
    metric("u2", 4.0, T + 20 * M); // arrived before the exposure, after it by ts
    metric("u2", 8.0, T + 30 * M);
    expose("u2", "a", T);
    assertThat(sums("conv", "a").covSum()).isZero(); // the fold lies before the 1 h lookback
    assertThat(sums("rev", "a").covSum()).isEqualTo(3.0);
  }

  @Test
  void preExposureEventsOlderThanTheRetentionAreForgottenByTheTimeTheExposureArrives() {
    // an exposure processed 7 days + 2 h after its own ts (more than the 1 h slack): the events
    // of its window that reached the log before it were older than lookback + slack already
    long late = T - 7 * D - 2 * H;
    metric("u1", 2.0, late - H);
    expose("u1", "a", late);
    assertThat(sums("rev", "a").covSum()).isZero();
    metric("u1", 4.0, late - H); // the same kind of event arriving after the exposure counts
    assertThat(sums("rev", "a").covSum()).isEqualTo(4.0);
  }

  @Test
  void theHourlySweepForgetsUnitsWithNothingLeftAndKeepsFindingTheOthers() {
    metric("old", 1.0, T - M);
    metric("mixed", 2.0, T - M);
    clock += 7 * D + 2 * H; // "old"'s and the first of "mixed"'s events are now past the retention
    long now = T + 7 * D + 2 * H;
    metric("mixed", 4.0, now - 2 * M); // a new hour of stream time: this record sweeps first
    metric("young", 8.0, now - M);
    assertThat(state.covariateEntries()).isEqualTo(2);
    expose("old", "a", now);
    expose("mixed", "a", now);
    expose("young", "a", now);
    assertThat(sums("rev", "a")).isEqualTo(new MetricSums(3, 0, 0, 12, 80, 0));
  }

  @Test
  void eventTypesNoExperimentUsesAreNotKept() {
    metric("u1", "scroll", 1.0, T - M);
    assertThat(state.covariateEntries()).isZero();
    metric("u1", "buy", 1.0, T - M);
    assertThat(state.covariateEntries()).isEqualTo(1);
  }

  @Test
  void aSnapshotKeepsTheHistoryAndTheCovariates() {
    metric("u1", 2.0, T - M);
    expose("u1", "a", T);
    metric("u2", 3.0, T - 2 * M);
    PartitionState restored =
        PartitionStateCodec.decode(
            PartitionStateCodec.encode(state),
            HASHER,
            key -> key.equals("exp") ? EXP : null,
            type -> type.equals("buy"),
            new UnitStateSettings(Duration.ofHours(24), 24, Duration.ofSeconds(30), 3, 100));
    for (PartitionState s : List.of(state, restored)) {
      s.apply(TrackedEvent.exposure("x", "u2", "exp", "b", BASE.plusMillis(T)), clock + 10);
    }
    assertThat(restored.partials("exp")).isEqualTo(state.partials("exp"));
    assertThat(restored.partials("exp").get(0).metrics().get("rev").get("b"))
        .isEqualTo(new MetricSums(1, 0, 0, 3, 9, 0));
  }

  @Test
  void aRestoredPhaseKeepsTheLookbackItStartedWithWhateverTheConfigurationSaysNow() {
    expose("u1", "a", T);
    PartitionState restored =
        PartitionStateCodec.decode(
            PartitionStateCodec.encode(state),
            HASHER,
            key -> key.equals("exp") ? EXP : null,
            type -> type.equals("buy"),
            new UnitStateSettings(Duration.ofHours(24), 24, Duration.ofSeconds(30), 3, 100)
                .withCovariate(Duration.ofHours(1), Duration.ofHours(1), 4));
    TrackedEvent late =
        new TrackedEvent(
            "late",
            TrackedEvent.METRIC,
            "u1",
            null,
            null,
            "buy",
            2.0,
            BASE.plusMillis(T - 3 * H),
            null);
    state.apply(late, clock + 10);
    restored.apply(late, clock + 10);
    assertThat(restored.partials("exp")).isEqualTo(state.partials("exp"));
    assertThat(sums("rev", "a").covSum()).isEqualTo(2.0); // 3 h before: inside the 7 days
  }

  /**
   * {@code snapshot-v2.bin} was written by the previous codec (commit daf48a1, before covariates)
   * after half of {@code IncrementalEqualsNaiveTest.withRecordTimes(EventStreams.generate(77, 120),
   * 77)} as that generator was then; {@code snapshot-v2-partials.json} holds its partials.
   */
  @Test
  void aVersionTwoSnapshotLoadsWithCovariatesZeroAndCarriesOn() throws Exception {
    byte[] v2;
    try (InputStream in = getClass().getResourceAsStream("/units/snapshot-v2.bin")) {
      v2 = in.readAllBytes();
    }
    Map<String, List<ExperimentTotals>> expected;
    try (InputStream in = getClass().getResourceAsStream("/units/snapshot-v2-partials.json")) {
      expected = Json.mapper().readValue(in, new TypeReference<>() {});
    }
    assertThat(PartitionStateCodec.readable(v2)).isTrue();
    var settings =
        new UnitStateSettings(Duration.ofHours(24), 24, Duration.ofMillis(20_000), 127, 1_000_000);
    PartitionState restored =
        PartitionStateCodec.decode(
            v2, new UnitHasher("test-key"), EventStreams::definition, settings);
    for (String key : List.of("checkout", "search")) {
      assertThat(restored.partials(key)).isEqualTo(expected.get(key));
    }
    assertThat(restored.covariateEntries()).isZero();

    // it carries on: new units get their covariates, and it encodes in the current layout
    long at = restored.partials("checkout").get(0).asOf().toEpochMilli() + 1000;
    restored.apply(
        new TrackedEvent(
            "n1",
            TrackedEvent.METRIC,
            "new",
            null,
            null,
            "purchase",
            2.5,
            Instant.ofEpochMilli(at - 5000),
            null),
        at);
    restored.apply(
        TrackedEvent.exposure("n2", "new", "checkout", "control", Instant.ofEpochMilli(at)), at);
    MetricSums before = expected.get("checkout").get(0).metrics().get("revenue").get("control");
    MetricSums after = restored.partials("checkout").get(0).metrics().get("revenue").get("control");
    assertThat(after.n()).isEqualTo(before.n() + 1);
    assertThat(after.covSum()).isEqualTo(2.5);
    byte[] v3 = PartitionStateCodec.encode(restored);
    assertThat(v3[3]).isEqualTo((byte) PartitionStateCodec.VERSION);
    assertThat(
            PartitionStateCodec.decode(
                    v3, new UnitHasher("test-key"), EventStreams::definition, settings)
                .partials("checkout"))
        .isEqualTo(restored.partials("checkout"));
  }

  private void expose(String unit, String variant, long at) {
    state.apply(
        TrackedEvent.exposure("e" + ids++, unit, "exp", variant, BASE.plusMillis(at)), clock += 10);
  }

  private TrackedEvent metric(String unit, double value, long at) {
    return metric(unit, "buy", value, at);
  }

  private TrackedEvent metric(String unit, String type, double value, long at) {
    TrackedEvent e =
        new TrackedEvent(
            "e" + ids++,
            TrackedEvent.METRIC,
            unit,
            null,
            null,
            type,
            value,
            BASE.plusMillis(at),
            null);
    state.apply(e, clock += 10);
    return e;
  }

  private MetricSums sums(String metric, String variant) {
    return state.partials("exp").get(0).metrics().get(metric).get(variant);
  }
}
