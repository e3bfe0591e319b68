package org.abtest.analytics.stats;

/**
 * The pre-period covariate x of one arm for CUPED: sums of x, of x² and of x·y over the arm's units
 * (y being the metric).
 */
public record CovariateSums(double sum, double sumSquares, double sumProducts) {
  public CovariateSums {
    Num.require(Double.isFinite(sum), "covariate.sum must be a finite number");
    Num.require(
        Double.isFinite(sumSquares) && sumSquares >= 0,
        "covariate.sumSquares must be a finite number >= 0");
    Num.require(Double.isFinite(sumProducts), "covariate.sumProducts must be a finite number");
  }
}
