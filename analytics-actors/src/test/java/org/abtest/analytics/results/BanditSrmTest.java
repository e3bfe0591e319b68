package org.abtest.analytics.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.TotalsMerge;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.analytics.units.ExperimentDefinition;
import org.abtest.analytics.units.PartitionState;
import org.abtest.analytics.units.UnitStateSettings;
import org.abtest.analytics.units.WeightEpoch;
import org.abtest.protocol.assignment.Bucketing;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.abtest.protocol.experiment.Variant;
import org.junit.jupiter.api.Test;

/**
 * A bandit whose weights moved three times, through the pure pipeline: units assigned by the
 * assignment function with the weights of their time, two partitions of unit state that learn of
 * each move only after units of it arrived, the merge, and the results document's SRM.
 */
class BanditSrmTest {

  private static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");
  private static final List<String> ARMS = List.of("a", "b", "c");
  private static final List<List<Integer>> WEIGHTS =
      List.of(
          List.of(3334, 3333, 3333),
          List.of(2000, 6000, 2000),
          List.of(1000, 8000, 1000),
          List.of(500, 9000, 500));
  private static final MetricDefinition CONVERTED =
      new MetricDefinition("converted", "buy", MetricKind.PROPORTION, 24);
  private static final int UNITS_PER_EPOCH = 3000;

  @Test
  void correctlyAssignedTrafficHasNoSrmAndEveryEpochIsShown() {
    ResultsDocument doc = run(false);
    assertThat(doc.srm().mismatch()).isFalse();
    assertThat(doc.srm().pValue()).isGreaterThan(0.001);
    assertThat(doc.warnings()).doesNotContain(Warnings.SRM);
    assertThat(doc.srm().epochs()).hasSize(4);
    for (int e = 0; e < 4; e++) {
      var epoch = doc.srm().epochs().get(e);
      assertThat(epoch.from()).isEqualTo(T0.plus(Duration.ofHours(e)));
      assertThat(epoch.weights()).isEqualTo(weights(e));
      assertThat(epoch.units().values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(UNITS_PER_EPOCH);
    }
  }

  @Test
  void trafficSkewedOnPurposeIsFlagged() {
    ResultsDocument doc = run(true);
    assertThat(doc.srm().mismatch()).isTrue();
    assertThat(doc.warnings()).contains(Warnings.SRM);
  }

  @Test
  void allUnitsAgainstTheLastWeightsWouldBeAFalseAlarm() {
    ResultsDocument doc = run(false);
    List<Long> units = new ArrayList<>();
    ARMS.forEach(
        v ->
            units.add(
                doc.srm().epochs().stream().mapToLong(e -> e.units().getOrDefault(v, 0L)).sum()));
    assertThat(
            org.abtest.analytics.stats.Srm.check(
                    units, WEIGHTS.get(3).stream().map(Integer::longValue).toList())
                .mismatch())
        .isTrue();
  }

  /** Units exposed over four hours, one epoch an hour; skewed: a third of arm "a" is lost. */
  private static ResultsDocument run(boolean skewed) {
    List<WeightEpoch> known = new ArrayList<>();
    Function<String, ExperimentDefinition> definitions =
        key ->
            key.equals("bandit")
                ? ExperimentDefinition.of("bandit", 1, List.of(CONVERTED))
                    .withEpochs(List.copyOf(known))
                : null;
    UnitStateSettings settings =
        new UnitStateSettings(Duration.ofHours(24), 24, Duration.ofSeconds(30), 8, 100);
    List<PartitionState> partitions =
        List.of(
            new PartitionState(new UnitHasher("k"), definitions, settings),
            new PartitionState(new UnitHasher("k"), definitions, settings));
    int unit = 0;
    for (int e = 0; e < 4; e++) {
      Instant from = T0.plus(Duration.ofHours(e));
      for (int i = 0; i < UNITS_PER_EPOCH; i++, unit++) {
        if (i == UNITS_PER_EPOCH / 2) {
          // the partitions learn of the move only now: the earlier half is recounted
          known.add(new WeightEpoch(from, weights(e)));
        }
        String id = "user-" + unit;
        int v = variantOf(Bucketing.bucket("bandit-salt", id), WEIGHTS.get(e));
        if (skewed && v == 0 && unit % 3 == 0) {
          continue;
        }
        Instant ts = from.plusMillis(i);
        partitions
            .get(unit % 2)
            .apply(
                TrackedEvent.exposure("x" + unit, id, "bandit", ARMS.get(v), ts),
                ts.toEpochMilli());
      }
    }
    List<ExperimentTotals> partials = new ArrayList<>();
    partitions.forEach(p -> partials.addAll(p.partials("bandit")));
    ExperimentTotals totals = TotalsMerge.merge("bandit", 1, partials);
    return ResultsBuilder.build(bandit(), totals, null).document();
  }

  private static Map<String, Integer> weights(int epoch) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (int v = 0; v < ARMS.size(); v++) {
      out.put(ARMS.get(v), WEIGHTS.get(epoch).get(v));
    }
    return out;
  }

  private static int variantOf(int bucket, List<Integer> weights) {
    int start = 0;
    for (int v = 0; v < weights.size(); v++) {
      start += weights.get(v);
      if (bucket < start) {
        return v;
      }
    }
    throw new IllegalStateException("weights do not cover bucket " + bucket);
  }

  private static Experiment bandit() {
    List<Variant> variants = new ArrayList<>();
    for (int v = 0; v < ARMS.size(); v++) {
      variants.add(new Variant(ARMS.get(v), WEIGHTS.get(3).get(v), null));
    }
    var fields = new HashMap<ExperimentField, Object>();
    fields.put(ExperimentField.TYPE, ExperimentType.BANDIT);
    fields.put(ExperimentField.METRICS, List.of(CONVERTED));
    fields.put(ExperimentField.PRIMARY_METRIC, "converted");
    fields.put(ExperimentField.SALT, "bandit-salt");
    fields.put(ExperimentField.PHASE, 1);
    fields.put(ExperimentField.STATUS, ExperimentStatus.RUNNING);
    fields.put(ExperimentField.VERSION, 4L);
    fields.put(ExperimentField.CREATED_AT, T0);
    fields.put(ExperimentField.UPDATED_AT, T0);
    return Experiment.draft("bandit", "Bandit", 10000, variants).with(fields);
  }
}
