package org.abtest.analytics.calculator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.MetricSums;
import org.abtest.analytics.calculator.CalculatorJson.Operation;
import org.abtest.analytics.results.ResultsBuilder;
import org.abtest.analytics.results.ResultsBuilderTest;
import org.abtest.analytics.results.ResultsDocument;
import org.abtest.analytics.results.ResultsJson;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.SequentialMethod;
import org.junit.jupiter.api.Test;

/**
 * The JSON of {@code POST /v1/analysis} (answers and errors) and of results documents with their
 * sequential ledgers, byte for byte as the version before the typed engine API wrote them: {@code
 * golden/engine-wire.txt} was written by that version (run with {@code -Dgolden.write=true} to
 * rewrite it, which only a deliberate change of the wire format may do).
 *
 * <p>Rewritten once since, by issue #17's exact arithmetic (differences of means and centered sums
 * computed exactly from the sums given, {@code stats.Centered}): every number moved by at most
 * 4.5e-14 relative, towards the exact value for the doubles given; one error message names the new
 * rule for weights. Then by its conventions: proportions with no data carry the priors' Bayesian
 * answer (0.5 and 1/6), two arms at 0 % or 100 % a point interval, a mean with an arm of one unit
 * no relative lift.
 */
class EngineWireGoldenTest {

  private static final String FILE = "golden/engine-wire.txt";

  /** The ledger's maps are immutable copies, whose iteration order changes from run to run. */
  private static final ObjectMapper SORTED =
      Json.mapper().copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private static final List<String> ANALYSIS =
      List.of(
          CalculatorJsonTest.API_ANALYSIS_EXAMPLE,
          """
          {"kind": "mean", "baseline": "A", "correction": "holm", "alpha": 0.1,
           "variants": [
             {"key": "C", "n": 65, "sum": 700.5, "sumSquares": 9100.25,
              "covariate": {"sum": 580.0, "sumSquares": 8000.5, "sumProducts": 8300.0}},
             {"key": "A", "n": 60, "sum": 578.25, "sumSquares": 8088.6875,
              "covariate": {"sum": 519.75, "sumSquares": 7824.0625, "sumProducts": 7778.25}},
             {"key": "B", "n": 70, "sum": 773.75, "sumSquares": 10664.9375,
              "covariate": {"sum": 634.25, "sumSquares": 8465.4375, "sumProducts": 9278.75}}],
           "sequential": {"method": "MSPRT", "tau2": 0.5}}""",
          """
          {"kind": "proportion", "baseline": "control", "correction": "bonferroni",
           "continuityCorrection": true, "weights": [3333, 3333, 3334],
           "variants": [{"key": "green", "n": 10003, "conversions": 870},
                        {"key": "control", "n": 10120, "conversions": 840},
                        {"key": "blue", "n": 10050, "conversions": 905}],
           "sequential": {"method": "msprt", "tau2": 0.0001}}""",
          """
          {"kind": "Proportion", "variants": [{"key": "a", "n": 0, "conversions": 0},
           {"key": "b", "n": 0, "conversions": 0}], "sequential": {"method": "msprt", "tau2": 0.001},
           "weights": [0, 10]}""",
          """
          {"kind": "proportion", "variants": [{"key": "a", "n": 100, "conversions": 0},
           {"key": "b", "n": 120, "conversions": 0}, {"key": "c", "n": 3, "conversions": 3}],
           "weights": [5000, 5000, 0], "sequential": {"method": "none"}}""",
          """
          {"kind": "mean", "correction": "none", "variants": [
           {"key": "a", "n": 10, "sum": 20, "sumSquares": 40},
           {"key": "b", "n": 10, "sum": 20, "sumSquares": 40},
           {"key": "c", "n": 1, "sum": 3, "sumSquares": 9},
           {"key": "d", "n": 0, "sum": 0, "sumSquares": 0}],
           "sequential": {"method": "msprt", "tau2": 1}}""",
          """
          {"kind": "mean", "variants": [{"key": "a", "n": 10, "sum": 2, "sumSquares": 1},
           {"key": "b", "n": 10, "sum": 100, "sumSquares": 50}]}""",
          """
          {"kind": "proportion", "variants": [{"key": "a", "n": 10, "conversions": 2},
           {"key": "b", "n": 10, "conversions": 12}]}""",
          """
          {"kind": "mean", "variants": [
           {"key": "a", "n": 60, "sum": 578.25, "sumSquares": 8088.6875,
            "covariate": {"sum": 519.75, "sumSquares": 7824.0625, "sumProducts": 1.0}},
           {"key": "b", "n": 70, "sum": 773.75, "sumSquares": 10664.9375,
            "covariate": {"sum": 634.25, "sumSquares": 8465.4375, "sumProducts": 9278.75}}]}""",
          """
          {"kind": "mean", "variants": [
           {"key": "a", "n": 60, "sum": 578.25, "sumSquares": 8088.6875,
            "covariate": {"sum": 519.75, "sumSquares": 7824.0625, "sumProducts": 7778.25}},
           {"key": "b", "n": 70, "sum": 773.75, "sumSquares": 10664.9375,
            "covariate": {"sum": 634.25, "sumSquares": 1.0, "sumProducts": 9278.75}}]}""",
          """
          {"kind": "median", "variants": []}""",
          """
          {"variants": []}""",
          """
          {"kind": "mean", "alpha": 1.5, "variants": []}""",
          """
          {"kind": "mean", "correction": "sidak", "variants": []}""",
          """
          {"kind": "mean", "sequential": {"method": "obf"}, "variants": []}""",
          """
          {"kind": "mean", "sequential": {"method": "msprt", "tau2": -1}, "variants": []}""",
          """
          {"kind": "mean", "sequential": {"method": "msprt"}, "variants": []}""",
          """
          {"kind": "mean", "variants": [{"key": "a", "n": 1, "sum": 1, "sumSquares": 1}]}""",
          """
          {"kind": "mean", "variants": [{"key": "a", "n": 1, "sum": 1, "sumSquares": 1},
           {"n": 1, "sum": 1, "sumSquares": 1}]}""",
          """
          {"kind": "mean", "variants": [{"key": "a", "n": 1, "sum": 1, "sumSquares": 1},
           {"key": "a", "n": 1, "sum": 1, "sumSquares": 1}]}""",
          """
          {"kind": "mean", "variants": [{"key": "a", "n": 1, "sum": 1, "sumSquares": 1},
           {"key": "b", "sum": 1, "sumSquares": 1}]}""",
          """
          {"kind": "mean", "variants": [{"key": "a", "n": 1, "sum": 1, "sumSquares": 1},
           {"key": "b", "n": 1, "sumSquares": 1}]}""",
          """
          {"kind": "proportion", "variants": [{"key": "a", "n": 1, "conversions": 1},
           {"key": "b", "n": 1}]}""",
          """
          {"kind": "proportion", "variants": [{"key": "a", "n": -1, "conversions": 0},
           {"key": "b", "n": 1, "conversions": 0}]}""",
          """
          {"kind": "proportion", "baseline": "zzz", "variants": [
           {"key": "a", "n": 1, "conversions": 1}, {"key": "b", "n": 1, "conversions": 0}]}""",
          """
          {"kind": "proportion", "weights": [1], "variants": [
           {"key": "a", "n": 1, "conversions": 1}, {"key": "b", "n": 1, "conversions": 0}]}""",
          """
          {"kind": "proportion", "weights": [0, 0], "variants": [
           {"key": "a", "n": 1, "conversions": 1}, {"key": "b", "n": 1, "conversions": 0}]}""",
          """
          {"kind": "proportion", "weights": [1, -1], "variants": [
           {"key": "a", "n": 1, "conversions": 1}, {"key": "b", "n": 1, "conversions": 0}]}""",
          """
          {"kind": "mean", "variants": [{"key": "a", "n": 0, "sum": 0, "sumSquares": 0,
            "covariate": {"sum": 1, "sumSquares": 1, "sumProducts": 0}},
           {"key": "b", "n": 1, "sum": 1, "sumSquares": 1,
            "covariate": {"sum": 1, "sumSquares": 1, "sumProducts": 1}}]}""");

  @Test
  void analysisAnswersAndResultsDocumentsAreWrittenAsBefore() throws IOException {
    String actual = String.join("\n", render()) + "\n";
    if (Boolean.getBoolean("golden.write")) {
      Path out = Path.of("src/test/resources", FILE);
      Files.createDirectories(out.getParent());
      Files.writeString(out, actual, StandardCharsets.UTF_8);
    }
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(FILE)) {
      assertThat(in).as(FILE).isNotNull();
      String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(actual).isEqualTo(expected);
    }
  }

  private static List<String> render() throws IOException {
    List<String> lines = new ArrayList<>();
    for (String body : ANALYSIS) {
      try {
        lines.add(CalculatorJson.run(Operation.ANALYSIS, Json.mapper().readTree(body)).toString());
      } catch (InvalidInput e) {
        lines.add("error " + e.code() + " " + e.field() + " " + e.getMessage());
      }
    }
    List<ExperimentTotals> totals =
        List.of(
            ResultsBuilderTest.totals(1000, 1010, 90, 120, 3),
            ResultsBuilderTest.totals(0, 0, 0, 0, 0),
            ResultsBuilderTest.totals(5, 0, 1, 0, 0),
            ResultsBuilderTest.totals(20000, 19000, 2000, 2150, 0),
            withCovariates());
    for (SequentialMethod method : SequentialMethod.values()) {
      for (ExperimentTotals t : totals) {
        var experiment = ResultsBuilderTest.experiment(method, 40000L, 4);
        ResultsDocument.Built first = ResultsBuilder.build(experiment, t, null);
        ResultsDocument.Built again = ResultsBuilder.build(experiment, t, first.ledger());
        for (ResultsDocument.Built built : List.of(first, again)) {
          JsonNode doc = ResultsJson.tree(built.document());
          lines.add(doc + " ledger " + SORTED.writeValueAsString(built.ledger()));
        }
      }
    }
    return lines;
  }

  private static ExperimentTotals withCovariates() {
    ExperimentTotals t = ResultsBuilderTest.totals(400, 420, 98, 140, 0);
    return new ExperimentTotals(
        t.experiment(),
        t.phase(),
        t.asOf(),
        t.unitsPerVariant(),
        Map.of(
            "purchase",
            Map.of(
                "control", new MetricSums(400, 98, 98, 117, 117, 53),
                "green", new MetricSums(420, 140, 140, 125, 125, 84)),
            "revenue",
            Map.of(
                "control", new MetricSums(60, 578.25, 8088.6875, 519.75, 7824.0625, 7778.25),
                "green", new MetricSums(70, 773.75, 10664.9375, 634.25, 8465.4375, 9278.75))),
        t.funnelSteps(),
        t.multipleExposureUnits());
  }
}
