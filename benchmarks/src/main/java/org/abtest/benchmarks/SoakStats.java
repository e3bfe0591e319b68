package org.abtest.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The arithmetic of the load reports: nearest-rank percentiles and least-squares slopes. */
final class SoakStats {

  private SoakStats() {}

  /**
   * The nearest-rank percentile ({@code q} in (0, 1]): the smallest value with at least {@code q}
   * of the values at or below it; -1 for no values.
   */
  static long percentile(List<Long> values, double q) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  /**
   * The least-squares slope of {@code y} over its index (one value per minute gives a change per
   * minute); NaN for fewer than two values.
   */
  static double slope(double[] y) {
    int n = y.length;
    if (n < 2) {
      return Double.NaN;
    }
    double meanX = (n - 1) / 2.0;
    double meanY = 0;
    for (double v : y) {
      meanY += v / n;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      sxy += (i - meanX) * (y[i] - meanY);
      sxx += (i - meanX) * (i - meanX);
    }
    return sxy / sxx;
  }
}
