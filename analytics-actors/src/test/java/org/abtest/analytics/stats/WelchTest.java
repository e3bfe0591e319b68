package org.abtest.analytics.stats;

import static org.abtest.analytics.stats.Close.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reference values: R 4.2.2, {@code t.test(y, x, var.equal = FALSE, conf.level = 1 - alpha)} on
 * vectors built to have exactly the given n, mean and variance ({@code m + sd *
 * scale(seq_len(n))}); the n = 1e8 case from the Welch formulas with R's {@code pt} and {@code qt}.
 * Relative lift and Cohen's d: Python with {@code scipy.stats.norm.ppf} for the delta-method
 * formula.
 */
class WelchTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // name, nA, sumA, ssA, nB, sumB, ssB, alpha, t, df, p, ciLow, ciHigh
    "api,1000,5012.3,30555.1,1010,5222.9,32001.7,0.05,"
        + "1.5627701682825237,2001.4950008454775,0.11826475180160173,"
        + "-0.040503596522293461,0.35827983414605619",
    "small unequal variances,12,30,110,7,35,260,0.05,"
        + "1.6524213911411068,7.603988816786666,0.13901600991939447,"
        + "-1.0207068934553221,6.0207068934553218",
    "90/10 allocation at alpha 0.1,9000,18450,52000,1000,2130,5900,0.1,"
        + "2.0389099996816213,1269.4510512365221,0.041665811802454662,"
        + "0.015414320551966716,0.14458567944803344",
    "two units per arm,2,3,5,2,7,25,0.05,"
        + "2.8284271247461898,2.0000000000000004,0.10557280900008413,"
        + "-1.0424349222966545,5.0424349222966542",
    "zero variance in control,5,10,20,6,15,45,0.05,"
        + "1.0000000000000002,5,0.36321746764912244,-0.78529091781815652,1.7852909178181564",
    "n = 1e8 per arm,100000000,3.2e8,1.1e9,100000000,3.2003e8,1.1003e9,0.05,"
        + "2.4324573677428623,199999897.19064468,0.0149967577243252,"
        + "5.8273585092200373e-05,0.00054172641490728948"
  })
  void welchMatchesRTtestForUnequalVariances(
      String name,
      long nA,
      double sumA,
      double ssA,
      long nB,
      double sumB,
      double ssB,
      double alpha,
      double t,
      double df,
      double p,
      double ciLow,
      double ciHigh) {
    WelchResult r =
        Welch.test(new MeanSummary(nA, sumA, ssA), new MeanSummary(nB, sumB, ssB), alpha);
    // the n = 1e8 sums lose ~8 digits to cancellation in sumSquares − sum²/n, in R as here
    double tol = nA >= 100_000_000 ? 1e-6 : 1e-9;
    close(r.statistic(), t, tol);
    close(r.df(), df, tol);
    close(r.pValue(), p, tol);
    close(r.ciLow(), ciLow, tol);
    close(r.ciHigh(), ciHigh, tol);
  }

  @Test
  void closeMeansAtOneHundredMillionUnitsAgreeWithRToTheLastDigits() {
    // Both sums exact in doubles: control 50,000,000 units at 9000 and 50,000,000 at 9001,
    // treatment 49,990,000 at 9000 and 50,010,000 at 9001. R 4.2.2 from the exact moments:
    // vA <- 0.25*n/(n-1); vB <- 0.24999999*n/(n-1); diff <- 0.0001; sA <- vA/n; sB <- vB/n
    // se <- sqrt(sA+sB); df <- (sA+sB)^2/(sA^2/(n-1)+sB^2/(n-1)); t <- diff/se
    // 2*pt(-abs(t), df); diff ∓ qt(0.975, df)*se
    MeanSummary control = new MeanSummary(100_000_000, 900050000000.0, 8100900050000000.0);
    MeanSummary treatment = new MeanSummary(100_000_000, 900050010000.0, 8100900230010000.0);
    close(control.variance(), 0.25000000250000004);
    close(treatment.variance(), 0.24999999249999993);
    WelchResult r = Welch.test(control, treatment, 0.05);
    close(r.diff(), 1e-4);
    close(r.statistic(), 1.4142135694441631);
    close(r.df(), 199999997.99999991);
    close(r.pValue(), 0.15729920653140100);
    close(r.ciLow(), -3.8590382580740344e-05);
    close(r.ciHigh(), 2.3859038258074037e-04);
  }

  @Test
  void anArmOfOneUnitLeavesEveryFieldButTheDifferenceUndefined() {
    // R: t.test(c(5, 7, 9), 4) stops with "not enough 'y' observations"
    WelchResult r = Welch.test(new MeanSummary(1, 4, 16), new MeanSummary(3, 21, 155), 0.05);
    assertThat(r.diff()).isEqualTo(3.0);
    assertThat(r)
        .extracting(
            WelchResult::se,
            WelchResult::statistic,
            WelchResult::df,
            WelchResult::pValue,
            WelchResult::ciLow,
            WelchResult::ciHigh,
            WelchResult::relLift,
            WelchResult::relCiLow,
            WelchResult::relCiHigh,
            WelchResult::cohensD)
        .containsOnlyNulls();
  }

  @Test
  void relativeLiftAndCohensDMatchTheDeltaMethodAndPooledSd() {
    // python: r=(mB-mA)/abs(mA); se=sqrt(vB/mA**2+mB**2*vA/mA**4) (v = var/n);
    // r ± norm.ppf(0.975)*se; d=(mB-mA)/sqrt((m2A+m2B)/(nA+nB-2))
    WelchResult r =
        Welch.test(
            new MeanSummary(1000, 5012.3, 30555.1), new MeanSummary(1010, 5222.9, 32001.7), 0.05);
    close(r.relLift(), 0.03169964264147824);
    close(r.relCiLow(), -0.008724599630237521);
    close(r.relCiHigh(), 0.07212388491319399);
    close(r.cohensD(), 0.06973233344176391);
    // same at alpha 0.1 with 90/10 allocation
    WelchResult u =
        Welch.test(new MeanSummary(9000, 18450, 52000), new MeanSummary(1000, 2130, 5900), 0.1);
    close(u.relLift(), 0.039024390243902474);
    close(u.relCiLow(), 0.007400071943671725);
    close(u.relCiHigh(), 0.07064870854413322);
    close(u.cohensD(), 0.06416713694547042);
  }

  @Test
  void zeroVarianceInBothArmsLeavesTheTestUndefined() {
    WelchResult r = Welch.test(new MeanSummary(4, 8, 16), new MeanSummary(3, 9, 27), 0.05);
    assertThat(r.diff()).isEqualTo(1.0);
    assertThat(r.statistic()).isNull();
    assertThat(r.df()).isNull();
    assertThat(r.pValue()).isNull();
    assertThat(r.ciLow()).isNull();
    assertThat(r.cohensD()).isNull();
    assertThat(r.relLift()).isEqualTo(0.5);
    assertThat(r.relCiLow()).isNull();
  }

  @Test
  void aSingleUnitArmHasAMeanButNoVariance() {
    WelchResult r = Welch.test(new MeanSummary(1, 3, 9), new MeanSummary(10, 40, 200), 0.05);
    assertThat(r.diff()).isEqualTo(1.0);
    assertThat(r.statistic()).isNull();
    assertThat(r.pValue()).isNull();
    assertThat(r.se()).isNull();
  }

  @Test
  void anEmptyArmLeavesEverythingUndefined() {
    WelchResult r = Welch.test(new MeanSummary(0, 0, 0), new MeanSummary(10, 40, 200), 0.05);
    assertThat(r)
        .isEqualTo(
            new WelchResult(null, null, null, null, null, null, null, null, null, null, null));
  }

  @Test
  void zeroControlMeanLeavesRelativeLiftUndefined() {
    WelchResult r = Welch.test(new MeanSummary(3, 0, 2), new MeanSummary(3, 3, 5), 0.05);
    assertThat(r.relLift()).isNull();
    assertThat(r.pValue()).isNotNull();
  }

  @Test
  void equalValuesWithRoundingInTheSumsCountAsZeroVariance() {
    // ten values of 0.1: the floating-point sums leave sumSquares − sum²/n a hair off zero
    double sum = 0;
    double ss = 0;
    for (int i = 0; i < 10; i++) {
      sum += 0.1;
      ss += 0.1 * 0.1;
    }
    assertThat(new MeanSummary(10, sum, ss).variance()).isEqualTo(0.0);
  }

  @Test
  void inconsistentSumsAreRejectedNamingTheField() {
    assertThatThrownBy(() -> new MeanSummary(10, 100, 50))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("sumSquares");
    assertThatThrownBy(() -> new MeanSummary(-1, 0, 0)).hasMessageStartingWith("n ");
    assertThatThrownBy(() -> Welch.test(new MeanSummary(2, 1, 1), new MeanSummary(2, 1, 1), 1.5))
        .hasMessageStartingWith("alpha");
  }
}
