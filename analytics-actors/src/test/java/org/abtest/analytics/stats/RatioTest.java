package org.abtest.analytics.stats;

import static org.abtest.analytics.stats.Close.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Reference values: R 4.2.2 on the per-unit vectors below, the delta method written out from raw
 * data ({@code r <- sum(y)/sum(d)}, {@code v <- (var(y) - 2*r*cov(y, d) + r^2*var(d)) / mean(d)^2},
 * Welch–Satterthwaite df, {@code pt}, {@code qt}; relative lift with {@code qnorm}). The same t,
 * df, p and interval come out of {@code t.test} on the linearized values {@code (y − r·d)/mean(d)},
 * a second check of the formula in R.
 */
class RatioTest {

  // revenue (y) and sessions (d) per unit
  static final double[] Y_A = {12.5, 0, 3.25, 40, 7.5, 0, 18, 2.75, 9, 0, 22.5, 5};
  static final double[] D_A = {3, 1, 2, 6, 2, 1, 4, 1, 3, 2, 5, 2};
  static final double[] Y_B = {15, 4.5, 0, 52.25, 11, 3, 20, 0, 13.5, 6.25, 30, 8, 1.5};
  static final double[] D_B = {3, 2, 1, 7, 2, 1, 4, 1, 3, 2, 5, 2, 1};

  static RatioSummary summary(double[] y, double[] d) {
    double sy = 0;
    double syy = 0;
    double sd = 0;
    double sdd = 0;
    double syd = 0;
    for (int i = 0; i < y.length; i++) {
      sy += y[i];
      syy += y[i] * y[i];
      sd += d[i];
      sdd += d[i] * d[i];
      syd += y[i] * d[i];
    }
    return new RatioSummary(y.length, sy, syy, sd, sdd, syd);
  }

  @Test
  void theDeltaMethodWelchTestOfTwoRatiosAgreesWithR() {
    RatioSummary a = summary(Y_A, D_A);
    RatioSummary b = summary(Y_B, D_B);
    close(a.ratio(), 3.765625);
    close(b.ratio(), 4.8529411764705879);
    close(a.linearizedVariance(), 5.6590139215642754);
    close(b.linearizedVariance(), 5.7758606680256079);

    WelchResult w = Ratio.test(a, b, 0.05);
    close(w.diff(), 1.0873161764705879);
    close(w.se(), 0.95701696323900021);
    close(w.statistic(), 1.1361514144854792);
    close(w.df(), 22.876946009851206);
    close(w.pValue(), 0.26765559108184112);
    close(w.ciLow(), -0.89301366032670204);
    close(w.ciHigh(), 3.0676460132678778);
    close(w.relLift(), 0.28874786429094451);
    close(w.relCiLow(), -0.28792364699280909);
    close(w.relCiHigh(), 0.86541937557469817);
  }

  @Test
  void anArmWithoutDenominatorHasNoRatioAndNoComparison() {
    RatioSummary none = new RatioSummary(5, 0, 0, 0, 0, 0);
    assertThat(none.ratio()).isNull();
    WelchResult w = Ratio.test(none, summary(Y_B, D_B), 0.05);
    assertThat(w.diff()).isNull();
    assertThat(w.pValue()).isNull();
    assertThat(w.relLift()).isNull();
  }

  @Test
  void unitsThatAllHaveTheSameRatioHaveNoVarianceAndOnlyADifferenceAsWelchsMeansDo() {
    // every unit spends exactly 2 per session: the linearized values are all 0
    RatioSummary a = summary(new double[] {2, 4, 6}, new double[] {1, 2, 3});
    RatioSummary b = summary(new double[] {3, 6}, new double[] {1, 2});
    assertThat(a.linearizedVariance()).isZero();
    WelchResult w = Ratio.test(a, b, 0.05);
    close(w.diff(), 1.0);
    assertThat(w.se()).isZero();
    assertThat(w.pValue()).isNull();
    assertThat(w.ciLow()).isNull();
  }

  @Test
  void anArmOfOneUnitGivesOnlyTheDifference() {
    RatioSummary one = new RatioSummary(1, 4, 16, 2, 4, 8);
    WelchResult w = Ratio.test(one, summary(Y_B, D_B), 0.05);
    close(w.diff(), 4.8529411764705879 - 2);
    assertThat(w.se()).isNull();
    assertThat(w.relLift()).isNull();
  }

  @Test
  void sumsThatContradictEachOtherAreRefusedNamingTheField() {
    assertThatThrownBy(() -> new RatioSummary(3, 6, 14, 6, 1, 12))
        .hasMessageStartingWith("denominator.sumSquares is inconsistent");
    // Σyd far beyond what Σy², Σd² allow: a correlation above 1
    assertThatThrownBy(() -> new RatioSummary(3, 6, 14, 6, 14, 40))
        .hasMessageStartingWith("denominator.sumProducts is inconsistent");
    assertThatThrownBy(() -> new RatioSummary(0, 0, 0, 0, 0, 1))
        .hasMessageStartingWith("denominator.sumProducts must be 0");
  }
}
