package org.abtest.protocol.targeting;

import static org.abtest.protocol.targeting.Json.json;
import static org.abtest.protocol.targeting.Json.matches;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogicOperatorsTest {

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{'$and': [{'a': 1}, {'b': 2}]}          | {'a': 1, 'b': 2} | true",
        "{'$and': [{'a': 1}, {'b': 2}]}          | {'a': 1, 'b': 3} | false",
        "{'$or': [{'a': 1}, {'b': 2}]}           | {'a': 0, 'b': 2} | true",
        "{'$or': [{'a': 1}, {'b': 2}]}           | {'a': 0, 'b': 0} | false",
        "{'$nor': [{'a': 1}, {'b': 2}]}          | {'a': 0, 'b': 0} | true",
        "{'$nor': [{'a': 1}, {'b': 2}]}          | {'a': 1, 'b': 0} | false",
        "{'$not': {'a': 1}}                      | {'a': 2}         | true",
        "{'$not': {'a': 1}}                      | {'a': 1}         | false",
        "{'$and': [{'$or': [{'a': 1}, {'a': 2}]}, {'$not': {'b': 1}}]} | {'a': 2, 'b': 3} | true",
        "{'$and': [{'$or': [{'a': 1}, {'a': 2}]}, {'$not': {'b': 1}}]} | {'a': 2, 'b': 1} | false",
      })
  void logicOperatorsCombineConditions(String condition, String attributes, boolean expected) {
    assertThat(matches(condition, attributes)).isEqualTo(expected);
  }

  @Test
  void emptyAndAndEmptyOrPassButEmptyNorFails() {
    assertThat(matches("{'$and': []}", "{}")).isTrue();
    assertThat(matches("{'$or': []}", "{}")).isTrue();
    assertThat(matches("{'$nor': []}", "{}")).isFalse();
  }

  @Test
  void logicKeysAndAttributeKeysInOneObjectMustAllPass() {
    String condition = "{'$or': [{'a': 1}, {'b': 1}], 'c': 2}";
    assertThat(matches(condition, "{'a': 1, 'c': 2}")).isTrue();
    assertThat(matches(condition, "{'a': 1, 'c': 3}")).isFalse();
  }

  @Test
  void theEmptyConditionAndNoConditionTargetEveryone() {
    assertThat(matches("{}", "{'anything': 1}")).isTrue();
    assertThat(Conditions.compile((JsonNode) null).matches(json("{}"))).isTrue();
    assertThat(Conditions.compile(json("null")).matches(json("{}"))).isTrue();
  }

  @Test
  void nullOrMissingAttributesCountAsNoAttributes() {
    Condition condition = Conditions.compile("{'a': {'$exists': false}}".replace('\'', '"'));
    assertThat(condition.matches(null)).isTrue();
    assertThat(condition.matches(json("{}").path("absent"))).isTrue();
  }

  @Test
  void mutatingTheSourceJsonAfterCompilingChangesNothing() {
    ObjectNode source = (ObjectNode) json("{'country': ['US', 'CA']}");
    Condition condition = Conditions.compile(source);
    source.putArray("country").add("FR");
    assertThat(condition.matches(json("{'country': ['US', 'CA']}"))).isTrue();
    assertThat(condition.source()).isEqualTo(json("{'country': ['US', 'CA']}"));
  }

  @Test
  void dollarKeysThatAreNotLogicOperatorsAreAttributeNames() {
    assertThat(matches("{'$groups': {'$elemMatch': {'$eq': 'a'}}}", "{'$groups': ['a']}")).isTrue();
  }
}
