package org.abtest.analytics.stats;

import static org.abtest.analytics.stats.Close.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.abtest.analytics.calculator.AnalysisRequest;
import org.abtest.analytics.calculator.AnalysisRequest.Sequential;
import org.abtest.analytics.calculator.AnalysisRequest.Variant;
import org.abtest.analytics.calculator.AnalysisResult;
import org.abtest.analytics.calculator.AnalysisWire;
import org.junit.jupiter.api.Test;

/**
 * The facade wires the tested pieces together, asked and answered as {@code POST /v1/analysis}
 * through {@link AnalysisWire}; reference values are the ones of the piece tests (R {@code t.test},
 * {@code prop.test}, {@code p.adjust}, {@code chisq.test}).
 */
class AnalysisEngineTest {

  private static Variant mean(String key, long n, double sum, double ss, CovariateSums x) {
    return new Variant(key, n, sum, ss, null, x);
  }

  private static Variant prop(String key, long n, long conversions) {
    return new Variant(key, n, null, null, conversions, null);
  }

  @Test
  void apiMeanExampleGivesWelchBayesMsprtAndSrm() {
    AnalysisResult r =
        AnalysisWire.analyze(
            new AnalysisRequest(
                "mean",
                0.05,
                "control",
                "bh",
                List.of(
                    mean("control", 1000, 5012.3, 30555.1, null),
                    mean("b", 1010, 5222.9, 32001.7, new CovariateSums(4980.0, 29001.2, 29511.9))),
                List.of(5000.0, 5000.0),
                new Sequential("msprt", 0.01),
                false));
    assertThat(r.srm()).isNotNull();
    assertThat(r.srm().mismatch()).isFalse();
    AnalysisResult.Comparison c = r.comparisons().get(0);
    assertThat(c.variant()).isEqualTo("b");
    assertThat(c.baseline()).isEqualTo("control");
    close(c.statistic(), 1.5627701682825237); // R t.test, as in WelchTest
    close(c.df(), 2001.4950008454775);
    close(c.pValue(), 0.11826475180160173);
    assertThat(c.adjustedPValue()).isEqualTo(c.pValue()); // one comparison: nothing to adjust
    close(c.cohensD(), 0.06973233344176391);
    assertThat(c.probabilityToBeat()).isBetween(0.9, 0.95);
    assertThat(c.alwaysValidPValue()).isGreaterThan(c.pValue());
    assertThat(c.csLow()).isLessThan(c.ciLow());
    assertThat(c.csHigh()).isGreaterThan(c.ciHigh());
    assertThat(c.cuped()).as("covariate on one arm only").isNull();
    assertThat(c.verdict()).isEqualTo("not_significant");
  }

  @Test
  void proportionsAgainstOneBaselineAreAdjustedTogether() {
    AnalysisResult r =
        AnalysisWire.analyze(
            new AnalysisRequest(
                "proportion",
                null,
                "control",
                "holm",
                List.of(
                    prop("green", 10003, 870),
                    prop("control", 10120, 840),
                    prop("blue", 10050, 905)),
                List.of(3333.0, 3333.0, 3334.0),
                null,
                null));
    // R: prop.test(c(870, 840), c(10003, 10120), correct = FALSE)$p.value and (905, 840; 10050,
    // 10120)
    AnalysisResult.Comparison green = r.comparisons().get(0);
    AnalysisResult.Comparison blue = r.comparisons().get(1);
    assertThat(green.variant()).isEqualTo("green");
    close(green.pValue(), 0.31260040331587541);
    close(blue.pValue(), 0.07511956737810227);
    // R: p.adjust(c(p_green, p_blue), "holm")
    close(green.adjustedPValue(), 0.31260040331587541);
    close(blue.adjustedPValue(), 0.15023913475620454);
    assertThat(blue.verdict()).isEqualTo("not_significant");
    assertThat(green.df()).isNull();
    assertThat(green.alwaysValidPValue()).isNull();
    // R: chisq.test(c(10120, 10003, 10050), p = c(1, 1, 1)/3)$p.value, weights 3333/3333/3334 ≈
    // equal
    assertThat(r.srm().pValue()).isBetween(0.69, 0.72);
  }

  @Test
  void cupedAppearsWhenBothArmsCarryACovariate() {
    AnalysisResult r =
        AnalysisWire.analyze(
            new AnalysisRequest(
                "mean",
                null,
                null,
                "none",
                List.of(
                    new Variant(
                        "A",
                        400L,
                        CupedTest.Y_A.sum(),
                        CupedTest.Y_A.sumSquares(),
                        null,
                        CupedTest.X_A),
                    new Variant(
                        "B",
                        350L,
                        CupedTest.Y_B.sum(),
                        CupedTest.Y_B.sumSquares(),
                        null,
                        CupedTest.X_B)),
                null,
                null,
                null));
    assertThat(r.srm()).isNull();
    close(r.comparisons().get(0).cuped().pValue(), 0.26170655383493324, 1e-9);
  }

  @Test
  void significanceAndTrendingFollowTheAdjustedPValue() {
    assertThat(Verdict.of(0.01, 0.05)).isEqualTo(Verdict.SIGNIFICANT);
    assertThat(Verdict.of(0.07, 0.05).json()).isEqualTo("trending");
    assertThat(Verdict.of(0.2, 0.05).json()).isEqualTo("not_significant");
    assertThat(Verdict.of(null, 0.05)).isEqualTo(Verdict.NOT_SIGNIFICANT);
  }

  @Test
  void undefinedQuantitiesComeBackAsNullNotNaN() {
    AnalysisResult.Comparison c = noData(new Sequential("msprt", 0.001));
    assertThat(c.diff()).isNull();
    assertThat(c.pValue()).isNull();
    assertThat(c.adjustedPValue()).isNull();
    assertThat(c.alwaysValidPValue()).isNull();
    assertThat(c.verdict()).isEqualTo("not_significant");
  }

  @Test
  void withNoDataTheBayesianAnswerIsThePriors() {
    // two Beta(1, 1) priors: P(B > A) = 1/2 and E[max(A − B, 0)] = ∫∫ (a − b)⁺ da db = 1/6
    AnalysisResult.Comparison c = noData(null);
    close(c.probabilityToBeat(), 0.5);
    close(c.expectedLoss(), 1.0 / 6);
  }

  /** Two proportion arms without a unit. */
  private static AnalysisResult.Comparison noData(Sequential sequential) {
    return AnalysisWire.analyze(
            new AnalysisRequest(
                "proportion",
                null,
                "a",
                null,
                List.of(prop("a", 0, 0), prop("b", 0, 0)),
                null,
                sequential,
                null))
        .comparisons()
        .get(0);
  }

  @Test
  void invalidRequestsNameTheField() {
    assertThatThrownBy(
            () ->
                AnalysisWire.analyze(
                    new AnalysisRequest(
                        "proportion",
                        null,
                        null,
                        null,
                        List.of(prop("a", 10, 2), prop("b", 10, 12)),
                        null,
                        null,
                        null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("variants[1].conversions");
    assertThatThrownBy(
            () ->
                AnalysisWire.analyze(
                    new AnalysisRequest(
                        "mean",
                        null,
                        null,
                        null,
                        List.of(mean("a", 10, 2, 1, null), mean("b", 10, 100, 50, null)),
                        null,
                        null,
                        null)))
        .hasMessageStartingWith("variants[1].sumSquares");
    assertThatThrownBy(
            () ->
                AnalysisWire.analyze(
                    new AnalysisRequest(
                        "mean",
                        null,
                        "zzz",
                        null,
                        List.of(mean("a", 10, 2, 1, null), mean("b", 10, 2, 1, null)),
                        null,
                        null,
                        null)))
        .hasMessageStartingWith("baseline");
    assertThatThrownBy(
            () ->
                AnalysisWire.analyze(
                    new AnalysisRequest("median", null, null, null, List.of(), null, null, null)))
        .hasMessageStartingWith("kind");
    assertThatThrownBy(
            () ->
                AnalysisWire.analyze(
                    new AnalysisRequest(
                        "proportion",
                        null,
                        null,
                        null,
                        List.of(prop("a", 10, 2), prop("b", 10, 2)),
                        null,
                        new Sequential("msprt", null),
                        null)))
        .hasMessageStartingWith("sequential.tau2");
    assertThatThrownBy(
            () ->
                AnalysisWire.analyze(
                    new AnalysisRequest(
                        "proportion",
                        null,
                        null,
                        "sidak",
                        List.of(prop("a", 10, 2), prop("b", 10, 2)),
                        null,
                        null,
                        null)))
        .hasMessageStartingWith("correction");
  }
}
