package org.abtest.analytics.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SequentialSrmTest {

  private static SequentialSrm one(List<? extends Number> weights, List<Long> units) {
    return SequentialSrm.check(List.of(new SequentialSrm.Epoch(weights, units)));
  }

  /**
   * Expected values from scipy 1.x, {@code scipy.special.gammaln}: lbf = gammaln(C) − gammaln(C +
   * n) + Σ [gammaln(C·p + x) − gammaln(C·p) − x·ln p], C = 100.
   */
  @Test
  void theLogBayesFactorIsTheDirichletMultinomialMixtureOverTheNull() {
    assertThat(one(List.of(5000, 5000), List.of(520L, 480L)).logBayesFactor())
        .isCloseTo(-0.4731252336696343, within(1e-9));
    assertThat(one(List.of(1, 1), List.of(5300L, 4700L)).logBayesFactor())
        .isCloseTo(15.524011683475692, within(1e-9));
    assertThat(one(List.of(2, 1, 1), List.of(300L, 350L, 350L)).logBayesFactor())
        .isCloseTo(71.93245243535239, within(1e-9));
  }

  @Test
  void epochsMultiplyAndUnitsInAVariantOfWeightZeroAreAMismatchAtOnce() {
    var a = new SequentialSrm.Epoch(List.of(1, 1), List.of(520L, 480L));
    var b = new SequentialSrm.Epoch(List.of(1, 1), List.of(5300L, 4700L));
    assertThat(SequentialSrm.check(List.of(a, b)).logBayesFactor())
        .isCloseTo(-0.4731252336696343 + 15.524011683475692, within(1e-9));
    SequentialSrm off = one(List.of(10000, 0), List.of(10L, 1L));
    assertThat(off.mismatch(0.001)).isTrue();
    assertThat(one(List.of(10000, 0), List.of(10L, 0L)).mismatch(0.05)).isFalse();
  }

  /**
   * A/A: 2000 experiments of 50/50 assignment, each looked at after every 100 units up to 10 000
   * (100 looks). The share that ever triggers at alpha = 0.05 must stay at or below alpha (Ville's
   * inequality); its binomial standard error over 2000 runs is about 0.005.
   */
  @Test
  void watchedAtEveryLookAnAaRunTriggersInAtMostAlphaOfTheExperiments() {
    SplittableRandom random = new SplittableRandom(42);
    int runs = 2000;
    int triggered = 0;
    for (int r = 0; r < runs; r++) {
      long a = 0;
      long b = 0;
      for (int look = 0; look < 100; look++) {
        for (int i = 0; i < 100; i++) {
          if (random.nextBoolean()) {
            a++;
          } else {
            b++;
          }
        }
        if (one(List.of(1, 1), List.of(a, b)).mismatch(0.05)) {
          triggered++;
          break;
        }
      }
    }
    double rate = triggered / (double) runs;
    System.out.printf("SRM A/A false-trigger rate over 100 looks: %.4f%n", rate);
    assertThat(rate).isLessThanOrEqualTo(0.05);
  }

  @Test
  void aLostShareOfOneArmIsFoundWithinAFewThousandUnits() {
    SplittableRandom random = new SplittableRandom(7);
    int found = 0;
    List<Integer> at = new ArrayList<>();
    for (int r = 0; r < 200; r++) {
      long a = 0;
      long b = 0;
      for (int n = 1; n <= 20_000; n++) {
        // 47/53: a redirect losing about 6 % of one arm's units
        if (random.nextDouble() < 0.47) {
          a++;
        } else {
          b++;
        }
        if (n % 100 == 0 && one(List.of(1, 1), List.of(a, b)).mismatch(0.05)) {
          found++;
          at.add(n);
          break;
        }
      }
    }
    assertThat(found).isGreaterThanOrEqualTo(190);
  }
}
