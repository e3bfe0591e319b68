package org.abtest.analytics.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reference values: R 4.2.2, P(arm i best) = {@code integrate(function(t) dbeta(t, a_i, b_i) *
 * prod_j pbeta(t, a_j, b_j), 0, 1, rel.tol = 1e-12)} with a = x + 1, b = n − x + 1.
 */
class BanditTest {

  private static Bandit run(Double minShare, BanditRequest.Arm... arms) {
    return Bandit.compute(new BanditRequest(List.of(arms), minShare));
  }

  private static void matches(Map<String, Double> actual, double... expected) {
    List<Double> values = List.copyOf(actual.values());
    for (int i = 0; i < expected.length; i++) {
      assertThat(values.get(i)).as("arm %d", i).isCloseTo(expected[i], within(1e-6));
    }
  }

  @Test
  void probabilityBestMatchesRIntegrate() {
    Bandit b =
        run(
            0.0,
            new BanditRequest.Arm("a", 1000, 93),
            new BanditRequest.Arm("b", 1000, 100),
            new BanditRequest.Arm("c", 1000, 80));
    matches(b.probabilityBest(), 0.28750322581266496, 0.68308890589438709, 0.02940786829294767);
    assertThat(b.allocation()).isEqualTo(b.probabilityBest());
  }

  @Test
  void smallArmsIncludingAnEmptyOneMatchR() {
    Bandit b =
        run(
            0.0,
            new BanditRequest.Arm("a", 40, 5),
            new BanditRequest.Arm("b", 45, 8),
            new BanditRequest.Arm("c", 30, 2),
            new BanditRequest.Arm("d", 3, 0));
    matches(
        b.probabilityBest(),
        0.13924931536250434,
        0.41723143897853032,
        0.037579703571697584,
        0.4059395420872679);
  }

  @Test
  void armsOfVeryDifferentSizeAreStillIntegratedAccurately() {
    Bandit b =
        run(
            0.0,
            new BanditRequest.Arm("new", 500, 50),
            new BanditRequest.Arm("old", 100000, 10500));
    matches(b.probabilityBest(), 0.38633663006523855, 0.613663369934761);
  }

  @Test
  void everyArmKeepsTheMinimumShareAndSharesSumToOne() {
    Bandit b =
        run(
            0.05,
            new BanditRequest.Arm("a", 1000, 93),
            new BanditRequest.Arm("b", 1000, 100),
            new BanditRequest.Arm("c", 1000, 80));
    assertThat(b.allocation().get("c")).isEqualTo(0.05);
    double sum = b.allocation().values().stream().mapToDouble(Double::doubleValue).sum();
    assertThat(sum).isCloseTo(1.0, within(1e-12));
    // the others split the remaining 0.95 in proportion to their probabilities
    assertThat(b.allocation().get("b") / b.allocation().get("a"))
        .isCloseTo(0.68308890589438709 / 0.28750322581266496, within(1e-4));
  }

  @Test
  void flooringCascadesUntilEveryArmHasItsShare() {
    double[] share = Bandit.allocate(new double[] {0.97, 0.02, 0.01}, 0.1);
    assertThat(share).containsExactly(new double[] {0.8, 0.1, 0.1}, within(1e-12));
  }

  @Test
  void invalidArmsAreRejectedNamingTheField() {
    assertThatThrownBy(
            () -> run(null, new BanditRequest.Arm("a", 10, 11), new BanditRequest.Arm("b", 10, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("arms[0].conversions");
    assertThatThrownBy(
            () -> run(null, new BanditRequest.Arm("a", 10, 1), new BanditRequest.Arm("a", 10, 1)))
        .hasMessageStartingWith("arms[1].key");
    assertThatThrownBy(
            () -> run(0.6, new BanditRequest.Arm("a", 10, 1), new BanditRequest.Arm("b", 10, 1)))
        .hasMessageStartingWith("minShare");
  }
}
