package org.abtest.analytics.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A/A simulations (seeded, a few seconds): with no true effect the tests must reject at their
 * nominal rate, and the always-valid p-value must survive continuous peeking.
 */
class AaSimulationTest {

  private static double gaussian(SplittableRandom rng) {
    // Box–Muller: SplittableRandom has no nextGaussian in Java 17
    double u = 1 - rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
  }

  @Test
  void fixedHorizonWelchRejectsAboutFivePercentOfAaTests() {
    SplittableRandom rng = new SplittableRandom(42);
    int sims = 10_000; // SE of the rate ≈ 0.0022, so ±1% is over 4 SE
    int rejections = 0;
    for (int s = 0; s < sims; s++) {
      double[] sums = new double[4];
      for (int arm = 0; arm < 2; arm++) {
        for (int i = 0; i < 50; i++) {
          double y = 10 + 3 * gaussian(rng);
          sums[2 * arm] += y;
          sums[2 * arm + 1] += y * y;
        }
      }
      WelchResult r =
          Welch.test(
              new MeanSummary(50, sums[0], sums[1]), new MeanSummary(50, sums[2], sums[3]), 0.05);
      if (r.pValue() < 0.05) {
        rejections++;
      }
    }
    assertThat((double) rejections / sims).isBetween(0.04, 0.06);
  }

  @Test
  void fixedHorizonProportionTestRejectsAboutFivePercentOfAaTests() {
    SplittableRandom rng = new SplittableRandom(7);
    int sims = 20_000;
    int n = 400;
    int rejections = 0;
    for (int s = 0; s < sims; s++) {
      long a = 0;
      long b = 0;
      for (int i = 0; i < n; i++) {
        a += rng.nextDouble() < 0.2 ? 1 : 0;
        b += rng.nextDouble() < 0.2 ? 1 : 0;
      }
      ProportionResult r =
          TwoProportion.test(new ProportionSummary(n, a), new ProportionSummary(n, b), 0.05, false);
      if (r.pValue() != null && r.pValue() < 0.05) {
        rejections++;
      }
    }
    assertThat((double) rejections / sims).isBetween(0.04, 0.06);
  }

  @Test
  void msprtSurvivesThirtyPeeksWhileNaivePeekingDoesNot() {
    SplittableRandom rng = new SplittableRandom(2024);
    int sims = 1_000;
    int looks = 30;
    int batch = 30;
    double tau2 = 0.01;
    int msprtRejections = 0;
    int naiveRejections = 0;
    for (int s = 0; s < sims; s++) {
      double[] sums = new double[4];
      long n = 0;
      Double running = null;
      boolean naive = false;
      for (int look = 0; look < looks; look++) {
        for (int arm = 0; arm < 2; arm++) {
          for (int i = 0; i < batch; i++) {
            double y = gaussian(rng);
            sums[2 * arm] += y;
            sums[2 * arm + 1] += y * y;
          }
        }
        n += batch;
        WelchResult w =
            Welch.test(
                new MeanSummary(n, sums[0], sums[1]), new MeanSummary(n, sums[2], sums[3]), 0.05);
        running = Msprt.pValue(w.diff(), w.se() * w.se(), tau2, running);
        naive |= w.pValue() < 0.05;
      }
      if (running <= 0.05) {
        msprtRejections++;
      }
      if (naive) {
        naiveRejections++;
      }
    }
    System.out.printf(
        "A/A with %d peeks: mSPRT rejected %.3f, naive Welch peeking %.3f%n",
        looks, (double) msprtRejections / sims, (double) naiveRejections / sims);
    // SE of a 5% rate over 1000 runs ≈ 0.007: 0.065 leaves two SE of sampling slack
    assertThat((double) msprtRejections / sims).isLessThanOrEqualTo(0.065);
    assertThat((double) naiveRejections / sims).isGreaterThan(0.15);
  }
}
