package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.abtest.analytics.calculator.CalculatorLimits;
import org.junit.jupiter.api.Test;

/**
 * The calculator limits {@code docs/openapi.yaml} states are the defaults of {@code
 * reference.conf}.
 */
class OpenApiCalculatorLimitsTest {

  @Test
  void anAnalysisListsAtMostTheConfiguredNumberOfSegments() throws Exception {
    OpenApiOperations api = OpenApiOperations.load();
    var analysis =
        api.operations().stream()
            .filter(o -> o.method().equals("POST") && o.path().equals("/v1/analysis"))
            .findFirst()
            .orElseThrow();
    assertThat(analysis.body().at("/properties/segments/maxItems").asInt())
        .isEqualTo(CalculatorLimits.defaults().maxSegments());
  }
}
