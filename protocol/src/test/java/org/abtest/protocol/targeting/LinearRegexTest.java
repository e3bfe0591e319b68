package org.abtest.protocol.targeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** $regex on RE2/J: hostile patterns and values cost milliseconds, and the bounds hold. */
class LinearRegexTest {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private static Condition regex(String operator, String pattern) {
    ObjectNode condition = JSON.objectNode();
    condition.putObject("ua").put(operator, pattern);
    return Conditions.compile(condition);
  }

  private static JsonNode ua(String value) {
    return JSON.objectNode().put("ua", value);
  }

  /** Best of a few runs, so the JIT's first compilations do not count as the regex's cost. */
  private static Duration bestOf(Runnable run) {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      run.run();
      best = Math.min(best, System.nanoTime() - start);
    }
    return Duration.ofNanos(best);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"(a+)+$", "(x+x+)+y", "(a|aa)+$", "^(a|a?)+$", "(.*a){12}$"})
  void aCatastrophicPatternOnTheLongestValueItTestsFinishesWhereBacktrackingNeverWould(
      String pattern) {
    Condition condition = regex("$regex", pattern);
    String letter = pattern.contains("x") ? "x" : "a";
    JsonNode attributes = ua(letter.repeat(Regexes.MAX_SUBJECT_CHARS - 1) + "!");
    // Well under a millisecond warm on an idle machine (docs/decisions.md §17); the bound only has
    // to
    // tell linear from exponential (a backtracking engine takes longer than the universe's age
    // here), and must hold on a CI machine busy with other builds, so it is generous.
    assertThat(bestOf(() -> condition.matches(attributes))).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void aHundredThousandCharacterValueAgainstACatastrophicPatternIsRefusedAtOnceAndDoesNotMatch() {
    Condition condition = regex("$regex", "(a+)+$");
    JsonNode attributes = ua("a".repeat(100_000));
    assertThat(bestOf(() -> condition.matches(attributes))).isLessThan(Duration.ofSeconds(1));
    assertThat(condition.matches(attributes)).isFalse();
  }

  @Test
  void aValueAtTheSubjectLimitIsStillMatched() {
    Condition condition = regex("$regex", "a$");
    assertThat(condition.matches(ua("a".repeat(Regexes.MAX_SUBJECT_CHARS)))).isTrue();
    assertThat(condition.matches(ua("a".repeat(Regexes.MAX_SUBJECT_CHARS + 1)))).isFalse();
  }

  @Test
  void aPatternAtTheLengthLimitCompilesAndOneCharacterMoreIsRefused() {
    String longest = "a".repeat(Regexes.MAX_PATTERN_CHARS);
    assertThat(regex("$regex", longest).matches(ua(longest))).isTrue();
    assertThatThrownBy(() -> regex("$regex", longest + "a"))
        .isInstanceOfSatisfying(
            ConditionException.class,
            e -> {
              assertThat(e.field()).isEqualTo("targeting.ua.$regex");
              assertThat(e.reason()).contains("at most " + Regexes.MAX_PATTERN_CHARS);
            });
  }

  @Test
  void aPatternWhoseRepetitionsExpandTooFarIsRefused() {
    assertThat(regex("$regex", "x{1000}y").matches(ua("x".repeat(1000) + "y"))).isTrue();
    assertThatThrownBy(() -> regex("$regex", "((a{10}){10}){11}"))
        .isInstanceOfSatisfying(
            ConditionException.class, e -> assertThat(e.reason()).contains("expand"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"foo(?=bar)", "foo(?!bar)", "(?<=a)b", "(?<!a)b", "(a)\\1"})
  void javascriptOnlyFeaturesAreRefusedInStrictMode(String pattern) {
    assertThatThrownBy(() -> regex("$regexi", pattern))
        .isInstanceOfSatisfying(
            ConditionException.class,
            e -> {
              assertThat(e.field()).isEqualTo("targeting.ua.$regexi");
              assertThat(e.reason()).contains("lookaround and backreferences are not supported");
            });
  }

  @Test
  void aPatternRe2CannotCompileEvaluatesFalseInLenientMode() {
    ObjectNode condition = JSON.objectNode();
    condition.putObject("ua").put("$regex", "foo(?=bar)");
    Condition lenient = Conditions.compileLenient(condition, SavedGroups.NONE);
    assertThat(lenient.matches(ua("foobar"))).isFalse();
  }

  @Test
  void regexiFoldsCaseBeyondAscii() {
    assertThat(regex("$regexi", "ÉTÉ").matches(ua("un été chaud"))).isTrue();
  }

  @Test
  void dollarAnchorsAtTheEndOfTheValueOnlyAsInJavascript() {
    assertThat(regex("$regex", "a$").matches(ua("a\n"))).isFalse();
    assertThat(regex("$regex", "^b").matches(ua("a\nb"))).isFalse();
  }
}
