package org.abtest.protocol.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuiltInMetricsTest {

  private static Experiment with(List<MetricDefinition> metrics, Guardrail... guardrails) {
    return Experiment.draft(
            "e",
            "E",
            10000,
            List.of(new Variant("control", 5000, null), new Variant("green", 5000, null)))
        .asCreated("s", Instant.EPOCH)
        .with(
            Map.of(
                ExperimentField.METRICS, metrics, ExperimentField.GUARDRAILS, List.of(guardrails)));
  }

  private static Guardrail on(String metric) {
    return new Guardrail(metric, Guardrail.Direction.INCREASE, 0, Guardrail.Action.KILL);
  }

  @Test
  void aGuardrailOnABuiltInMetricAddsItAndTheExperimentIsValid() {
    Experiment e = BuiltInMetrics.complete(with(List.of(), on("error"), on("latency_ms")));
    assertThat(e.metrics()).containsExactly(BuiltInMetrics.ERROR, BuiltInMetrics.LATENCY);
    assertThat(BuiltInMetrics.ERROR.kind()).isEqualTo(MetricKind.PROPORTION);
    assertThat(BuiltInMetrics.LATENCY.kind()).isEqualTo(MetricKind.MEAN);
    assertThat(DefinitionRules.check(e)).isEmpty();
  }

  @Test
  void aMetricOfTheSameKeyIsKeptAndNothingIsAddedTwice() {
    MetricDefinition own = new MetricDefinition("error", "http_error", MetricKind.PROPORTION, 24);
    Experiment e = with(List.of(own), on("error"));
    assertThat(BuiltInMetrics.complete(e)).isSameAs(e);
    Experiment once = BuiltInMetrics.complete(with(List.of(), on("error")));
    assertThat(BuiltInMetrics.complete(once)).isSameAs(once);
  }

  @Test
  void theSrmGuardrailNeedsNoMetricAndNoMetricMayBeCalledSrm() {
    assertThat(DefinitionRules.check(BuiltInMetrics.complete(with(List.of(), on("srm")))))
        .isEmpty();
    var reserved =
        DefinitionRules.check(
            with(List.of(new MetricDefinition("srm", "x", MetricKind.MEAN, null))));
    assertThat(reserved)
        .get()
        .extracting(DefinitionRules.Violation::code)
        .isEqualTo("reserved_metric");
    assertThat(DefinitionRules.check(with(List.of(), on("latency"))))
        .get()
        .extracting(DefinitionRules.Violation::field)
        .isEqualTo("guardrails[0].metric");
  }
}
