package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricLabelsTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "/, root",
    "/health/ready, health",
    "/metrics, metrics",
    "/console/js/app.js, console",
    "/v1/assignments, assignments",
    "/v1/experiments, experiments",
    "/v1/experiments/checkout-button, experiments",
    "/v1/experiments/checkout-button/results, experiments/results",
    "/v1/experiments/checkout-button/results/stream, experiments/results",
    "/v1/experiments/checkout-button/kill, experiments/kill",
    "/v1/analysis/bandit, analysis",
    "/v1/manifest/stream, manifest",
    "/v1/tokens/abc, tokens"
  })
  void knownResourcesKeepTheirName(String path, String resource) {
    assertThat(MetricLabels.resource(path)).isEqualTo(resource);
  }

  @ParameterizedTest(name = "{0} is other")
  @CsvSource({
    "/wp-admin",
    "/v1/",
    "/v1/nothing-here",
    "/v1/experiments/k/nothing-here",
    "/v1/experiments/k/zzz/results",
    "/.env"
  })
  void anyOtherPathIsOther(String path) {
    assertThat(MetricLabels.resource(path)).isEqualTo(MetricLabels.OTHER);
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({"GET, GET", "POST, POST", "PATCH, PATCH", "PROPFIND, other", "get, other"})
  void methodsOutsideTheStandardOnesAreOther(String method, String label) {
    assertThat(MetricLabels.method(method)).isEqualTo(label);
  }
}
