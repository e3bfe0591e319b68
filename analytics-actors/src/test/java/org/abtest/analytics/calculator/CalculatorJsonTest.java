package org.abtest.analytics.calculator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.abtest.analytics.calculator.CalculatorJson.Operation;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;

class CalculatorJsonTest {

  static final String API_ANALYSIS_EXAMPLE =
      """
      {"kind": "mean", "alpha": 0.05, "baseline": "control", "correction": "bh",
       "variants": [{"key": "control", "n": 1000, "sum": 5012.3, "sumSquares": 30555.1},
                    {"key": "b", "n": 1010, "sum": 5222.9, "sumSquares": 32001.7,
                     "covariate": {"sum": 4980.0, "sumSquares": 29001.2, "sumProducts": 29511.9}}],
       "weights": [5000, 5000],
       "sequential": {"method": "msprt", "tau2": 0.01},
       "continuityCorrection": false}
      """;

  static JsonNode run(Operation op, String body) throws Exception {
    return CalculatorJson.run(op, Json.mapper().readTree(body));
  }

  @Test
  void powerForApiExampleIsRsPowerPropTestRoundedUp() throws Exception {
    // R 4.2.2: power.prop.test(p1 = 0.10, p2 = 0.11, power = 0.8) gives n = 14750.79
    JsonNode out =
        run(
            Operation.POWER,
            """
            {"kind": "proportion", "baseline": 0.10, "mde": 0.01, "relative": false,
             "alpha": 0.05, "power": 0.8}""");
    assertThat(out.get("nPerGroup").asLong()).isEqualTo(14751);
    assertThat(out.has("mde")).isFalse();
  }

  @Test
  void srmWeightsMayBeSharesOrRelativeWeightsAndGiveTheSameCheckAsBasisPoints() throws Exception {
    JsonNode basisPoints = run(Operation.ANALYSIS, API_ANALYSIS_EXAMPLE).get("srm");
    for (String weights : new String[] {"[0.5, 0.5]", "[1, 1]", "[50, 50.0]"}) {
      JsonNode srm =
          run(
                  Operation.ANALYSIS,
                  API_ANALYSIS_EXAMPLE.replace(
                      "\"weights\": [5000, 5000]", "\"weights\": " + weights))
              .get("srm");
      assertThat(srm).as(weights).isEqualTo(basisPoints);
    }
  }

  @Test
  void powerWithNPerGroupAnswersTheMde() throws Exception {
    JsonNode out =
        run(
            Operation.POWER,
            """
            {"kind": "proportion", "baseline": 0.10, "nPerGroup": 14751, "power": 0.8}""");
    assertThat(out.get("mde").asDouble())
        .isCloseTo(0.01, org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  void analysisOfApiExampleHasEveryListedFieldAndWritesUndefinedAsNull() throws Exception {
    JsonNode out = run(Operation.ANALYSIS, API_ANALYSIS_EXAMPLE);
    assertThat(out.at("/srm/pValue").isNumber()).isTrue();
    assertThat(out.at("/srm/mismatch").asBoolean()).isFalse();
    JsonNode c = out.get("comparisons").get(0);
    assertThat(c.get("variant").asText()).isEqualTo("b");
    assertThat(c.get("baseline").asText()).isEqualTo("control");
    for (String field :
        new String[] {
          "diff",
          "ciLow",
          "ciHigh",
          "statistic",
          "df",
          "pValue",
          "adjustedPValue",
          "relLift",
          "relCiLow",
          "relCiHigh",
          "cohensD",
          "probabilityToBeat",
          "expectedLoss",
          "alwaysValidPValue",
          "csLow",
          "csHigh"
        }) {
      assertThat(c.get(field)).as(field).isNotNull();
      assertThat(c.get(field).isNumber()).as(field).isTrue();
    }
    // the covariate is on one arm only, so CUPED is undefined: written as null, not left out
    assertThat(c.has("cuped")).isTrue();
    assertThat(c.get("cuped").isNull()).isTrue();
    assertThat(c.get("verdict").asText()).isIn("significant", "trending", "not_significant");
  }

  @Test
  void unknownFieldIsRejectedWithItsPath() {
    assertThatThrownBy(
            () ->
                run(
                    Operation.ANALYSIS,
                    """
                    {"kind": "mean", "variants": [{"key": "a", "n": 1, "colour": 2}]}"""))
        .isInstanceOfSatisfying(
            InvalidInput.class,
            e -> {
              assertThat(e.field()).isEqualTo("variants[0].colour");
              assertThat(e.code()).isEqualTo("unknown_field");
            });
  }

  @Test
  void numberGivenAsStringIsRejectedWithItsPath() {
    assertThatThrownBy(
            () ->
                run(
                    Operation.ANALYSIS,
                    """
                    {"kind": "mean", "variants": [{"key": "a", "n": "ten"}]}"""))
        .isInstanceOfSatisfying(
            InvalidInput.class, e -> assertThat(e.field()).isEqualTo("variants[0].n"));
  }

  @Test
  void engineValidationNamesTheField() {
    assertThatThrownBy(
            () ->
                run(
                    Operation.ANALYSIS,
                    """
                    {"kind": "proportion", "variants": [{"key": "a", "n": 10, "conversions": 3},
                      {"key": "b", "n": 10, "conversions": 11}]}"""))
        .isInstanceOfSatisfying(
            InvalidInput.class, e -> assertThat(e.field()).isEqualTo("variants[1].conversions"));
  }

  @Test
  void adjustKeepsInputOrderAsRsPAdjust() throws Exception {
    // R: p.adjust(c(0.01, 0.04, 0.03), "BH") = 0.03 0.04 0.04
    JsonNode out = run(Operation.ADJUST, "{\"method\": \"bh\", \"pValues\": [0.01, 0.04, 0.03]}");
    assertThat(out.get("adjusted").get(0).asDouble())
        .isCloseTo(0.03, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(out.get("adjusted").get(1).asDouble())
        .isCloseTo(0.04, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(out.get("adjusted").get(2).asDouble())
        .isCloseTo(0.04, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void boundariesForFiveObfLooksMatchRpact() throws Exception {
    JsonNode out =
        run(Operation.BOUNDARIES, "{\"spending\": \"obf\", \"looks\": 5, \"alpha\": 0.05}");
    assertThat(out.get("boundaries").get(0).asDouble())
        .isCloseTo(4.877, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(out.get("boundaries").get(4).asDouble())
        .isCloseTo(2.031, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(out.get("alphaSpent")).hasSize(5);
  }

  @Test
  void banditAnswersProbabilitiesAndAllocationPerArm() throws Exception {
    JsonNode out =
        run(
            Operation.BANDIT,
            """
            {"arms": [{"key": "a", "n": 1000, "conversions": 93},
                      {"key": "b", "n": 1000, "conversions": 120}]}""");
    double sum = out.at("/probabilityBest/a").asDouble() + out.at("/probabilityBest/b").asDouble();
    assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(out.at("/allocation/b").asDouble())
        .isGreaterThan(out.at("/allocation/a").asDouble());
  }

  @Test
  void aRatioAnalysisFromSumsIsTheDeltaMethodAsRComputesItFromTheUnits() throws Exception {
    // the sums of stats.RatioTest's per-unit data; R 4.2.2 values written there
    JsonNode out =
        run(
            Operation.ANALYSIS,
            """
            {"kind": "ratio", "variants": [
              {"key": "control", "n": 12, "sum": 120.5, "sumSquares": 2766.875,
               "denominator": {"sum": 32, "sumSquares": 114, "sumProducts": 523.25}},
              {"key": "b", "n": 13, "sum": 165, "sumSquares": 4692.875,
               "denominator": {"sum": 34, "sumSquares": 128, "sumProducts": 745.25}}]}""");
    JsonNode c = out.at("/comparisons/0");
    assertThat(c.get("diff").asDouble()).isCloseTo(1.0873161764705879, within(1e-13));
    assertThat(c.get("df").asDouble()).isCloseTo(22.876946009851206, within(1e-10));
    assertThat(c.get("pValue").asDouble()).isCloseTo(0.26765559108184112, within(1e-12));
    assertThat(c.get("ciHigh").asDouble()).isCloseTo(3.0676460132678778, within(1e-12));
  }

  @Test
  void aRatioAnalysisWithoutDenominatorSumsNamesTheMissingField() {
    assertThatThrownBy(
            () ->
                run(
                    Operation.ANALYSIS,
                    """
                    {"kind": "ratio", "variants": [
                      {"key": "a", "n": 2, "sum": 1, "sumSquares": 1,
                       "denominator": {"sum": 2, "sumSquares": 2}},
                      {"key": "b", "n": 2, "sum": 1, "sumSquares": 1,
                       "denominator": {"sum": 2, "sumSquares": 2, "sumProducts": 1}}]}"""))
        .hasMessageContaining("variants[0].denominator.sumProducts is required");
  }
}
