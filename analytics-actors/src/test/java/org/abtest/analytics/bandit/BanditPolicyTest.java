package org.abtest.analytics.bandit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.MetricSums;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.abtest.protocol.experiment.Variant;
import org.junit.jupiter.api.Test;

class BanditPolicyTest {

  private final BanditPolicy policy = new BanditPolicy(0.05, 100, 50);

  private static Experiment bandit(ExperimentType type, MetricKind kind, int... weights) {
    var variants = new java.util.ArrayList<Variant>();
    for (int i = 0; i < weights.length; i++) {
      variants.add(new Variant("arm" + i, weights[i], null));
    }
    var fields = new HashMap<ExperimentField, Object>();
    fields.put(ExperimentField.TYPE, type);
    fields.put(
        ExperimentField.METRICS, List.of(new MetricDefinition("buy", "purchase", kind, null)));
    fields.put(ExperimentField.PRIMARY_METRIC, "buy");
    fields.put(ExperimentField.SALT, "salt");
    fields.put(ExperimentField.PHASE, 1);
    fields.put(ExperimentField.STATUS, null);
    fields.put(ExperimentField.VERSION, 1L);
    return Experiment.draft("b", "b", 10_000, variants).with(fields);
  }

  private static ExperimentTotals totals(long n0, long c0, long n1, long c1) {
    return new ExperimentTotals(
        "b",
        1,
        Instant.EPOCH,
        Map.of("arm0", n0, "arm1", n1),
        Map.of(
            "buy",
            Map.of(
                "arm0", new MetricSums(n0, c0, c0, 0, 0, 0),
                "arm1", new MetricSums(n1, c1, c1, 0, 0, 0))),
        Map.of(),
        0);
  }

  @Test
  void aClearlyBetterArmTakesAllButTheExplorationShare() {
    // P(arm1 best) ≈ 1 for 50/1000 vs 150/1000, so arm0 keeps exactly the 5 % minimum share.
    var next =
        policy.nextVariants(
            bandit(ExperimentType.BANDIT, MetricKind.PROPORTION, 5000, 5000),
            totals(1000, 50, 1000, 150));
    assertThat(next).isPresent();
    assertThat(next.get()).extracting(Variant::weight).containsExactly(500, 9500);
    assertThat(next.get()).extracting(Variant::key).containsExactly("arm0", "arm1");
  }

  @Test
  void weightsAlwaysSumToTenThousandByLargestRemainder() {
    List<Variant> three =
        List.of(new Variant("a", 1, null), new Variant("b", 1, null), new Variant("c", 1, null));
    int[] w = BanditPolicy.toBasisPoints(three, Map.of("a", 1 / 3.0, "b", 1 / 3.0, "c", 1 / 3.0));
    assertThat(w).containsExactly(3334, 3333, 3333);
  }

  @Test
  void nothingChangesBelowTheUnitMinimumOrTheChangeThreshold() {
    Experiment e = bandit(ExperimentType.BANDIT, MetricKind.PROPORTION, 5000, 5000);
    assertThat(policy.nextVariants(e, totals(40, 2, 40, 10))).isEmpty();
    // Equal arms: the allocation stays near 50/50, inside the 50 basis point threshold.
    assertThat(policy.nextVariants(e, totals(5000, 500, 5000, 500))).isEmpty();
  }

  @Test
  void onlyBanditsWithAProportionPrimaryMetricAreTouched() {
    assertThat(
            policy.nextVariants(
                bandit(ExperimentType.EXPERIMENT, MetricKind.PROPORTION, 5000, 5000),
                totals(1000, 50, 1000, 150)))
        .isEmpty();
    assertThat(
            policy.nextVariants(
                bandit(ExperimentType.BANDIT, MetricKind.MEAN, 5000, 5000),
                totals(1000, 50, 1000, 150)))
        .isEmpty();
  }
}
