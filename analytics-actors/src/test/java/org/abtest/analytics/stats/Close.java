package org.abtest.analytics.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Relative-tolerance assertions against reference values computed outside the engine. */
final class Close {
  static final double SAME_FORMULA = 1e-9;

  private Close() {}

  static void close(Double actual, double expected, double relTol) {
    assertThat(actual).as("value (expected %s)", expected).isNotNull();
    double tol = relTol * Math.max(Math.abs(expected), 1e-300);
    assertThat(actual).isCloseTo(expected, within(tol));
  }

  static void close(Double actual, double expected) {
    close(actual, expected, SAME_FORMULA);
  }

  static void absClose(Double actual, double expected, double absTol) {
    assertThat(actual).as("value (expected %s)", expected).isNotNull();
    assertThat(actual).isCloseTo(expected, within(absTol));
  }
}
