package org.abtest.analytics.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Partials of several partitions merge by addition, the CUPED covariate sums included. */
class TotalsMergeTest {

  private static ExperimentTotals partial(long at, long units, MetricSums sums) {
    return new ExperimentTotals(
        "exp",
        2,
        Instant.ofEpochMilli(at),
        Map.of("a", units),
        Map.of("rev", Map.of("a", sums)),
        Map.of(),
        0);
  }

  @Test
  void covariateSumsMergeLikeTheOtherSums() {
    var merged =
        TotalsMerge.merge(
            "exp",
            2,
            List.of(
                partial(5, 2, new MetricSums(2, 3.5, 8.25, 1.25, 1.5625, 2.5)),
                partial(9, 3, new MetricSums(3, 4.0, 6.0, 2.0, 3.0, 5.75))));
    assertThat(merged.metrics().get("rev").get("a"))
        .isEqualTo(new MetricSums(5, 7.5, 14.25, 3.25, 4.5625, 8.25));
    assertThat(merged.unitsPerVariant()).isEqualTo(Map.of("a", 5L));
    assertThat(merged.asOf()).isEqualTo(Instant.ofEpochMilli(9));
  }

  @Test
  void aPartialWithDifferentCovariateSumsIsNotTheSameNumbers() {
    var one = partial(1, 1, new MetricSums(1, 1, 1, 0, 0, 0));
    var other = partial(1, 1, new MetricSums(1, 1, 1, 1, 1, 1));
    assertThat(TotalsMerge.sameNumbers(one, other)).isFalse();
    assertThat(TotalsMerge.sameNumbers(one, partial(7, 1, new MetricSums(1, 1, 1, 0, 0, 0))))
        .isTrue();
  }
}
