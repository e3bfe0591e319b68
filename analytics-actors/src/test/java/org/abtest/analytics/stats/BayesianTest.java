package org.abtest.analytics.stats;

import static org.abtest.analytics.stats.Close.absClose;
import static org.abtest.analytics.stats.Close.close;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reference values: R 4.2.2 numerical integration with Beta(1, 1) priors, a = x + 1, b = n − x + 1:
 * P(beat) = {@code integrate(function(x) dbeta(x, aB, bB) * pbeta(x, aA, bA), lo, hi, rel.tol =
 * 1e-13)} over B's mean ± 40 sd; expected loss = {@code integrate(function(a) dbeta(a, aA, bA) * (a
 * * pbeta(a, aB, bB) - aB/(aB + bB) * pbeta(a, aB + 1, bB)), …)}, i.e. E[(A − B)+] by a different
 * identity than the engine's.
 */
class BayesianTest {

  @ParameterizedTest(name = "control {0}/{1}, treatment {2}/{3}")
  @CsvSource({
    "93,1000,112,1000,0.91895607300753479,0.00050075464334557685",
    "0,10,0,10,0.50000000000000011,0.039855072463768119",
    "10,10,10,10,0.50000000000000033,0.03985507246376814",
    "0,50,4,50,0.97179717971797186,0.00051603367954420416",
    "2,3,1,2,0.37142857142857144,0.1785714285714286",
    "450,9000,62,1000,0.95111879672355459,0.00014154859960385931",
    "30000,1000000,30500,1000000,0.98050264820291566,1.7284875066881406e-06",
    "10000000,100000000,10003000,100000000,0.76023528865083068,5.9901158960512265e-06",
    "5,20,0,0,0.72727272727272718,0.041501976284584977"
  })
  void probabilityToBeatAndLossMatchRIntegrate(
      long xA, long nA, long xB, long nB, double beat, double loss) {
    Bayesian.Result r =
        Bayesian.proportions(new ProportionSummary(nA, xA), new ProportionSummary(nB, xB));
    absClose(r.probabilityToBeat(), beat, 1e-8);
    absClose(r.expectedLoss(), loss, 1e-10);
    close(r.expectedLoss(), loss, 1e-5);
  }

  @Test
  void closedFormSumAndIntegrationAgree() {
    BetaPosterior a = BetaPosterior.of(new ProportionSummary(1000, 93));
    BetaPosterior b = BetaPosterior.of(new ProportionSummary(1000, 112));
    absClose(Bayesian.integrate(b, a), Bayesian.millerSum(b, a), 1e-12);
    BetaPosterior small = BetaPosterior.of(new ProportionSummary(80, 3));
    BetaPosterior big = BetaPosterior.of(new ProportionSummary(2_000_000, 60_000));
    absClose(Bayesian.integrate(big, small), Bayesian.millerSum(small, big) * -1 + 1, 1e-10);
  }

  @Test
  void hugeCountsStayFast() {
    long start = System.nanoTime();
    Bayesian.proportions(
        new ProportionSummary(100_000_000, 50_000_000),
        new ProportionSummary(100_000_000, 50_010_000));
    assertThat(System.nanoTime() - start).isLessThan(3_000_000_000L);
  }

  @Test
  void meansUseTheNormalApproximation() {
    // R: pnorm(0.16/0.1); 0.1*dnorm(1.6) - 0.16*pnorm(-1.6)
    Bayesian.Result r = Bayesian.means(0.16, 0.1);
    close(r.probabilityToBeat(), 0.94520070830044201);
    close(r.expectedLoss(), 0.0023241967960162778, 1e-9);
    assertThat(Bayesian.means(0.1, 0.0)).isEqualTo(new Bayesian.Result(null, null));
  }

  @Test
  void chanceToWinIsNormalOnTheRelativeLift() {
    // R: lift <- (5.2 - 5)/5; se <- sqrt(0.01/25 + 5.2^2*0.012/5^4); pnorm(lift/se)
    close(Bayesian.chanceToWin(5, 0.012, 5.2, 0.01), 0.90647521534357134);
    assertThat(Bayesian.chanceToWin(0, 0.012, 5.2, 0.01)).isNull();
  }
}
