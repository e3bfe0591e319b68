package org.abtest.analytics.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.abtest.analytics.stats.AnalysisSpec.MeanArm;
import org.abtest.analytics.stats.AnalysisSpec.ProportionArm;
import org.junit.jupiter.api.Test;

/** The typed engine API: each part of a comparison is the result of the piece that computes it. */
class AnalysisSpecTest {

  private static final MeanSummary A = new MeanSummary(1000, 5012.3, 30555.1);
  private static final MeanSummary B = new MeanSummary(1010, 5222.9, 32001.7);

  private static AnalysisSpec means(Sequential sequential, Optional<CovariateSums> x) {
    return new AnalysisSpec(
        List.of(new MeanArm("control", A, x), new MeanArm("b", B, x)),
        0,
        0.05,
        MultipleTesting.Method.BH,
        sequential,
        false,
        Optional.empty());
  }

  @Test
  void aMeanComparisonComposesWelchBayesAndTheMsprt() {
    VariantComparison c =
        AnalysisEngine.analyze(means(Sequential.msprt(0.01), Optional.empty()))
            .comparisons()
            .get(0);
    WelchResult welch = Welch.test(A, B, 0.05);
    assertThat(c.test()).isEqualTo(welch);
    assertThat(c.adjustedPValue()).isEqualTo(welch.pValue());
    assertThat(c.verdict()).isEqualTo(Verdict.of(welch.pValue(), 0.05));
    assertThat(c.bayes()).isEqualTo(Bayesian.means(welch.diff(), welch.se()));
    double v = welch.se() * welch.se();
    assertThat(c.sequential())
        .contains(
            new SequentialResult(
                Msprt.pValue(welch.diff(), v, 0.01),
                Msprt.confidenceSequence(welch.diff(), v, 0.01, 0.05)));
    assertThat(c.cuped()).isEmpty();
  }

  @Test
  void partsNotAskedForAreAbsent() {
    Analysis a = AnalysisEngine.analyze(means(Sequential.NONE, Optional.empty()));
    assertThat(a.srm()).isEmpty();
    assertThat(a.comparisons().get(0).sequential()).isEmpty();
    CovariateSums x = new CovariateSums(0, 0, 0);
    assertThat(AnalysisEngine.analyze(means(Sequential.NONE, Optional.of(x))).comparisons())
        .allSatisfy(c -> assertThat(c.cuped()).isPresent());
  }

  @Test
  void aProportionComparisonIsTheTwoProportionTestAgainstTheBaselineGiven() {
    ProportionSummary control = new ProportionSummary(10120, 840);
    ProportionSummary green = new ProportionSummary(10003, 870);
    Analysis a =
        AnalysisEngine.analyze(
            new AnalysisSpec(
                List.of(new ProportionArm("green", green), new ProportionArm("control", control)),
                1,
                0.05,
                MultipleTesting.Method.NONE,
                Sequential.NONE,
                true,
                Optional.of(List.of(5000.0, 5000.0))));
    VariantComparison c = a.comparisons().get(0);
    assertThat(c.variant()).isEqualTo("green");
    assertThat(c.baseline()).isEqualTo("control");
    assertThat(c.test()).isEqualTo(TwoProportion.test(control, green, 0.05, true));
    assertThat(c.bayes()).isEqualTo(Bayesian.proportions(control, green));
    assertThat(a.srm()).contains(Srm.check(List.of(10003L, 10120L), List.of(5000L, 5000L)));
  }

  @Test
  void anInvalidSpecNamesTheField() {
    assertThatThrownBy(() -> Sequential.msprt(0)).hasMessageStartingWith("sequential.tau2");
    assertThatThrownBy(
            () ->
                new AnalysisSpec(
                    List.of(
                        new MeanArm("a", A, Optional.empty()),
                        new ProportionArm("b", new ProportionSummary(1, 0))),
                    0,
                    0.05,
                    MultipleTesting.Method.BH,
                    Sequential.NONE,
                    false,
                    Optional.empty()))
        .hasMessageStartingWith("variants[1]");
    AnalysisSpec ok = means(Sequential.NONE, Optional.empty());
    assertThatThrownBy(
            () ->
                new AnalysisSpec(
                    ok.variants(),
                    2,
                    ok.alpha(),
                    ok.correction(),
                    ok.sequential(),
                    false,
                    ok.weights()))
        .hasMessageStartingWith("baseline");
  }
}
