package org.abtest.analytics.stats;

import static org.abtest.analytics.stats.Close.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reference values: R 4.2.2 {@code power.prop.test}, {@code power.t.test} (both with {@code tol =
 * 1e-12} so that R's root is as tight as ours) and {@code pt(q, df, ncp)}.
 */
class PowerCalculatorTest {

  private static PowerRequest proportion(double baseline, Double mde, boolean rel, Long n) {
    return new PowerRequest("proportion", baseline, null, mde, rel, 0.05, 0.8, n, null);
  }

  @Test
  void apiExampleMatchesRPowerPropTestAndRoundsUp() {
    // R: power.prop.test(p1 = .1, p2 = .11, power = .8, tol = 1e-12)$n
    PowerResult r = PowerCalculator.calculate(proportion(0.10, 0.01, false, null));
    close(r.nPerGroupExact(), 14750.790469044954);
    assertThat(r.nPerGroup()).isEqualTo(14751L);
    assertThat(r.mde()).isNull();
  }

  @Test
  void proportionSampleSizeAtOtherLevelsMatchesR() {
    // R: power.prop.test(p1 = .05, p2 = .06, sig.level = 0.01, power = .9, tol = 1e-12)$n
    close(PowerCalculator.proportionN(0.05, 0.06, 0.01, 0.9), 15464.651047663954);
    // R: power.prop.test(p1 = .2, p2 = .21, power = .8, tol = 1e-12)$n (a 5% relative mde)
    close(
        PowerCalculator.calculate(proportion(0.2, 0.05, true, null)).nPerGroupExact(),
        25582.244525675309);
  }

  @Test
  void proportionMdeInvertsPowerPropTest() {
    // R: power.prop.test(n = 5000, p1 = .1, power = .8, tol = 1e-12)$p2 - .1
    close(
        PowerCalculator.calculate(proportion(0.1, null, false, 5000L)).mde(),
        0.017439914809797799,
        1e-9);
    // relative: the same p2 as a fraction of the baseline
    close(
        PowerCalculator.calculate(proportion(0.1, null, true, 5000L)).mde(),
        0.17439914809797799,
        1e-9);
    // R: power.prop.test(n = 200, p1 = .3, sig.level = 0.1, power = .9, tol = 1e-12)$p2 - .3
    close(PowerCalculator.proportionMde(0.3, 200, 0.1, 0.9), 0.14065402191197596, 1e-9);
  }

  @ParameterizedTest
  @CsvSource({
    // q, df, ncp, R pt(q, df, ncp)
    "2.5,10,1.5,0.79393910903600939",
    "-1,5,2,0.0023163756541634273",
    "1.97,30,-0.5,0.99134563239774587",
    // R's pt gives 5.1598476842329211e-11 here, within its documented ~1e-12 absolute accuracy;
    // the reference is mpmath (40 digits): quad of ncdf(t*sqrt(v/nu)-d) over the chi2(nu) density,
    // which scipy.stats.nct.cdf(2, 4.5, 10) = 5.163219406307319e-11 confirms
    "2,4.5,10,5.16321940630731e-11",
    "4,20,0,0.99964823835343586"
  })
  void noncentralTCdfMatchesRPt(double q, double df, double ncp, double expected) {
    close(NoncentralT.cdf(q, df, ncp), expected, 1e-9);
  }

  @Test
  void noncentralTUpperTailMatchesRPt() {
    // R: pt(3, 198, 3.5, lower = FALSE)
    close(NoncentralT.upperTail(3, 198, 3.5), 0.69082292611074014, 1e-12);
  }

  @ParameterizedTest
  @CsvSource({
    // delta, sd, alpha, power, R power.t.test(delta, sd, sig.level, power, tol = 1e-12)$n
    "0.5,2,0.05,0.8,252.12811635697051",
    "1,1,0.01,0.9,31.462449798110931",
    "3,1,0.05,0.8,3.0700097469493013"
  })
  void meanSampleSizeMatchesRPowerTTest(
      double delta, double sd, double alpha, double power, double expected) {
    PowerResult r =
        PowerCalculator.calculate(
            new PowerRequest("mean", null, sd, delta, false, alpha, power, null, null));
    close(r.nPerGroupExact(), expected, 1e-9);
    assertThat(r.nPerGroup()).isEqualTo((long) Math.ceil(expected));
  }

  @Test
  void meanMdeMatchesRPowerTTest() {
    // R: power.t.test(n = 100, sd = 2, power = .8, tol = 1e-12)$delta
    close(
        PowerCalculator.calculate(
                new PowerRequest("mean", null, 2.0, null, false, null, null, 100L, "t"))
            .mde(),
        0.79627724974858283,
        1e-9);
    // R: power.t.test(n = 5, sd = 1, power = .8, tol = 1e-12)$delta
    close(PowerCalculator.meanMdeT(5, 1, 0.05, 0.8), 2.0244409773585796, 1e-9);
  }

  @Test
  void meanNormalApproximationMatchesTheClosedForm() {
    // R: 2 * (2 * (qnorm(.975) + qnorm(.8)) / .5)^2
    close(
        PowerCalculator.calculate(
                new PowerRequest("mean", null, 2.0, 0.5, false, null, null, null, "normal"))
            .nPerGroupExact(),
        251.16415149917074);
    // R: (qnorm(.975) + qnorm(.8)) * 2 * sqrt(2 / 100)
    close(
        PowerCalculator.calculate(
                new PowerRequest("mean", null, 2.0, null, false, null, null, 100L, "normal"))
            .mde(),
        0.79240796231986899);
  }

  @Test
  void relativeMeanMdeIsAFractionOfTheBaselineMean() {
    PowerResult abs =
        PowerCalculator.calculate(
            new PowerRequest("mean", null, 2.0, 0.5, false, null, null, null, null));
    PowerResult rel =
        PowerCalculator.calculate(
            new PowerRequest("mean", 10.0, 2.0, 0.05, true, null, null, null, null));
    close(rel.nPerGroupExact(), abs.nPerGroupExact(), 1e-12);
  }

  @Test
  void aDecreaseNeedsTheSampleSizeRGivesForIt() {
    // R 4.2.2: power.prop.test(p1 = 0.10, p2 = 0.09, power = 0.8)$n = 13494.969706443515
    PowerResult abs = PowerCalculator.calculate(proportion(0.10, -0.01, false, null));
    close(abs.nPerGroupExact(), 13494.969706443515);
    assertThat(abs.nPerGroup()).isEqualTo(13495);
    // R: power.prop.test(p1 = 0.10, p2 = 0.095, power = 0.8)$n, a 5 % relative decrease
    PowerResult rel = PowerCalculator.calculate(proportion(0.10, -0.05, true, null));
    close(rel.nPerGroupExact(), 55251.009938500698);
  }

  @Test
  void aDecreaseOfAMeanNeedsWhatTheSameIncreaseNeeds() {
    // R 4.2.2: power.t.test(delta = -0.5, sd = 2, power = 0.8, tol = 1e-12)$n, the same as for
    // delta = 0.5
    PowerResult down =
        PowerCalculator.calculate(
            new PowerRequest("mean", null, 2.0, -0.5, false, null, null, null, null));
    close(down.nPerGroupExact(), 252.12811635697051);
    PowerResult up =
        PowerCalculator.calculate(
            new PowerRequest("mean", null, 2.0, 0.5, false, null, null, null, null));
    assertThat(down).isEqualTo(up);
  }

  @Test
  void anMdeOfZeroOrOneThatTakesTheRateOutOfRangeIsRefused() {
    assertThatThrownBy(() -> PowerCalculator.calculate(proportion(0.1, 0.0, false, null)))
        .hasMessageStartingWith("mde");
    assertThatThrownBy(() -> PowerCalculator.calculate(proportion(0.1, -0.1, false, null)))
        .hasMessageStartingWith("mde takes the treatment rate to 0");
    assertThatThrownBy(() -> PowerCalculator.calculate(proportion(0.1, Double.NaN, false, null)))
        .hasMessageStartingWith("mde");
  }

  @Test
  void unreachablePowerGivesNullMde() {
    // with 2 units per group no rate up to 1 reaches 99.9% power at alpha 1e-6
    PowerResult r =
        PowerCalculator.calculate(
            new PowerRequest("proportion", 0.5, null, null, false, 1e-6, 0.999, 2L, null));
    assertThat(r.mde()).isNull();
  }

  @Test
  void invalidRequestsNameTheField() {
    assertThatThrownBy(() -> PowerCalculator.calculate(proportion(0.1, 0.01, false, 100L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("mde");
    assertThatThrownBy(() -> PowerCalculator.calculate(proportion(1.2, 0.01, false, null)))
        .hasMessageStartingWith("baseline");
    assertThatThrownBy(
            () ->
                PowerCalculator.calculate(
                    new PowerRequest("mean", null, -1.0, 0.5, false, null, null, null, null)))
        .hasMessageStartingWith("sd");
    assertThatThrownBy(
            () ->
                PowerCalculator.calculate(
                    new PowerRequest("ratio", null, 1.0, 0.5, false, null, null, null, null)))
        .hasMessageStartingWith("kind");
  }
}
