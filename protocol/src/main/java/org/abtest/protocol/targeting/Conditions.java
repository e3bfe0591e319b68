package org.abtest.protocol.targeting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Compiles targeting conditions written in GrowthBook's MongoDB-style operator language (DESIGN.md
 * §3) into {@link Condition}s.
 *
 * <p>Language: logic {@code $and $or $nor $not}; comparison {@code $eq $ne $gt $gte $lt $lte}; sets
 * {@code $in $nin} (and case-insensitive {@code $ini $nini}); arrays {@code $all $alli $elemMatch
 * $size}; {@code $regex $regexi} (RE2 syntax, linear time, searched anywhere in the value); {@code
 * $exists}; {@code $type}; versions {@code $veq $vne $vgt $vgte $vlt $vlte}; saved groups {@code
 * $inGroup $notInGroup}; dotted paths ({@code father.age}); implicit equality ({@code {"country":
 * "US"}}, arrays and objects compared as JSON). Coercion, array and null handling follow
 * GrowthBook's JavaScript SDK exactly, so the public conformance cases pass; see {@link
 * Comparisons}.
 *
 * <p><b>Strict vs lenient.</b> {@link #compile} is strict: an unknown operator, a malformed operand
 * ({@code $in} without an array, a bad regex, an {@code $inGroup} naming no known group, ...)
 * throws {@link ConditionException} naming the field, e.g. {@code targeting.country.$in}. Use it
 * wherever a condition enters the system (the admin API answers 400) and when compiling a manifest.
 * GrowthBook itself never fails: such an operator just evaluates to false. {@link #compileLenient}
 * reproduces that, and exists for the conformance suite and for comparing with GrowthBook; do not
 * use it to accept conditions.
 *
 * <p><b>Saved groups</b> are bound at compile time ({@link SavedGroups}); recompile when they
 * change.
 */
public final class Conditions {

  /**
   * Field names in errors start here, as the condition sits in an experiment's {@code targeting}.
   */
  public static final String ROOT_FIELD = "targeting";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Conditions() {}

  /**
   * Strict compile of a condition that uses no saved groups. Null or JSON null means no targeting.
   */
  public static Condition compile(JsonNode condition) {
    return compile(condition, SavedGroups.NONE);
  }

  /** Strict compile; {@code $inGroup}/{@code $notInGroup} resolve against {@code savedGroups}. */
  public static Condition compile(JsonNode condition, SavedGroups savedGroups) {
    return compile(condition, savedGroups, true);
  }

  /**
   * Strict compile of condition JSON text; text that is not JSON is a {@link ConditionException}.
   */
  public static Condition compile(String conditionJson) {
    return compile(conditionJson, SavedGroups.NONE);
  }

  public static Condition compile(String conditionJson, SavedGroups savedGroups) {
    return compile(parse(conditionJson), savedGroups);
  }

  /**
   * GrowthBook-compatible compile that never rejects: what strict mode refuses evaluates as
   * GrowthBook evaluates it (false for unknown operators, bad regexes, non-array {@code $in}, and
   * unknown saved groups behave as empty). For conformance testing only.
   */
  public static Condition compileLenient(JsonNode condition, SavedGroups savedGroups) {
    return compile(condition, savedGroups, false);
  }

  private static Condition compile(JsonNode condition, SavedGroups groups, boolean strict) {
    if (condition == null || condition.isNull() || condition.isMissingNode()) {
      return Condition.ALWAYS;
    }
    // Compiled tests keep references into the JSON, so they get a private copy nobody can mutate.
    JsonNode source = condition.deepCopy();
    ConditionCompiler compiler = new ConditionCompiler(strict, groups);
    return new Condition(compiler.condition(source, ROOT_FIELD), source);
  }

  private static JsonNode parse(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node.isMissingNode()) {
        throw new ConditionException(ROOT_FIELD, "empty text is not a condition; use {}");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ConditionException(ROOT_FIELD, "not valid JSON: " + e.getOriginalMessage());
    }
  }
}
