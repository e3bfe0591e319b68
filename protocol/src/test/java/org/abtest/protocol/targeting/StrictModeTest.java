package org.abtest.protocol.targeting;

import static org.abtest.protocol.targeting.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrictModeTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{'country': {'$foo': 1}}                    | targeting.country.$foo        | unknown operator '$foo'",
        "{'country': {'$in': 'US'}}                  | targeting.country.$in         | expected an array of values, got a string",
        "{'country': {'$nin': {'a': 1}}}             | targeting.country.$nin        | expected an array of values, got an object",
        "{'c': {'$in': ['US', ['CA']]}}              | targeting.c.$in[1]            | arrays and objects never match",
        "{'name': {'$regex': '[a-'}}                 | targeting.name.$regex         | invalid regular expression",
        "{'name': {'$regexi': 5}}                    | targeting.name.$regexi        | expected a regular expression string, got a number",
        "{'$or': [{'a': 1}, {'b': {'$gt': true}}]}   | targeting.$or[1].b.$gt        | expected a number or a string, got a boolean",
        "{'$and': {'a': 1}}                          | targeting.$and                | expected an array of conditions, got an object",
        "{'$nor': [{'a': 1}, 'b']}                   | targeting.$nor[1]             | a condition must be a JSON object, got a string",
        "{'$not': [{'a': 1}]}                        | targeting.$not                | a condition must be a JSON object, got an array",
        "{'a': {'$exists': 'yes'}}                   | targeting.a.$exists           | expected true or false, got a string",
        "{'a': {'$type': 'date'}}                    | targeting.a.$type             | expected one of",
        "{'t': {'$all': 'x'}}                        | targeting.t.$all              | expected an array, got a string",
        "{'t': {'$all': [{'$bad': 1}]}}              | targeting.t.$all[0].$bad      | unknown operator '$bad'",
        "{'t': {'$elemMatch': 'x'}}                  | targeting.t.$elemMatch        | expected an object",
        "{'t': {'$elemMatch': {'n': {'$gt': []}}}}   | targeting.t.$elemMatch.n.$gt  | got an array",
        "{'t': {'$size': -1}}                        | targeting.t.$size             | expected a non-negative integer or operators, got a number",
        "{'t': {'$size': {'$gte': null}}}            | targeting.t.$size.$gte        | got null",
        "{'v': {'$vgt': ['1.0.0']}}                  | targeting.v.$vgt              | expected a version string, got an array",
        "{'a': {'$eq': [1]}}                         | targeting.a.$eq               | never matches an array or object",
        "{'a': {'$ne': {'b': 1}}}                    | targeting.a.$ne               | never matches an array or object",
        "{'a': {'$in': [1], 'b': 2}}                 | targeting.a                   | mixes operators and plain fields",
        "{'id': {'$inGroup': 'beta'}}                | targeting.id.$inGroup         | unknown saved group 'beta'",
        "{'id': {'$notInGroup': 3}}                  | targeting.id.$notInGroup      | expected a saved group id, got a number",
        "{'a': {'$not': {'$foo': 1}}}                | targeting.a.$not.$foo         | unknown operator '$foo'",
        "[{'a': 1}]                                  | targeting                     | a condition must be a JSON object, got an array",
      })
  void badConditionsAreRejectedWithTheirFieldPath(String condition, String field, String reason) {
    assertThatThrownBy(() -> Conditions.compile(json(condition)))
        .isInstanceOfSatisfying(
            ConditionException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.reason()).contains(reason);
              assertThat(e.getMessage()).startsWith(field + ": ");
            });
  }

  @Test
  void textThatIsNotJsonIsRejectedAtTheRoot() {
    assertThatThrownBy(() -> Conditions.compile("{\"a\": "))
        .isInstanceOfSatisfying(
            ConditionException.class, e -> assertThat(e.field()).isEqualTo("targeting"));
    assertThatThrownBy(() -> Conditions.compile(""))
        .isInstanceOfSatisfying(
            ConditionException.class, e -> assertThat(e.reason()).contains("use {}"));
  }

  @Test
  void conditionTextCompilesLikeTheParsedTree() {
    Condition condition = Conditions.compile("{\"age\": {\"$gte\": 18}}");
    assertThat(condition.matches(json("{'age': 20}"))).isTrue();
    assertThat(condition.matches(json("{'age': 17}"))).isFalse();
  }

  @Test
  void lenientModeEvaluatesWhatStrictModeRejectsAsGrowthbookDoes() {
    assertThat(lenient("{'a': {'$foo': 1}}", "{'a': 1}")).isFalse();
    assertThat(lenient("{'a': {'$not': {'$foo': 1}}}", "{'a': 1}")).isTrue();
    assertThat(lenient("{'a': {'$in': 1}}", "{'a': 1}")).isFalse();
    assertThat(lenient("{'a': {'$nin': 1}}", "{'a': 2}")).isFalse();
    assertThat(lenient("{'a': {'$regex': '[a-'}}", "{'a': '[a-'}")).isFalse();
    assertThat(lenient("{'a': {'$eq': [1]}}", "{'a': [1]}")).isFalse();
    assertThat(lenient("{'a': {'$ne': [1]}}", "{'a': [1]}")).isTrue();
    assertThat(lenient("{'a': {'$exists': 1}}", "{'a': 0}")).isTrue();
    assertThat(lenient("{'a': {'$gt': true}}", "{'a': 2}")).isTrue();
    assertThat(lenient("{'a': {'$in': [1], 'b': 2}}", "{'a': {'$in': [1], 'b': 2}}")).isTrue();
    assertThat(lenient("{'$or': {'a': 1}}", "{'a': 1}")).isFalse();
  }

  private static boolean lenient(String condition, String attributes) {
    return Conditions.compileLenient(json(condition), SavedGroups.NONE).matches(json(attributes));
  }

  @Test
  void savedGroupsMustBeAnObjectOfArrays() {
    assertThatThrownBy(() -> SavedGroups.of(json("{'beta': 'u1'}")))
        .isInstanceOfSatisfying(
            ConditionException.class, e -> assertThat(e.field()).isEqualTo("savedGroups.beta"));
    assertThatThrownBy(() -> SavedGroups.of(json("['u1']")))
        .isInstanceOfSatisfying(
            ConditionException.class, e -> assertThat(e.field()).isEqualTo("savedGroups"));
  }
}
