package org.abtest.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SoakStatsTest {

  // Reference: numpy 1.x np.percentile(v, q * 100, method="inverted_cdf") (nearest rank), python3.
  private static final List<Long> TEN = List.of(30L, 10L, 50L, 20L, 40L, 70L, 60L, 90L, 80L, 100L);

  @Test
  void percentileIsTheNearestRankOfTheSortedValues() {
    assertThat(SoakStats.percentile(TEN, 0.5)).isEqualTo(50);
    assertThat(SoakStats.percentile(TEN, 0.99)).isEqualTo(100);
    assertThat(SoakStats.percentile(TEN, 0.1)).isEqualTo(10);
    assertThat(SoakStats.percentile(TEN, 1.0)).isEqualTo(100);
  }

  @Test
  void percentileOfNoValuesIsMinusOneAndOfOneValueIsIt() {
    assertThat(SoakStats.percentile(List.of(), 0.5)).isEqualTo(-1);
    assertThat(SoakStats.percentile(List.of(7L), 0.99)).isEqualTo(7);
  }

  @Test
  void slopeIsTheLeastSquaresChangePerStep() {
    // Reference: scipy 1.17.1 stats.linregress(range(6), y).slope = 7.435714285714286
    double[] heap = {412.0, 430.5, 433.0, 441.25, 447.0, 452.5};
    assertThat(SoakStats.slope(heap)).isCloseTo(7.435714285714286, within(1e-12));
  }

  @Test
  void aFlatSeriesHasSlopeZeroAndTooFewPointsHaveNone() {
    assertThat(SoakStats.slope(new double[] {100, 100, 100})).isZero();
    assertThat(SoakStats.slope(new double[] {5})).isNaN();
  }
}
