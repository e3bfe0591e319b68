package org.abtest.protocol.targeting;

import static org.abtest.protocol.targeting.Json.json;
import static org.abtest.protocol.targeting.Json.matches;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathTest {

  @Test
  void dottedPathsReachIntoNestedObjects() {
    assertThat(matches("{'father.age': {'$gt': 65}}", "{'father': {'age': 70}}")).isTrue();
    assertThat(matches("{'a.b.c': 'x'}", "{'a': {'b': {'c': 'x'}}}")).isTrue();
    assertThat(matches("{'a.b.c': 'x'}", "{'a': {'b': {'c': 'y'}}}")).isFalse();
  }

  @Test
  void aNullOrScalarOnTheWayResolvesToNull() {
    assertThat(Path.of("address.state").resolve(json("{'address': null}")).isNull()).isTrue();
    assertThat(Path.of("address.state").resolve(json("{'address': 123}")).isNull()).isTrue();
    assertThat(Path.of("address.state").resolve(json("{'address': 'CA'}")).isNull()).isTrue();
    assertThat(matches("{'address.state': 'CA'}", "{'address': null}")).isFalse();
  }

  @Test
  void aMissingKeyResolvesToNullLikeAnExplicitNull() {
    assertThat(Path.of("a.b").resolve(json("{}")).isNull()).isTrue();
    assertThat(Path.of("a").resolve(json("{'a': null}")).isNull()).isTrue();
  }

  @Test
  void canonicalNumericSegmentsIndexArrays() {
    JsonNodeAssert.at("tags.1", "{'tags': ['a', 'b']}", "'b'");
    JsonNodeAssert.at("tags.2", "{'tags': ['a', 'b']}", "null");
    JsonNodeAssert.at("tags.01", "{'tags': ['a', 'b']}", "null");
    JsonNodeAssert.at("h.0.name", "{'h': [{'name': 'golf'}]}", "'golf'");
  }

  @Test
  void lengthOfAnArrayIsItsSize() {
    JsonNodeAssert.at("tags.length", "{'tags': ['a', 'b']}", "2");
    JsonNodeAssert.at("o.length", "{'o': {'length': 'own'}}", "'own'");
  }

  @Test
  void emptySegmentsAreKeysLikeAnyOther() {
    JsonNodeAssert.at("a..b", "{'a': {'': {'b': 1}}}", "1");
    JsonNodeAssert.at("", "{'': 5}", "5");
  }

  @Test
  void aPathIsPrintedAsWritten() {
    assertThat(Path.of("father.age")).hasToString("father.age");
  }

  private static final class JsonNodeAssert {
    static void at(String path, String root, String expected) {
      assertThat(Path.of(path).resolve(json(root))).isEqualTo(json(expected));
    }
  }
}
