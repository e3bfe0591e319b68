package org.abtest.protocol.targeting;

import static org.abtest.protocol.targeting.Json.matches;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegexTypeExistsTest {

  @Test
  void regexSearchesAnywhereInTheValueCaseSensitively() {
    assertThat(matches("{'ua': {'$regex': 'Mobile|Tablet'}}", "{'ua': 'Android Mobile'}")).isTrue();
    assertThat(matches("{'ua': {'$regex': 'mobile'}}", "{'ua': 'Android Mobile'}")).isFalse();
    assertThat(matches("{'ua': {'$regex': '^Android$'}}", "{'ua': 'Android Mobile'}")).isFalse();
  }

  @Test
  void regexiIgnoresCase() {
    assertThat(matches("{'ua': {'$regexi': 'MOBILE'}}", "{'ua': 'android mobile'}")).isTrue();
    assertThat(matches("{'ua': {'$regexi': 'tablet'}}", "{'ua': 'android mobile'}")).isFalse();
  }

  @Test
  void regexTestsTheValueAsTextLikeJavascript() {
    assertThat(matches("{'n': {'$regex': '^4\\\\d$'}}", "{'n': 42}")).isTrue();
    assertThat(matches("{'d': {'$regex': '-12-25$'}}", "{'d': '1980-12-25'}")).isTrue();
  }

  @ParameterizedTest(name = "$type {0} on {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "string  | 'a'        | true",
        "string  | 1          | false",
        "number  | 1.5        | true",
        "number  | '1'        | false",
        "boolean | false      | true",
        "boolean | 0          | false",
        "object  | {'a': 1}   | true",
        "object  | [1]        | false",
        "array   | [1]        | true",
        "array   | {'a': 1}   | false",
        "null    | null       | true",
        "null    | 0          | false",
      })
  void typeNamesTheJsonTypeOfTheValue(String type, String value, boolean expected) {
    assertThat(matches("{'a': {'$type': '" + type + "'}}", "{'a': " + value + "}"))
        .isEqualTo(expected);
  }

  @Test
  void aMissingAttributeHasTypeNull() {
    assertThat(matches("{'a': {'$type': 'null'}}", "{}")).isTrue();
  }

  @Test
  void existsTellsPresentValuesFromNullOrMissing() {
    assertThat(matches("{'a.b': {'$exists': true}}", "{'a': {'b': 0}}")).isTrue();
    assertThat(matches("{'a.b': {'$exists': true}}", "{'a': {}}")).isFalse();
    assertThat(matches("{'a.b': {'$exists': false}}", "{'a': {'b': null}}")).isTrue();
    assertThat(matches("{'a.b': {'$exists': false}}", "{'a': {'b': ''}}")).isFalse();
  }
}
