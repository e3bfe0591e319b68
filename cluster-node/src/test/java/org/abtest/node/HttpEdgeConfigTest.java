package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.abtest.analytics.calculator.CalculatorLimits;
import org.abtest.http.JsonParsingErrors;
import org.abtest.http.RequestLimits;
import org.apache.pekko.http.ParsingErrorHandler;
import org.junit.jupiter.api.Test;

/**
 * The node's configuration installs the edge: the JSON handler for parser refusals, the method
 * length that refuses garbage at once, and limits that the documented variables override.
 */
class HttpEdgeConfigTest {

  private static Config load(String overrides) {
    ConfigFactory.invalidateCaches();
    return ConfigFactory.parseString(overrides)
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.defaultReferenceUnresolved())
        .resolve();
  }

  @Test
  void parserRefusalsAreAnsweredByOurJsonHandler() throws Exception {
    Config config = load("");
    String handler = config.getString("pekko.http.server.parsing.error-handler");
    assertThat(handler).isEqualTo(JsonParsingErrors.class.getName());
    assertThat(ParsingErrorHandler.class.isAssignableFrom(Class.forName(handler))).isTrue();
    assertThat(config.getInt("pekko.http.server.parsing.max-method-length")).isEqualTo(7);
  }

  @Test
  void theDocumentedVariablesOverrideTheLimits() {
    // ${?VAR} falls back to a root path of that name before the environment
    Config config =
        load(
            """
            ABTEST_HTTP_BODY_BYTES = 1k
            ABTEST_HTTP_JSON_DEPTH = 8
            ABTEST_CALCULATOR_MAX_ARMS = 5
            ABTEST_CALCULATOR_TIMEOUT = 1s
            """);
    RequestLimits limits = RequestLimits.fromConfig(config);
    assertThat(limits.bodyBytes()).isEqualTo(1024);
    assertThat(limits.jsonDepth()).isEqualTo(8);
    CalculatorLimits calculator = CalculatorLimits.fromConfig(config);
    assertThat(calculator.maxArms()).isEqualTo(5);
    assertThat(calculator.timeout()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void withoutOverridesTheNodeUsesTheModulesDefaults() {
    Config config = load("");
    assertThat(RequestLimits.fromConfig(config)).isEqualTo(RequestLimits.defaults());
    assertThat(CalculatorLimits.fromConfig(config)).isEqualTo(CalculatorLimits.defaults());
  }
}
