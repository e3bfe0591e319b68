package org.abtest.protocol.targeting;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import org.abtest.protocol.targeting.Comparisons.Operand;

/** Compiles an operator object such as {@code {"$gt": 5, "$lt": 10}}: every operator must pass. */
final class Operators {

  private static final Set<String> TYPES =
      Set.of("string", "number", "boolean", "object", "array", "null");

  private final ConditionCompiler compiler;

  Operators(ConditionCompiler compiler) {
    this.compiler = compiler;
  }

  ValueTest compile(JsonNode operators, String field) {
    List<ValueTest> parts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : operators.properties()) {
      String at = field + "." + entry.getKey();
      parts.add(operator(entry.getKey(), entry.getValue(), at));
    }
    return ValueTest.allOf(parts.toArray(ValueTest[]::new));
  }

  private ValueTest operator(String name, JsonNode operand, String field) {
    return switch (name) {
      case "$eq" -> strictEquality(operand, field, true);
      case "$ne" -> strictEquality(operand, field, false);
      case "$lt" -> ordering(operand, field, r -> r == Comparisons.LESS);
      case "$lte" -> ordering(operand, field, r -> r == Comparisons.LESS || r == Comparisons.EQUAL);
      case "$gt" -> ordering(operand, field, r -> r == Comparisons.GREATER);
      case "$gte" ->
          ordering(operand, field, r -> r == Comparisons.GREATER || r == Comparisons.EQUAL);
      case "$veq" -> version(operand, field, r -> r == 0);
      case "$vne" -> version(operand, field, r -> r != 0);
      case "$vlt" -> version(operand, field, r -> r < 0);
      case "$vlte" -> version(operand, field, r -> r <= 0);
      case "$vgt" -> version(operand, field, r -> r > 0);
      case "$vgte" -> version(operand, field, r -> r >= 0);
      case "$in" -> membership(operand, field, false, false);
      case "$nin" -> membership(operand, field, false, true);
      case "$ini" -> membership(operand, field, true, false);
      case "$nini" -> membership(operand, field, true, true);
      case "$inGroup" -> group(operand, field, false);
      case "$notInGroup" -> group(operand, field, true);
      case "$all" -> ArrayOperators.all(compiler, operand, field, false);
      case "$alli" -> ArrayOperators.all(compiler, operand, field, true);
      case "$elemMatch" -> ArrayOperators.elemMatch(compiler, operand, field);
      case "$size" -> ArrayOperators.size(compiler, operand, field);
      case "$not" -> ValueTest.not(compiler.value(operand, field, false));
      case "$exists" -> exists(operand, field);
      case "$type" -> type(operand, field);
      case "$regex" -> regex(operand, field, false);
      case "$regexi" -> regex(operand, field, true);
      default -> compiler.reject(field, "unknown operator '" + name + "'");
    };
  }

  // JavaScript's ===: same type and value; an array or object operand is never === anything.
  private ValueTest strictEquality(JsonNode operand, String field, boolean equal) {
    if (operand.isContainerNode()) {
      compiler.reject(
          field,
          "compares by identity and never matches an array or object; use "
              + "implicit equality ({\"attr\": [...]}) instead");
      return equal ? ValueTest.NEVER : ValueTest.ALWAYS;
    }
    ValueTest same =
        actual ->
            actual.getNodeType() == operand.getNodeType()
                && (actual.isNumber()
                    ? actual.doubleValue() == operand.doubleValue()
                    : actual.equals(operand));
    return equal ? same : ValueTest.not(same);
  }

  private ValueTest ordering(JsonNode operand, String field, IntPredicate accept) {
    if (!operand.isNumber() && !operand.isTextual()) {
      compiler.reject(field, "expected a number or a string, got " + describe(operand));
    }
    Operand expected = Operand.of(operand);
    return actual -> accept.test(Comparisons.compare(actual, expected));
  }

  private ValueTest version(JsonNode operand, String field, IntPredicate accept) {
    if (!operand.isTextual() && !operand.isNumber()) {
      compiler.reject(field, "expected a version string, got " + describe(operand));
    }
    String expected = SemVer.padded(operand);
    return actual -> accept.test(SemVer.compare(actual, expected));
  }

  private ValueTest membership(JsonNode operand, String field, boolean fold, boolean negate) {
    if (!operand.isArray()) {
      return compiler.reject(field, "expected an array of values, got " + describe(operand));
    }
    for (int i = 0; i < operand.size(); i++) {
      if (operand.get(i).isContainerNode()) {
        compiler.reject(field + "[" + i + "]", "arrays and objects never match; list plain values");
      }
    }
    ValueSet values = ValueSet.of(operand, fold);
    return negate ? actual -> !values.matches(actual) : values::matches;
  }

  private ValueTest group(JsonNode operand, String field, boolean negate) {
    if (!operand.isTextual()) {
      compiler.reject(field, "expected a saved group id, got " + describe(operand));
    }
    String id = Comparisons.toJsString(operand);
    ValueSet members = compiler.savedGroups.get(id);
    if (members == null) {
      compiler.reject(field, "unknown saved group '" + id + "'");
      members = ValueSet.EMPTY;
    }
    ValueSet group = members;
    return negate ? actual -> !group.matches(actual) : group::matches;
  }

  private ValueTest exists(JsonNode operand, String field) {
    if (!operand.isBoolean()) {
      compiler.reject(field, "expected true or false, got " + describe(operand));
    }
    return Comparisons.truthy(operand) ? actual -> !actual.isNull() : JsonNode::isNull;
  }

  private ValueTest type(JsonNode operand, String field) {
    if (!operand.isTextual() || !TYPES.contains(operand.textValue())) {
      return compiler.reject(field, "expected one of " + TYPES + ", got " + operand);
    }
    String expected = operand.textValue();
    return actual -> Comparisons.typeOf(actual).equals(expected);
  }

  // JavaScript's RegExp.test: a search anywhere in String(value); a missing value is "null".
  // Compiled once here with RE2/J (linear-time matching; see Regexes for the bounds).
  private ValueTest regex(JsonNode operand, String field, boolean ignoreCase) {
    if (!operand.isTextual()) {
      compiler.reject(field, "expected a regular expression string, got " + describe(operand));
    }
    Pattern pattern;
    try {
      pattern = Regexes.compile(Comparisons.toJsString(operand), ignoreCase);
    } catch (Regexes.Refused e) {
      return compiler.reject(field, e.getMessage());
    }
    return actual -> Regexes.find(pattern, Comparisons.toJsString(actual));
  }

  private static String describe(JsonNode node) {
    return ConditionCompiler.describe(node);
  }
}
