package org.abtest.protocol.targeting;

import static org.abtest.protocol.targeting.Json.matches;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImplicitEqualityTest {

  @Test
  void aStringLiteralMatchesTheValueAsText() {
    assertThat(matches("{'c': 'US'}", "{'c': 'US'}")).isTrue();
    assertThat(matches("{'c': 'US'}", "{'c': 'us'}")).isFalse();
    assertThat(matches("{'n': '8'}", "{'n': 8}")).isTrue();
    assertThat(matches("{'n': '8.5'}", "{'n': 8.5}")).isTrue();
    assertThat(matches("{'n': '8.0'}", "{'n': 8}")).isFalse();
    assertThat(matches("{'b': 'true'}", "{'b': true}")).isTrue();
    assertThat(matches("{'t': 'a,b'}", "{'t': ['a', 'b']}")).isTrue();
  }

  @Test
  void theTextOfAMissingAttributeIsNullAsInGrowthbook() {
    assertThat(matches("{'c': 'null'}", "{}")).isTrue();
    assertThat(matches("{'c': 'US'}", "{}")).isFalse();
  }

  @Test
  void aNumberLiteralMatchesTheValueAsANumber() {
    assertThat(matches("{'n': 10}", "{'n': 10}")).isTrue();
    assertThat(matches("{'n': 10}", "{'n': '10'}")).isTrue();
    assertThat(matches("{'n': 10}", "{'n': '1e1'}")).isTrue();
    assertThat(matches("{'n': 10}", "{'n': 11}")).isFalse();
    assertThat(matches("{'n': 1}", "{'n': true}")).isTrue();
    assertThat(matches("{'n': 0}", "{}")).isTrue();
    assertThat(matches("{'n': 0}", "{'n': 'zero'}")).isFalse();
  }

  @Test
  void aBooleanLiteralMatchesAnyNonNullValueOfThatTruthiness() {
    assertThat(matches("{'f': true}", "{'f': true}")).isTrue();
    assertThat(matches("{'f': true}", "{'f': 'yes'}")).isTrue();
    assertThat(matches("{'f': false}", "{'f': 0}")).isTrue();
    assertThat(matches("{'f': false}", "{'f': ''}")).isTrue();
    assertThat(matches("{'f': false}", "{}")).isFalse();
    assertThat(matches("{'f': false}", "{'f': null}")).isFalse();
  }

  @Test
  void aNullLiteralMatchesNullOrMissingOnly() {
    assertThat(matches("{'u': null}", "{'u': null}")).isTrue();
    assertThat(matches("{'u': null}", "{}")).isTrue();
    assertThat(matches("{'u': null}", "{'u': 0}")).isFalse();
    assertThat(matches("{'u': null}", "{'u': ''}")).isFalse();
  }

  @Test
  void anArrayLiteralMatchesTheSameElementsInTheSameOrder() {
    assertThat(matches("{'t': ['a', 1]}", "{'t': ['a', 1.0]}")).isTrue();
    assertThat(matches("{'t': ['a', 'b']}", "{'t': ['b', 'a']}")).isFalse();
    assertThat(matches("{'t': ['a']}", "{'t': ['a', 'b']}")).isFalse();
    assertThat(matches("{'t': ['a']}", "{'t': 'a'}")).isFalse();
  }

  @Test
  void anObjectLiteralMatchesTheSameFieldsInTheSameOrder() {
    assertThat(matches("{'o': {'a': 1, 'b': [2]}}", "{'o': {'a': 1, 'b': [2]}}")).isTrue();
    assertThat(matches("{'o': {'a': 1, 'b': 2}}", "{'o': {'b': 2, 'a': 1}}")).isFalse();
    assertThat(matches("{'o': {'a': 1}}", "{'o': {'a': 1, 'c': 3}}")).isFalse();
    assertThat(matches("{'o': {}}", "{'o': {}}")).isTrue();
    assertThat(matches("{'o': {}}", "{'o': []}")).isFalse();
  }
}
