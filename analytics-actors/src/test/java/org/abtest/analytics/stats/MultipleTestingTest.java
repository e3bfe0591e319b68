package org.abtest.analytics.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.abtest.analytics.stats.MultipleTesting.Method;
import org.junit.jupiter.api.Test;

/** Reference values: R 4.2.2, {@code p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.9), m)}. */
class MultipleTestingTest {
  private static final List<Double> P = List.of(0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.9);

  private static void matches(List<Double> actual, double... expected) {
    assertThat(actual).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual.get(i)).isCloseTo(expected[i], within(1e-15));
    }
  }

  @Test
  void benjaminiHochbergMatchesRPAdjustInInputOrder() {
    matches(
        MultipleTesting.adjust(Method.BH, P),
        0.035,
        0.056,
        0.056,
        0.035,
        0.23333333333333336,
        0.056,
        0.9);
  }

  @Test
  void holmMatchesRPAdjust() {
    matches(MultipleTesting.adjust(Method.HOLM, P), 0.06, 0.16, 0.15, 0.035, 0.4, 0.16, 0.9);
  }

  @Test
  void bonferroniMatchesRPAdjustAndCapsAtOne() {
    matches(MultipleTesting.adjust(Method.BONFERRONI, P), 0.07, 0.28, 0.21, 0.035, 1, 0.28, 1);
  }

  @Test
  void noneLeavesPValuesAlone() {
    assertThat(MultipleTesting.adjust(Method.NONE, P)).isEqualTo(P);
  }

  @Test
  void undefinedPValuesStayNullAndLeaveTheFamily() {
    // R: p.adjust(c(0.01, NA, 0.04), "BH") = 0.02 NA 0.04
    List<Double> out = MultipleTesting.adjust(Method.BH, Arrays.asList(0.01, null, 0.04));
    assertThat(out).containsExactly(0.02, null, 0.04);
  }

  @Test
  void methodNamesParseAndUnknownOnesNameTheField() {
    assertThat(Method.parse(null, "correction")).isEqualTo(Method.BH);
    assertThat(Method.parse("holm", "correction")).isEqualTo(Method.HOLM);
    assertThatThrownBy(() -> Method.parse("sidak", "correction"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("correction");
    assertThatThrownBy(() -> MultipleTesting.adjust(Method.BH, List.of(1.2)))
        .hasMessageStartingWith("pValues[0]");
  }
}
