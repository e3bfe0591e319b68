package org.abtest.protocol.targeting;

import static org.abtest.protocol.targeting.Json.matches;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComparisonOperatorsTest {

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{'n': {'$gt': 5}}            | {'n': 6}          | true",
        "{'n': {'$gt': 5}}            | {'n': 5}          | false",
        "{'n': {'$gte': 5}}           | {'n': 5}          | true",
        "{'n': {'$gte': 5}}           | {'n': 4.99}       | false",
        "{'n': {'$lt': 5}}            | {'n': 4}          | true",
        "{'n': {'$lt': 5}}            | {'n': 5}          | false",
        "{'n': {'$lte': 5}}           | {'n': 5}          | true",
        "{'n': {'$lte': 5}}           | {'n': 5.5}        | false",
        "{'n': {'$gt': 1, '$lt': 3}}  | {'n': 2}          | true",
        "{'n': {'$gt': 1, '$lt': 3}}  | {'n': 3}          | false",
      })
  void orderingOperatorsCompareNumbers(String condition, String attributes, boolean expected) {
    assertThat(matches(condition, attributes)).isEqualTo(expected);
  }

  @Test
  void twoStringsCompareByCodeUnitsSoUppercaseSortsFirst() {
    assertThat(matches("{'w': {'$gt': 'apple'}}", "{'w': 'banana'}")).isTrue();
    assertThat(matches("{'w': {'$gt': 'apple'}}", "{'w': 'Banana'}")).isFalse();
    assertThat(matches("{'w': {'$lt': '10'}}", "{'w': '9'}")).isFalse();
  }

  @Test
  void aStringAndANumberCompareAsNumbers() {
    assertThat(matches("{'n': {'$gt': 5, '$lt': 10}}", "{'n': '8'}")).isTrue();
    assertThat(matches("{'n': {'$gt': '5', '$lt': '10'}}", "{'n': 8}")).isTrue();
    assertThat(matches("{'n': {'$gt': 5}}", "{'n': ' 8 '}")).isTrue();
  }

  @Test
  void aStringThatIsNotANumberNeverOrdersAgainstANumber() {
    assertThat(matches("{'n': {'$gt': 5}}", "{'n': 'abc'}")).isFalse();
    assertThat(matches("{'n': {'$lte': 5}}", "{'n': 'abc'}")).isFalse();
  }

  @Test
  void aMissingOrNullAttributeComparesAsZero() {
    assertThat(matches("{'n': {'$gt': -1, '$lt': 1, '$gte': 0, '$lte': 0}}", "{}")).isTrue();
    assertThat(matches("{'n': {'$gt': 0}}", "{'n': null}")).isFalse();
  }

  @Test
  void booleansCompareAsZeroAndOne() {
    assertThat(matches("{'b': {'$gt': 0}}", "{'b': true}")).isTrue();
    assertThat(matches("{'b': {'$gt': 0}}", "{'b': false}")).isFalse();
  }

  @Test
  void anArrayComparesAsItsCommaJoinedText() {
    assertThat(matches("{'n': {'$gt': 10}}", "{'n': [15]}")).isTrue();
    assertThat(matches("{'n': {'$gt': 10}}", "{'n': [1, 15]}")).isFalse();
    assertThat(matches("{'n': {'$gt': 'a'}}", "{'n': ['b', 'c']}")).isTrue();
  }

  @Test
  void eqMatchesOnlyTheSameTypeAndValue() {
    assertThat(matches("{'a': {'$eq': 'x'}}", "{'a': 'x'}")).isTrue();
    assertThat(matches("{'a': {'$eq': 10}}", "{'a': 10.0}")).isTrue();
    assertThat(matches("{'a': {'$eq': 10}}", "{'a': '10'}")).isFalse();
    assertThat(matches("{'a': {'$eq': false}}", "{'a': 0}")).isFalse();
    assertThat(matches("{'a': {'$eq': false}}", "{}")).isFalse();
    assertThat(matches("{'a': {'$eq': null}}", "{}")).isTrue();
  }

  @Test
  void neIsTheNegationOfEq() {
    assertThat(matches("{'a': {'$ne': 'x'}}", "{'a': 'y'}")).isTrue();
    assertThat(matches("{'a': {'$ne': 'x'}}", "{'a': 'x'}")).isFalse();
    assertThat(matches("{'a': {'$ne': 1}}", "{'a': '1'}")).isTrue();
    assertThat(matches("{'a': {'$ne': 'x'}}", "{}")).isTrue();
  }
}
