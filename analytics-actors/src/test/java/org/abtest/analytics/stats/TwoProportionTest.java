package org.abtest.analytics.stats;

import static org.abtest.analytics.stats.Close.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reference values: R 4.2.2, {@code prop.test(c(xB, xA), c(nB, nA), correct = cc, conf.level = 1 -
 * alpha)} (its statistic is z² and its interval is the unpooled Wald one) and {@code
 * chisq.test(matrix(c(xA, nA - xA, xB, nB - xB), 2, byrow = TRUE), correct = cc)}.
 */
class TwoProportionTest {

  @ParameterizedTest(name = "{0} yates={6}")
  @CsvSource({
    // name, nA, xA, nB, xB, alpha, yates, chi2 (prop.test), p, ciLow, ciHigh, chi2 (chisq.test)
    "basic,10120,840,10003,870,0.05,false,1.0196569165868441,0.31260040331587541,"
        + "-0.0037364024765466648,0.011676312993510131,1.019656916586831",
    "basic,10120,840,10003,870,0.05,true,0.96923961783662305,0.32486988923611282,"
        + "-0.0038357945956698208,0.011775705112633287,0.96923961783661017",
    "small,20,3,25,9,0.05,false,2.5056818181818179,0.11343638083618279,"
        + "-0.034728797801652445,0.45472879780165243,2.5056818181818175",
    "small,20,3,25,9,0.05,true,1.5468749999999998,0.21359736907056215,"
        + "-0.079728797801652457,0.49972879780165247,1.5468749999999996",
    "90/10 at alpha 0.1,9000,450,1000,62,0.1,false,2.6678435919055659,0.10239467492638601,"
        + "-0.0011004901524793963,0.02510049015247939,2.6678435919055614",
    "90/10 at alpha 0.1,9000,450,1000,62,0.1,true,2.42653915179408,0.1192960174847011,"
        + "-0.0016560457080349519,0.025656045708034945,2.4265391517940755",
    "zero conversions in control,50,0,50,4,0.05,false,4.166666666666667,0.041226833337163572,"
        + "0.0048027435070816527,0.15519725649291835,4.166666666666667",
    "zero conversions in control,50,0,50,4,0.05,true,2.34375,0.12578642463893983,"
        + "-0.015197256492918351,0.17519725649291834,2.34375",
    "all converted in treatment,30,25,30,30,0.05,false,5.4545454545454524,0.01951748118217778,"
        + "0.033308008990130311,0.30002532434320295,5.4545454545454541",
    "all converted in treatment,30,25,30,30,0.05,true,3.4909090909090899,0.061706690028312569,"
        + "-2.5324343203014799e-05,0.33335865767653627,3.4909090909090912",
    "n = 1e8,100000000,10000000,100000000,10003000,0.05,false,0.49993334347070389,"
        + "0.47952941194959681,-5.3159772683643099e-05,0.00011315977268361984,0.49993334347070389",
    "n = 1e8,100000000,10000000,100000000,10003000,0.05,true,0.4996001101232061,"
        + "0.4796758830334017,-5.3169772683643094e-05,0.00011316977268361983,0.4996001101232061"
  })
  void zTestAndChiSquaredMatchRPropTestAndChisqTest(
      String name,
      long nA,
      long xA,
      long nB,
      long xB,
      double alpha,
      boolean yates,
      double chi2,
      double p,
      double ciLow,
      double ciHigh,
      double chisqTest) {
    ProportionSummary a = new ProportionSummary(nA, xA);
    ProportionSummary b = new ProportionSummary(nB, xB);
    ProportionResult r = TwoProportion.test(a, b, alpha, yates);
    close(r.statistic() * r.statistic(), chi2);
    assertThat(Math.signum(r.statistic())).isEqualTo(Math.signum(r.diff()));
    close(r.pValue(), p);
    // an interval end near zero is compared on the scale of the interval's width
    double width = ciHigh - ciLow;
    Close.absClose(r.ciLow(), ciLow, 1e-9 * width);
    Close.absClose(r.ciHigh(), ciHigh, 1e-9 * width);
    close(TwoProportion.chiSquared(a, b, yates), chisqTest);
    close(TwoProportion.chiSquaredPValue(a, b, yates), p);
  }

  @Test
  void relativeLiftUsesTheDeltaMethod() {
    // python: r=(pB-pA)/pA; se=sqrt(vB/pA**2+pB**2*vA/pA**4); r ± norm.ppf(1-alpha/2)*se
    ProportionResult r =
        TwoProportion.test(
            new ProportionSummary(10120, 840), new ProportionSummary(10003, 870), 0.05, false);
    close(r.relLift(), 0.04782850859027993);
    close(r.relCiLow(), -0.04720100917749681);
    close(r.relCiHigh(), 0.14285802635805667);
    ProportionResult u =
        TwoProportion.test(
            new ProportionSummary(9000, 450), new ProportionSummary(1000, 62), 0.1, false);
    close(u.relLift(), 0.23999999999999994);
    close(u.relCiLow(), -0.027805430013878918);
    close(u.relCiHigh(), 0.5078054300138788);
  }

  @Test
  void noConversionsAnywhereLeavesTheTestUndefinedAndTheIntervalAPoint() {
    // R 4.2.2: prop.test(c(0, 0), c(100, 80), correct = FALSE): X-squared NaN, p NaN, CI [0, 0]
    ProportionResult r =
        TwoProportion.test(
            new ProportionSummary(100, 0), new ProportionSummary(80, 0), 0.05, false);
    assertThat(r.diff()).isEqualTo(0.0);
    assertThat(r.statistic()).isNull();
    assertThat(r.pValue()).isNull();
    assertThat(r.ciLow()).isEqualTo(0.0);
    assertThat(r.ciHigh()).isEqualTo(0.0);
    assertThat(r.relLift()).isNull();
    assertThat(
            TwoProportion.chiSquaredPValue(
                new ProportionSummary(100, 0), new ProportionSummary(80, 0), true))
        .isNull();
  }

  @Test
  void everyoneConvertingInBothArmsLeavesTheTestUndefined() {
    ProportionResult r =
        TwoProportion.test(
            new ProportionSummary(10, 10), new ProportionSummary(12, 12), 0.05, true);
    assertThat(r.diff()).isEqualTo(0.0);
    assertThat(r.pValue()).isNull();
    assertThat(r.relLift()).isEqualTo(0.0);
  }

  @Test
  void armsAtZeroAndOneHundredPercentHaveAPointIntervalWidenedOnlyByTheCorrection() {
    // R 4.2.2: prop.test(c(200, 0), c(200, 100), correct = FALSE) gives X-squared = 300,
    // CI [1, 1]; with correct = TRUE, X-squared = 295.51687499999997, p = 3.1226080710508379e-66,
    // CI [0.99250000000000005, 1] (R reports x1 − x2, so the arms are given treatment first)
    ProportionSummary control = new ProportionSummary(100, 0);
    ProportionSummary treatment = new ProportionSummary(200, 200);
    ProportionResult plain = TwoProportion.test(control, treatment, 0.05, false);
    assertThat(plain.diff()).isEqualTo(1.0);
    close(plain.statistic(), Math.sqrt(300));
    assertThat(plain.ciLow()).isEqualTo(1.0);
    assertThat(plain.ciHigh()).isEqualTo(1.0);
    ProportionResult corrected = TwoProportion.test(control, treatment, 0.05, true);
    close(corrected.statistic(), Math.sqrt(295.51687499999997));
    close(corrected.pValue(), 3.1226080710508379e-66);
    close(corrected.ciLow(), 0.99250000000000005);
    assertThat(corrected.ciHigh()).isEqualTo(1.0);
  }

  @Test
  void zeroControlRateLeavesRelativeLiftUndefined() {
    ProportionResult r =
        TwoProportion.test(new ProportionSummary(50, 0), new ProportionSummary(50, 4), 0.05, false);
    assertThat(r.relLift()).isNull();
    assertThat(r.pValue()).isNotNull();
  }

  @Test
  void invalidCountsAreRejectedNamingTheField() {
    assertThatThrownBy(() -> new ProportionSummary(10, 11))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("conversions");
    assertThatThrownBy(() -> new ProportionSummary(-1, 0)).hasMessageStartingWith("n ");
    assertThatThrownBy(() -> new ProportionSummary(5, -1)).hasMessageStartingWith("conversions");
  }
}
