package org.abtest.analytics.bandit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.MetricSums;
import org.abtest.analytics.stats.Bandit;
import org.abtest.analytics.stats.BanditRequest;
import org.abtest.protocol.assignment.Bucketing;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.abtest.protocol.experiment.Variant;

/**
 * Decides a bandit's next weights: Thompson allocation (each arm's probability of being best on the
 * primary proportion metric, Beta(1,1) prior) with a minimum share per arm, in basis points. Pure;
 * the updater actor applies what this returns.
 *
 * @param minShare the smallest share any arm keeps, so every arm goes on being explored
 * @param minUnits no change until the experiment has this many units in all
 * @param minChange basis points an arm must move by before the weights are rewritten
 */
public record BanditPolicy(double minShare, long minUnits, int minChange) {

  /** Weights and coverage are basis points, the buckets of DESIGN.md §3. */
  static final int BASIS_POINTS = Bucketing.BUCKETS;

  /** The new variants (same keys, order and configs), or empty when nothing should change. */
  public Optional<List<Variant>> nextVariants(Experiment experiment, ExperimentTotals totals) {
    if (experiment.type() != ExperimentType.BANDIT || experiment.variants().size() < 2) {
      return Optional.empty();
    }
    Optional<MetricDefinition> primary =
        experiment.metrics().stream()
            .filter(m -> m.key().equals(experiment.primaryMetric()))
            .filter(m -> m.kind() == MetricKind.PROPORTION)
            .findFirst();
    if (primary.isEmpty()) {
      return Optional.empty();
    }
    Map<String, MetricSums> sums = totals.metrics().getOrDefault(primary.get().key(), Map.of());
    List<BanditRequest.Arm> arms = new ArrayList<>();
    long units = 0;
    for (Variant v : experiment.variants()) {
      long n = totals.unitsPerVariant().getOrDefault(v.key(), 0L);
      long conversions = Math.round(sums.getOrDefault(v.key(), MetricSums.ZERO).sum());
      arms.add(new BanditRequest.Arm(v.key(), n, Math.min(conversions, n)));
      units += n;
    }
    if (units < minUnits) {
      return Optional.empty();
    }
    Map<String, Double> allocation = Bandit.compute(new BanditRequest(arms, minShare)).allocation();
    int[] weights = toBasisPoints(experiment.variants(), allocation);
    boolean moved = false;
    List<Variant> next = new ArrayList<>();
    for (int i = 0; i < weights.length; i++) {
      Variant v = experiment.variants().get(i);
      moved |= Math.abs(weights[i] - v.weight()) >= minChange;
      next.add(new Variant(v.key(), weights[i], v.config()));
    }
    return moved ? Optional.of(next) : Optional.empty();
  }

  /** Shares to whole basis points summing to exactly 10000 (largest remainder). */
  static int[] toBasisPoints(List<Variant> order, Map<String, Double> shares) {
    int[] weights = new int[order.size()];
    double[] remainders = new double[order.size()];
    int total = 0;
    for (int i = 0; i < weights.length; i++) {
      double exact = shares.getOrDefault(order.get(i).key(), 0.0) * BASIS_POINTS;
      weights[i] = (int) Math.floor(exact);
      remainders[i] = exact - weights[i];
      total += weights[i];
    }
    while (total < BASIS_POINTS) {
      int best = 0;
      for (int i = 1; i < weights.length; i++) {
        if (remainders[i] > remainders[best]) {
          best = i;
        }
      }
      weights[best]++;
      remainders[best] = -1;
      total++;
    }
    return weights;
  }
}
