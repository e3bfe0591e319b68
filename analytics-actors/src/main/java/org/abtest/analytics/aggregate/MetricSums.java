package org.abtest.analytics.aggregate;

import org.abtest.protocol.CborSerializable;

/**
 * Exact running sums over units of one metric in one variant: {@code n} units, the sum and sum of
 * squares of their per-unit values, and, for CUPED, the sums with their pre-exposure covariate x.
 * Sums merge by addition, so partial sums from several partitions or regions combine exactly.
 */
public record MetricSums(
    long n,
    double sum,
    double sumSquares,
    double covSum,
    double covSumSquares,
    double covSumProducts)
    implements CborSerializable {

  public static final MetricSums ZERO = new MetricSums(0, 0, 0, 0, 0, 0);

  public MetricSums plus(MetricSums o) {
    return new MetricSums(
        n + o.n,
        sum + o.sum,
        sumSquares + o.sumSquares,
        covSum + o.covSum,
        covSumSquares + o.covSumSquares,
        covSumProducts + o.covSumProducts);
  }
}
