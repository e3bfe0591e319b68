package org.abtest.analytics.stats;

import static org.abtest.analytics.stats.Close.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Reference values: Python/numpy/scipy on raw simulated data ({@code default_rng(20240611)}, x ~
 * Gamma(2, 2.5), y = 1 + 0.9x + N(0, 1.5²) (+0.25 in B), 400 and 350 units): {@code theta =
 * np.cov(X, Y)[0,1] / np.var(X, ddof=1)} on both arms pooled, adjusted {@code y − theta·(x −
 * X.mean())}, {@code r = scipy.stats.ttest_ind(adjB, adjA, equal_var=False)}, {@code
 * r.confidence_interval(0.95)}, variance reduction {@code 1 − se_adj²/se²}. The engine sees only
 * the sums printed from that data.
 */
class CupedTest {
  static final MeanSummary Y_A = new MeanSummary(400, 2188.6896272620334, 17497.08999997763);
  static final CovariateSums X_A =
      new CovariateSums(1982.4298338220196, 15065.215282796502, 15778.308931779942);
  static final MeanSummary Y_B = new MeanSummary(350, 1977.791606140141, 15742.246794928507);
  static final CovariateSums X_B =
      new CovariateSums(1755.6411508048059, 13578.353340309797, 14153.70712778406);

  @Test
  void cupedFromSumsMatchesRegressionAdjustmentOnTheRawData() {
    CupedResult r = Cuped.adjust(Y_A, X_A, Y_B, X_B, 0.05);
    // sums of ~1e4 with 17 digits carry ~1e-12 relative error into centred quantities
    close(r.theta(), 0.9154281653266514, 1e-9);
    close(r.diff(), 0.12414404882598262, 1e-9);
    close(r.ciLow(), -0.09283808767254728, 1e-9);
    close(r.ciHigh(), 0.34112618532451255, 1e-9);
    close(r.pValue(), 0.26170655383493324, 1e-9);
    close(r.varianceReduction(), 0.8302816204996761, 1e-9);
  }

  @Test
  void aConstantCovariateLeavesCupedUndefined() {
    CupedResult r =
        Cuped.adjust(
            new MeanSummary(3, 6, 14),
            new CovariateSums(3, 3, 6),
            new MeanSummary(3, 9, 29),
            new CovariateSums(3, 3, 9),
            0.05);
    assertThat(r).isEqualTo(CupedResult.UNDEFINED);
  }

  @Test
  void aSingleUnitArmLeavesCupedUndefined() {
    CupedResult r =
        Cuped.adjust(
            new MeanSummary(1, 2, 4),
            new CovariateSums(1, 1, 2),
            new MeanSummary(3, 9, 29),
            new CovariateSums(6, 14, 20),
            0.05);
    assertThat(r.theta()).isNull();
  }

  @Test
  void inconsistentCovariateSumsAreRejectedNamingTheField() {
    assertThatThrownBy(
            () ->
                Cuped.adjust(
                    new MeanSummary(3, 6, 14),
                    new CovariateSums(30, 3, 6),
                    new MeanSummary(3, 9, 29),
                    new CovariateSums(6, 14, 20),
                    0.05))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("covariate.sumSquares");
    assertThatThrownBy(
            () ->
                Cuped.adjust(
                    new MeanSummary(3, 6, 14),
                    new CovariateSums(6, 14, 500),
                    new MeanSummary(3, 9, 29),
                    new CovariateSums(6, 14, 20),
                    0.05))
        .hasMessageStartingWith("covariate.sumProducts");
  }
}
