package org.abtest.analytics.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.MetricSums;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricSource;
import org.abtest.protocol.experiment.MetricSource.Aggregate;
import org.abtest.protocol.experiment.SequentialMethod;
import org.junit.jupiter.api.Test;

/**
 * A ratio metric in the results document: its sums come from the aggregators' value sums
 * (numerator) and second-number sums (denominator), and its comparison is the delta method's.
 * Reference values: R 4.2.2 on the per-unit data of {@code stats.RatioTest} (revenue over sessions,
 * 12 and 13 units).
 */
class ResultsRatioTest {

  static Experiment experiment() {
    var fields = new HashMap<ExperimentField, Object>();
    fields.put(
        ExperimentField.METRICS,
        List.of(
            MetricDefinition.ratio(
                "rps",
                new MetricSource("purchase", Aggregate.SUM),
                new MetricSource("session_start", Aggregate.COUNT),
                null,
                null)));
    fields.put(ExperimentField.PRIMARY_METRIC, "rps");
    return ResultsBuilderTest.experiment(SequentialMethod.NONE, null, null).with(fields);
  }

  // Σy, Σy², Σd, Σd², Σyd of RatioTest's arms
  static ExperimentTotals totals() {
    return new ExperimentTotals(
        "checkout-button",
        1,
        ResultsBuilderTest.AS_OF,
        Map.of("control", 12L, "green", 13L),
        Map.of(
            "rps",
            Map.of(
                "control", new MetricSums(12, 120.5, 2766.875, 32, 114, 523.25),
                "green", new MetricSums(13, 165, 4692.875, 34, 128, 745.25))),
        Map.of(),
        0);
  }

  @Test
  void aRatioMetricIsComparedByTheDeltaMethodAsRComputesItFromTheUnits() {
    var doc = ResultsBuilder.build(experiment(), totals(), null).document();
    var rps = doc.metrics().get(0);
    assertThat(rps.kind()).isEqualTo("ratio");
    var control = rps.variants().get(0);
    assertThat(control.mean()).isEqualTo(3.765625);
    assertThat(control.variance()).isCloseTo(5.6590139215642754, within(1e-12));
    assertThat(control.covariate()).isNull();
    assertThat(control.denominator().sum()).isEqualTo(32);
    assertThat(control.denominator().sumProducts()).isEqualTo(523.25);
    var c = rps.comparisons().get(0);
    assertThat(c.diff()).isCloseTo(1.0873161764705879, within(1e-13));
    assertThat(c.pValue()).isCloseTo(0.26765559108184112, within(1e-12));
    assertThat(c.ciLow()).isCloseTo(-0.89301366032670204, within(1e-12));
    assertThat(c.ciHigh()).isCloseTo(3.0676460132678778, within(1e-12));
    assertThat(c.relLift()).isCloseTo(0.28874786429094451, within(1e-13));
    assertThat(c.cuped().theta()).isNull();
  }

  @Test
  void theDocumentNamesTheDenominatorSumsAndNoCovariate() {
    var json =
        Json.mapper().valueToTree(ResultsBuilder.build(experiment(), totals(), null).document());
    var variant = json.at("/metrics/0/variants/1");
    assertThat(variant.at("/denominator/sumSquares").asDouble()).isEqualTo(128);
    assertThat(variant.has("covariate")).isFalse();
  }

  @Test
  void aRatioWithoutAnyDenominatorYetGivesNullsNotErrors() {
    var empty =
        new ExperimentTotals(
            "checkout-button", 1, ResultsBuilderTest.AS_OF, Map.of(), Map.of(), Map.of(), 0);
    var rps = ResultsBuilder.build(experiment(), empty, null).document().metrics().get(0);
    assertThat(rps.variants().get(0).mean()).isNull();
    assertThat(rps.comparisons().get(0).pValue()).isNull();
  }
}
