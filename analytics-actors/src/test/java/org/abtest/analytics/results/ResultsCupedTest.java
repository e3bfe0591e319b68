package org.abtest.analytics.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.MetricSums;
import org.abtest.analytics.calculator.AnalysisRequest;
import org.abtest.analytics.calculator.AnalysisWire;
import org.abtest.analytics.results.ResultsDocument.Comparison;
import org.abtest.analytics.stats.CovariateSums;
import org.abtest.analytics.stats.CupedResult;
import org.abtest.protocol.experiment.SequentialMethod;
import org.junit.jupiter.api.Test;

/**
 * The results document's CUPED block: against scipy on the raw per-unit values, and equal to what
 * {@code POST /v1/analysis} (the engine's {@code AnalysisEngine}, through {@code AnalysisWire})
 * gives for the same sums.
 *
 * <p>Reference values: Python 3, numpy 2.4.6, scipy 1.17.1, this script (its output below):
 *
 * <pre>
 * import numpy as np
 * from scipy import stats
 *
 * def case(name, xa, ya, xb, yb):
 *     x = np.concatenate([xa, xb]); y = np.concatenate([ya, yb])
 *     theta = np.cov(x, y, ddof=1)[0, 1] / np.var(x, ddof=1)
 *     adj = lambda xv, yv: yv - theta * (xv - x.mean())
 *     aa, ab = adj(xa, ya), adj(xb, yb)
 *     t = stats.ttest_ind(ab, aa, equal_var=False)
 *     ci = t.confidence_interval(0.95)
 *     vr = 1 - (np.var(aa, ddof=1) / len(aa) + np.var(ab, ddof=1) / len(ab)) / (
 *         np.var(ya, ddof=1) / len(ya) + np.var(yb, ddof=1) / len(yb))
 *     print(name)   # then per arm n and the sums of y, y², x, x², xy; theta, the means of the
 *                   # adjusted values, their difference, ci, t.pvalue, vr (each as float(...)!r)
 *
 * rng = np.random.default_rng(20261122)
 * q = lambda v: np.round(v * 4) / 4  # quarters: every sum is exact in binary floating point
 * xa = q(rng.gamma(2.0, 5.0, 60)); ya = q(0.8 * xa + rng.normal(3.0, 2.0, 60))
 * xb = q(rng.gamma(2.0, 5.0, 70)); yb = q(0.8 * xb + rng.normal(3.8, 2.0, 70))
 * case("mean", xa, ya, xb, yb)
 * pa = (rng.random(400) &lt; 0.3).astype(float); pb = (rng.random(420) &lt; 0.3).astype(float)
 * ca = np.where(pa == 1, rng.random(400) &lt; 0.5, rng.random(400) &lt; 0.15).astype(float)
 * cb = np.where(pb == 1, rng.random(420) &lt; 0.6, rng.random(420) &lt; 0.18).astype(float)
 * case("proportion", pa, ca, pb, cb)
 *
 * mean
 *   A: n=60 sum=578.25 sumSquares=8088.6875 covSum=519.75 covSumSquares=7824.0625 covSumProducts=7778.25
 *   B: n=70 sum=773.75 sumSquares=10664.9375 covSum=634.25 covSumSquares=8465.4375 covSumProducts=9278.75
 *   theta=0.8362210355011137 baselineMean=9.816805087419949 mean=10.899881353640042 diff=1.0830762662200932
 *   ciLow=0.44426397217549973 ciHigh=1.7218885602646867 pValue=0.0010522846670663246 varianceReduction=0.9092771593975022
 * proportion
 *   A: n=400 sum=98.0 sumSquares=98.0 covSum=117.0 covSumSquares=117.0 covSumProducts=53.0
 *   B: n=420 sum=140.0 sumSquares=140.0 covSum=125.0 covSumSquares=125.0 covSumProducts=84.0
 *   theta=0.39137521805027287 baselineMean=0.24602616673025376 mean=0.3323560316854726 diff=0.08632986495521885
 *   ciLow=0.029366748956158643 ciHigh=0.14329298095427906 pValue=0.003018025042650514 varianceReduction=0.1527040470047476
 * </pre>
 */
class ResultsCupedTest {

  private static final MetricSums MEAN_A =
      new MetricSums(60, 578.25, 8088.6875, 519.75, 7824.0625, 7778.25);
  private static final MetricSums MEAN_B =
      new MetricSums(70, 773.75, 10664.9375, 634.25, 8465.4375, 9278.75);
  private static final MetricSums PROP_A = new MetricSums(400, 98, 98, 117, 117, 53);
  private static final MetricSums PROP_B = new MetricSums(420, 140, 140, 125, 125, 84);

  /** The experiment of ResultsBuilderTest: "purchase" is a proportion, "revenue" a mean. */
  private static Comparison comparison(String metric, MetricSums a, MetricSums b) {
    MetricSums none = MetricSums.ZERO;
    var totals =
        new ExperimentTotals(
            "checkout-button",
            1,
            ResultsBuilderTest.AS_OF,
            Map.of("control", a.n(), "green", b.n()),
            Map.of(
                metric,
                Map.of("control", a, "green", b),
                metric.equals("revenue") ? "purchase" : "revenue",
                Map.of("control", none, "green", none)),
            Map.of(),
            0);
    var doc =
        ResultsBuilder.build(
                ResultsBuilderTest.experiment(SequentialMethod.NONE, null, null), totals, null)
            .document();
    var result =
        doc.metrics().stream().filter(m -> m.metric().equals(metric)).findFirst().orElseThrow();
    assertThat(result.variants().get(1).covariate())
        .isEqualTo(
            new ResultsDocument.CovariateTotals(b.covSum(), b.covSumSquares(), b.covSumProducts()));
    return result.comparisons().get(0);
  }

  @Test
  void aMeanMetricsCupedBlockMatchesScipyOnTheRawValues() {
    ResultsDocument.Cuped c = comparison("revenue", MEAN_A, MEAN_B).cuped();
    close(c.theta(), 0.8362210355011137);
    close(c.baselineMean(), 9.816805087419949);
    close(c.mean(), 10.899881353640042);
    close(c.diff(), 1.0830762662200932);
    close(c.ciLow(), 0.44426397217549973);
    close(c.ciHigh(), 1.7218885602646867);
    close(c.pValue(), 0.0010522846670663246);
    close(c.varianceReduction(), 0.9092771593975022);
    close(c.relLift(), 1.0830762662200932 / 9.816805087419949);
  }

  @Test
  void aProportionMetricsCupedBlockMatchesScipyOnTheZeroOneValues() {
    ResultsDocument.Cuped c = comparison("purchase", PROP_A, PROP_B).cuped();
    close(c.theta(), 0.39137521805027287);
    close(c.baselineMean(), 0.24602616673025376);
    close(c.mean(), 0.3323560316854726);
    close(c.diff(), 0.08632986495521885);
    close(c.ciLow(), 0.029366748956158643);
    close(c.ciHigh(), 0.14329298095427906);
    close(c.pValue(), 0.003018025042650514);
    close(c.varianceReduction(), 0.1527040470047476);
  }

  @Test
  void liveCupedEqualsTheAnalysisEndpointGivenTheSameSums() {
    for (var c :
        List.of(
            new Object[] {"revenue", MEAN_A, MEAN_B}, new Object[] {"purchase", PROP_A, PROP_B})) {
      MetricSums a = (MetricSums) c[1];
      MetricSums b = (MetricSums) c[2];
      ResultsDocument.Cuped live = comparison((String) c[0], a, b).cuped();
      // POST /v1/analysis takes a proportion's 0/1 values as a mean: sum = sumSquares = conversions
      CupedResult analysis =
          AnalysisWire.analyze(
                  new AnalysisRequest(
                      "mean",
                      0.05,
                      "control",
                      "none",
                      List.of(arm("control", a), arm("green", b)),
                      null,
                      null,
                      false))
              .comparisons()
              .get(0)
              .cuped();
      assertThat(
              new CupedResult(
                  live.theta(),
                  live.diff(),
                  live.ciLow(),
                  live.ciHigh(),
                  live.pValue(),
                  live.varianceReduction()))
          .isEqualTo(analysis);
    }
  }

  @Test
  void withoutPreExposureEventsTheBlockIsAllNull() {
    var noCovariate = new MetricSums(60, 578.25, 8088.6875, 0, 0, 0);
    var other = new MetricSums(70, 773.75, 10664.9375, 0, 0, 0);
    assertThat(comparison("revenue", noCovariate, other).cuped())
        .isEqualTo(ResultsDocument.Cuped.UNDEFINED);
  }

  private static AnalysisRequest.Variant arm(String key, MetricSums s) {
    return new AnalysisRequest.Variant(
        key,
        s.n(),
        s.sum(),
        s.sumSquares(),
        null,
        new CovariateSums(s.covSum(), s.covSumSquares(), s.covSumProducts()));
  }

  private static void close(Double actual, double expected) {
    assertThat(actual).as("expected %s", expected).isNotNull();
    assertThat(actual).isCloseTo(expected, within(1e-9 * Math.abs(expected)));
  }
}
