package org.abtest.analytics.stats;

import static org.abtest.analytics.stats.Close.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reference values: R 4.2.2, {@code chisq.test(x, p = w / sum(w))}. */
class SrmTest {

  @Test
  void balancedSplitMatchesRChisqTestAndIsNotFlagged() {
    Srm s = Srm.check(List.of(10120L, 10003L), List.of(5000L, 5000L));
    close(s.chi2(), 0.68026636187447198);
    close(s.pValue(), 0.40949501846796305);
    assertThat(s.mismatch()).isFalse();
  }

  @Test
  void sharesGiveTheSameTestAsBasisPoints() {
    Srm s = Srm.check(List.of(10120L, 10003L), List.of(0.5, 0.5));
    close(s.chi2(), 0.68026636187447198);
    close(s.pValue(), 0.40949501846796305);
    assertThat(s).isEqualTo(Srm.check(List.of(10120L, 10003L), List.of(5000L, 5000L)));
  }

  @Test
  void relativeWeightsNeedNotSumToAnything() {
    // R: chisq.test(c(3290, 6710), p = c(1, 2) / 3) → X-squared = 0.845, p = 0.35797067264432819
    Srm s = Srm.check(List.of(3290L, 6710L), List.of(1, 2));
    close(s.chi2(), 0.845);
    close(s.pValue(), 0.35797067264432819);
    assertThat(s.mismatch()).isFalse();
  }

  @Test
  void weightsThatAreNotFiniteOrAddUpToInfinityAreRefused() {
    assertThatThrownBy(() -> Srm.check(List.of(1L, 1L), List.of(Double.NaN, 1.0)))
        .hasMessageContaining("weights[0]");
    assertThatThrownBy(
            () -> Srm.check(List.of(1L, 1L), List.of(Double.MAX_VALUE, Double.MAX_VALUE)))
        .hasMessageContaining("finite");
  }

  @Test
  void lopsidedSplitIsFlaggedBelowOnePerMille() {
    Srm s = Srm.check(List.of(10500L, 9800L), List.of(5000L, 5000L));
    close(s.chi2(), 24.137931034482758);
    close(s.pValue(), 8.9676416618179134e-07);
    assertThat(s.mismatch()).isTrue();
  }

  @Test
  void threeVariantsWithUnequalWeightsMatchR() {
    Srm s = Srm.check(List.of(3012L, 2950L, 4101L), List.of(3000L, 3000L, 4000L));
    close(s.chi2(), 3.01568452085196);
    close(s.pValue(), 0.22138715879196044);
    assertThat(s.mismatch()).isFalse();
  }

  @Test
  void ninetyTenSplitJustAboveTheThresholdIsNotFlagged() {
    Srm s = Srm.check(List.of(90310L, 9690L), List.of(9000L, 1000L));
    close(s.chi2(), 10.677777777777777);
    close(s.pValue(), 0.0010843024087455924);
    assertThat(s.mismatch()).isFalse();
  }

  @Test
  void unitsInAVariantWithZeroWeightAreAMismatch() {
    Srm s = Srm.check(List.of(100L, 100L, 3L), List.of(5000L, 5000L, 0L));
    assertThat(s.chi2()).isNull();
    assertThat(s.pValue()).isEqualTo(0.0);
    assertThat(s.mismatch()).isTrue();
  }

  @Test
  void noUnitsYetIsUndefinedNotAMismatch() {
    Srm s = Srm.check(List.of(0L, 0L), List.of(5000L, 5000L));
    assertThat(s).isEqualTo(new Srm(null, null, false));
  }

  @Test
  void weightsOfTheWrongLengthAreRejected() {
    assertThatThrownBy(() -> Srm.check(List.of(1L, 2L), List.of(5000L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("weights");
  }
}
