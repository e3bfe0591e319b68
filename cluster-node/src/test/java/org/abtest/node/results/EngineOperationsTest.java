package org.abtest.node.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.abtest.analytics.calculator.CalculatorJson;
import org.abtest.http.ports.AnalysisService;
import org.junit.jupiter.api.Test;

class EngineOperationsTest {

  @Test
  void everyOperationOfTheEngineIsReachableFromExactlyOneOperationOfThePort() {
    assertThat(Arrays.stream(AnalysisService.Operation.values()).map(EngineAnalysisService::engine))
        .containsExactlyInAnyOrder(CalculatorJson.Operation.values());
  }
}
