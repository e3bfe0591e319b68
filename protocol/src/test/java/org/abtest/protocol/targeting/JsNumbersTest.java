package org.abtest.protocol.targeting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsNumbersTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "0, 0",
    "-0.0, 0",
    "10, 10",
    "-3, -3",
    "1.5, 1.5",
    "0.000001, 0.000001",
    "1.0E-7, 1e-7",
    "1.25E-8, 1.25e-8",
    "1.0E21, 1e+21",
    "1.0E20, 100000000000000000000",
    "1.152921504606847E18, 1152921504606847000",
    "123456.789, 123456.789",
  })
  void formatsNumbersAsJavascriptPrintsThem(double value, String text) {
    assertThat(JsNumbers.format(value)).isEqualTo(text);
  }

  @Test
  void formatsNonFiniteValues() {
    assertThat(JsNumbers.format(Double.NaN)).isEqualTo("NaN");
    assertThat(JsNumbers.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
  }

  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource(
      value = {
        "''|0",
        "'  '|0",
        "'42'|42",
        "' 42\t'|42",
        "'-1.5e3'|-1500",
        "'.5'|0.5",
        "'5.'|5",
        "'+7'|7",
        "'0x1F'|31",
        "'0b101'|5",
        "'0o17'|15",
        "'-Infinity'|-Infinity",
      },
      delimiter = '|')
  void parsesWhatJavascriptAcceptsAsNumbers(String text, double value) {
    assertThat(JsNumbers.parse(text)).isEqualTo(value);
  }

  @ParameterizedTest(name = "''{0}'' is NaN")
  @CsvSource({"abc", "1d", "1f", "0x1p3", "NaN", "1e", "-0x10", "1_000", "'1 2'", "."})
  void rejectsWhatJavascriptDoesNot(String text) {
    assertThat(JsNumbers.parse(text)).isNaN();
  }
}
