package org.abtest.protocol.targeting;

import static org.abtest.protocol.targeting.Json.matches;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArrayOperatorsTest {

  @Test
  void allNeedsEveryListedValueSomewhereInTheArray() {
    assertThat(matches("{'t': {'$all': ['a', 'c']}}", "{'t': ['c', 'b', 'a']}")).isTrue();
    assertThat(matches("{'t': {'$all': ['a', 'c']}}", "{'t': ['a', 'b']}")).isFalse();
    assertThat(matches("{'t': {'$all': ['a']}}", "{'t': 'a'}")).isFalse();
    assertThat(matches("{'t': {'$all': []}}", "{'t': []}")).isTrue();
  }

  @Test
  void allItemsMayBeOperatorConditions() {
    assertThat(matches("{'n': {'$all': [{'$gt': 10}, {'$lt': 0}]}}", "{'n': [-1, 5, 11]}"))
        .isTrue();
    assertThat(matches("{'n': {'$all': [{'$gt': 10}, {'$lt': 0}]}}", "{'n': [5, 11]}")).isFalse();
  }

  @Test
  void alliIgnoresCaseOfStringItems() {
    assertThat(matches("{'t': {'$alli': ['One', 'two']}}", "{'t': ['ONE', 'TWO']}")).isTrue();
    assertThat(matches("{'t': {'$alli': ['one', 'three']}}", "{'t': ['ONE', 'TWO']}")).isFalse();
  }

  @Test
  void elemMatchWithOperatorsTestsEachElementItself() {
    assertThat(matches("{'n': {'$elemMatch': {'$gt': 10}}}", "{'n': [1, 11]}")).isTrue();
    assertThat(matches("{'n': {'$elemMatch': {'$gt': 10}}}", "{'n': [1, 10]}")).isFalse();
    assertThat(matches("{'n': {'$elemMatch': {'$gt': 10}}}", "{'n': 11}")).isFalse();
  }

  @Test
  void elemMatchWithFieldsTestsEachElementAsAnObject() {
    String condition = "{'h': {'$elemMatch': {'name': {'$regex': '^ping'}, 'level': {'$gte': 2}}}}";
    assertThat(matches(condition, "{'h': [{'name': 'golf'}, {'name': 'pingpong', 'level': 3}]}"))
        .isTrue();
    assertThat(matches(condition, "{'h': [{'name': 'pingpong', 'level': 1}]}")).isFalse();
  }

  @Test
  void elemMatchSkipsFalsyElementsAsGrowthbookDoes() {
    assertThat(matches("{'n': {'$elemMatch': {'$eq': 0}}}", "{'n': [0]}")).isFalse();
    assertThat(matches("{'n': {'$elemMatch': {'$lt': 1}}}", "{'n': [0, 0.5]}")).isTrue();
  }

  @Test
  void sizeComparesTheArrayLength() {
    assertThat(matches("{'t': {'$size': 2}}", "{'t': ['a', 'b']}")).isTrue();
    assertThat(matches("{'t': {'$size': 2}}", "{'t': ['a']}")).isFalse();
    assertThat(matches("{'t': {'$size': 0}}", "{'t': []}")).isTrue();
    assertThat(matches("{'t': {'$size': 2}}", "{'t': 'ab'}")).isFalse();
    assertThat(matches("{'t': {'$size': {'$gte': 2, '$lt': 20}}}", "{'t': [1, 2, 3]}")).isTrue();
    assertThat(matches("{'t': {'$size': {'$gte': 2}}}", "{'t': [1]}")).isFalse();
  }

  @Test
  void notNegatesAnOperatorCondition() {
    assertThat(matches("{'t': {'$not': {'$elemMatch': {'$eq': 'x'}}}}", "{'t': ['a']}")).isTrue();
    assertThat(matches("{'t': {'$not': {'$elemMatch': {'$eq': 'x'}}}}", "{'t': ['x']}")).isFalse();
    assertThat(matches("{'n': {'$not': {'$gt': 5}}}", "{'n': 3}")).isTrue();
  }
}
