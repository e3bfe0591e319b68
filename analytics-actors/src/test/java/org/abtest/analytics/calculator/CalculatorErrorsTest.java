package org.abtest.analytics.calculator;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import org.abtest.analytics.calculator.CalculatorJson.Operation;
import org.abtest.protocol.Json;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Wrong types are named by field and said in our words, never in Jackson's. */
class CalculatorErrorsTest {

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "POWER|{\"kind\": \"proportion\", \"alpha\": \"0.05\"}|alpha|alpha must be a number",
        "POWER|{\"kind\": 7}|kind|kind must be a string",
        "POWER|{\"relative\": \"yes\"}|relative|relative must be true or false",
        "POWER|{\"nPerGroup\": 1.5}|nPerGroup|nPerGroup must be an integer",
        "ANALYSIS|{\"variants\": {\"key\": \"a\"}}|variants|variants must be an array",
        "ANALYSIS|{\"variants\": [{\"key\": \"a\", \"n\": \"ten\"}]}|variants[0].n|variants[0].n"
            + " must be an integer",
        "ANALYSIS|{\"sequential\": 3}|sequential|sequential must be an object",
        "BANDIT|{\"arms\": [{\"key\": \"a\", \"n\": null}]}|arms[0].n|arms[0].n must be an integer",
        "ADJUST|{\"pValues\": [\"x\"]}|pValues[0]|pValues[0] must be a number",
        "BOUNDARIES|{\"looks\": true}|looks|looks must be an integer"
      })
  void aWrongTypeIsNamedInOurWords(String op, String body, String field, String message) {
    assertThatThrownBy(
            () -> CalculatorJson.run(Operation.valueOf(op), Json.mapper().readTree(body)))
        .asInstanceOf(type(InvalidInput.class))
        .satisfies(
            e -> {
              SoftAssertions soft = new SoftAssertions();
              soft.assertThat(e.code()).isEqualTo("invalid_type");
              soft.assertThat(e.field()).isEqualTo(field);
              soft.assertThat(e.getMessage()).isEqualTo(message);
              soft.assertAll();
            });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "POWER|{\"colour\": 1}|colour",
        "BANDIT|{\"arms\": [{\"key\": \"a\", \"n\": 1, \"conversions\": 0, \"x\": 1}]}|arms[0].x"
      })
  void anUnknownFieldIsNamed(String op, String body, String field) {
    assertThatThrownBy(
            () -> CalculatorJson.run(Operation.valueOf(op), Json.mapper().readTree(body)))
        .asInstanceOf(type(InvalidInput.class))
        .satisfies(
            e -> {
              SoftAssertions soft = new SoftAssertions();
              soft.assertThat(e.code()).isEqualTo("unknown_field");
              soft.assertThat(e.field()).isEqualTo(field);
              soft.assertThat(e.getMessage())
                  .doesNotContain("Unrecognized", "class ", "known properties");
              soft.assertAll();
            });
  }
}
