package org.abtest.analytics.stats;

import static org.abtest.analytics.stats.Close.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Reference values: an independent Python transcription of Johari et al. (2017): {@code lam =
 * sqrt(V/(V+tau2))*exp(tau2*d*d/(2*V*(V+tau2)))}, {@code p = min(1, 1/lam)}, {@code half =
 * sqrt(V*(V+tau2)/tau2*(2*log(1/alpha)+log((V+tau2)/V)))}.
 */
class MsprtTest {

  @Test
  void alwaysValidPValueAndConfidenceSequenceMatchTheMixtureFormula() {
    close(Msprt.pValue(0.16, 0.0103, 0.01), 0.7611399165054892);
    Interval cs = Msprt.confidenceSequence(0.16, 0.0103, 0.01, 0.05);
    close(cs.low(), -0.2134458563384685);
    close(cs.high(), 0.5334458563384685);

    close(Msprt.pValue(0.5, 0.01, 0.04), 0.000101517329122632);
    Interval strong = Msprt.confidenceSequence(0.5, 0.01, 0.04, 0.1);
    close(strong.low(), 0.22128401332130693);
    close(strong.high(), 0.778715986678693);
  }

  @Test
  void noEvidenceCapsThePValueAtOne() {
    assertThat(Msprt.pValue(0.002, 1.6e-5, 1e-4)).isEqualTo(1.0);
    Interval cs = Msprt.confidenceSequence(0.002, 1.6e-5, 1e-4, 0.05);
    close(cs.low(), -0.01016424963803719);
    close(cs.high(), 0.01416424963803719);
  }

  @Test
  void pValueBelowAlphaExactlyWhenTheSequenceExcludesZero() {
    for (double d = -0.6; d <= 0.6; d += 0.01) {
      boolean rejects = Msprt.pValue(d, 0.01, 0.04) <= 0.05;
      Interval cs = Msprt.confidenceSequence(d, 0.01, 0.04, 0.05);
      assertThat(rejects).as("d = %s", d).isEqualTo(cs.low() > 0 || cs.high() < 0);
    }
  }

  @Test
  void runningHelpersKeepTheMinimumAndTheIntersection() {
    assertThat(Msprt.pValue(0.0, 0.01, 0.04, 0.2)).isEqualTo(0.2);
    assertThat(Msprt.pValue(0.5, 0.01, 0.04, 0.2)).isLessThan(0.2);
    assertThat(Msprt.pValue(0.5, 0.0, 0.04, 0.2)).isEqualTo(0.2);
    Interval previous = new Interval(0.1, -0.05, 0.2);
    Interval next = Msprt.confidenceSequence(0.3, 0.001, 0.01, 0.05, previous);
    assertThat(next.estimate()).isEqualTo(0.3);
    assertThat(next.high()).isEqualTo(0.2);
    assertThat(next.low())
        .isEqualTo(Math.max(-0.05, Msprt.confidenceSequence(0.3, 0.001, 0.01, 0.05).low()));
  }

  @Test
  void zeroVarianceIsUndefinedAndTauMustBePositive() {
    assertThat(Msprt.pValue(0.1, 0.0, 0.01)).isNull();
    assertThat(Msprt.confidenceSequence(0.1, 0.0, 0.01, 0.05).low()).isNull();
    assertThatThrownBy(() -> Msprt.pValue(0.1, 0.01, 0.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tau2");
  }
}
