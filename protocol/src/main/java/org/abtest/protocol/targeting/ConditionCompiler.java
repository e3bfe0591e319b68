package org.abtest.protocol.targeting;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns condition JSON into a {@link ValueTest} tree, mirroring GrowthBook's two levels: a
 * <em>condition</em> is an object whose keys are {@code $and $or $nor $not} or attribute paths; a
 * <em>value condition</em> (what a path maps to) is a literal compared with coercion, an array or
 * plain object compared as JSON, or an object of operators. Operators live in {@link Operators}.
 *
 * <p>In strict mode every problem throws {@link ConditionException}; in lenient mode it compiles to
 * what GrowthBook evaluates, which for an unusable operator is "false".
 */
final class ConditionCompiler {

  final boolean strict;
  final SavedGroups savedGroups;
  private final Operators operators;

  ConditionCompiler(boolean strict, SavedGroups savedGroups) {
    this.strict = strict;
    this.savedGroups = savedGroups;
    this.operators = new Operators(this);
  }

  /** A condition: every key must pass (GrowthBook evaluates logic keys and paths alike). */
  ValueTest condition(JsonNode condition, String field) {
    if (!condition.isObject()) {
      return reject(field, "a condition must be a JSON object, got " + describe(condition));
    }
    List<ValueTest> parts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : condition.properties()) {
      String key = entry.getKey();
      JsonNode operand = entry.getValue();
      String at = field + "." + key;
      switch (key) {
        case "$and" -> parts.add(allOf(operand, at));
        case "$or" -> parts.add(anyOf(operand, at));
        case "$nor" -> parts.add(ValueTest.not(anyOf(operand, at)));
        case "$not" -> parts.add(ValueTest.not(condition(operand, at)));
        default -> parts.add(onPath(Path.of(key), value(operand, at, false)));
      }
    }
    return ValueTest.allOf(parts.toArray(ValueTest[]::new));
  }

  /**
   * A value condition for one attribute value.
   *
   * @param caseInsensitive only for {@code $alli} items: a string literal matches ignoring case
   */
  ValueTest value(JsonNode expected, String field, boolean caseInsensitive) {
    if (expected.isTextual()) {
      return caseInsensitive
          ? Literals.equalsIgnoringCase(expected.textValue())
          : Literals.equalsAsString(expected.textValue());
    }
    if (expected.isNumber()) {
      return Literals.equalsAsNumber(expected.doubleValue());
    }
    if (expected.isBoolean()) {
      return Literals.equalsAsBoolean(expected.booleanValue());
    }
    if (expected.isNull()) {
      return JsonNode::isNull;
    }
    if (isOperatorObject(expected)) {
      return operators.compile(expected, field);
    }
    if (strict && expected.isObject() && hasOperatorKey(expected)) {
      return reject(
          field, "mixes operators and plain fields; use only $-operators or no operators");
    }
    return actual -> Comparisons.sameJson(actual, expected);
  }

  /**
   * Strict: throw. Lenient: return a part that evaluates to false, as GrowthBook's unknown
   * operators do. Callers that can instead evaluate the operand the way GrowthBook would (e.g.
   * {@code $exists} with a non-boolean) ignore the result and carry on.
   */
  ValueTest reject(String field, String reason) {
    if (strict) {
      throw new ConditionException(field, reason);
    }
    return ValueTest.NEVER;
  }

  /** Non-empty and every key starts with {@code $}; GrowthBook's test for an operator object. */
  static boolean isOperatorObject(JsonNode node) {
    if (!node.isObject() || node.isEmpty()) {
      return false;
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      if (!entry.getKey().startsWith("$")) {
        return false;
      }
    }
    return true;
  }

  static String describe(JsonNode node) {
    String type = Comparisons.typeOf(node);
    return switch (type) {
      case "null" -> "null";
      case "array", "object" -> "an " + type;
      default -> "a " + type;
    };
  }

  private ValueTest allOf(JsonNode operand, String field) {
    ValueTest[] parts = conditions(operand, field);
    return parts == null ? ValueTest.NEVER : ValueTest.allOf(parts);
  }

  private ValueTest anyOf(JsonNode operand, String field) {
    ValueTest[] parts = conditions(operand, field);
    return parts == null ? ValueTest.NEVER : ValueTest.anyOf(parts);
  }

  // The operand of $and/$or/$nor; null (lenient only) when it is not an array.
  private ValueTest[] conditions(JsonNode operand, String field) {
    if (!operand.isArray()) {
      reject(field, "expected an array of conditions, got " + describe(operand));
      return null;
    }
    ValueTest[] parts = new ValueTest[operand.size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = condition(operand.get(i), field + "[" + i + "]");
    }
    return parts;
  }

  private static boolean hasOperatorKey(JsonNode node) {
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      if (entry.getKey().startsWith("$")) {
        return true;
      }
    }
    return false;
  }

  private static ValueTest onPath(Path path, ValueTest test) {
    return root -> test.test(path.resolve(root));
  }
}
