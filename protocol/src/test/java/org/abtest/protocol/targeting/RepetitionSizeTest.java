package org.abtest.protocol.targeting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepetitionSizeTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "abc                  | 3",
        "`a|bc`               | 3",
        "(ab){3}              | 6",
        "((a{10}){10}){10}    | 1000",
        "x{2,5}               | 5",
        "x{4,}                | 5",
        "x{3}?                | 3",
        "a*b+c?               | 3",
        "[a-z{}]{4}           | 4",
        "\\p{Greek}{3}        | 3",
        "\\{5}                | 3",
        "a{                   | 2",
        "a{x}                 | 4",
        "(?i:ab){2}           | 4",
        "(?P<n>ab){2}         | 4",
        "(?i)ab               | 3",
        "()                   | 1",
        "a)b                  | 2",
        "`(`                  | 1",
        "[]a]{3}              | 3",
        "\\                   | 1",
      })
  void countsEveryCopyThatACountedRepetitionMakes(String pattern, long size) {
    assertThat(RepetitionSize.of(pattern)).isEqualTo(size);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"(((((a{999}){999}){999}){999}){999}){999}", "a{999999999}{999999999}{999999999}"})
  void hugeProductsSaturateInsteadOfOverflowing(String pattern) {
    assertThat(RepetitionSize.of(pattern)).isGreaterThan(1_000_000_000L);
  }
}
