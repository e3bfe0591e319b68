package org.abtest.protocol.targeting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;

/** {@code $all}, {@code $alli}, {@code $elemMatch} and {@code $size}: all need an array value. */
final class ArrayOperators {

  private ArrayOperators() {}

  /** Every item (a value condition, often a literal) matches at least one element. */
  static ValueTest all(
      ConditionCompiler compiler, JsonNode operand, String field, boolean caseInsensitive) {
    if (!operand.isArray()) {
      return compiler.reject(
          field, "expected an array, got " + ConditionCompiler.describe(operand));
    }
    ValueTest[] items = new ValueTest[operand.size()];
    for (int i = 0; i < items.length; i++) {
      items[i] = compiler.value(operand.get(i), field + "[" + i + "]", caseInsensitive);
    }
    return actual -> {
      if (!actual.isArray()) {
        return false;
      }
      for (ValueTest item : items) {
        if (!anyElement(actual, item)) {
          return false;
        }
      }
      return true;
    };
  }

  /**
   * Some element matches: an operator object applies to the element itself ({@code {"$gt": 10}}), a
   * plain object is a condition on the element's fields ({@code {"name": {"$regex": "^ping"}}}).
   * Like GrowthBook, falsy elements ({@code 0}, {@code ""}, {@code false}, null) are skipped.
   */
  static ValueTest elemMatch(ConditionCompiler compiler, JsonNode operand, String field) {
    if (!operand.isObject()) {
      return compiler.reject(
          field, "expected an object (operators or a condition), got " + describe(operand));
    }
    ValueTest element =
        ConditionCompiler.isOperatorObject(operand)
            ? compiler.value(operand, field, false)
            : compiler.condition(operand, field);
    return actual -> {
      if (!actual.isArray()) {
        return false;
      }
      for (int i = 0; i < actual.size(); i++) {
        JsonNode item = actual.get(i);
        if (Comparisons.truthy(item) && element.test(item)) {
          return true;
        }
      }
      return false;
    };
  }

  /** The array's length matches a number or an operator object ({@code {"$gt": 2}}). */
  static ValueTest size(ConditionCompiler compiler, JsonNode operand, String field) {
    if (operand.isIntegralNumber() && operand.canConvertToInt() && operand.intValue() >= 0) {
      int expected = operand.intValue();
      return actual -> actual.isArray() && actual.size() == expected;
    }
    if (!ConditionCompiler.isOperatorObject(operand)) {
      compiler.reject(
          field, "expected a non-negative integer or operators, got " + describe(operand));
    }
    ValueTest length = compiler.value(operand, field, false);
    return actual -> actual.isArray() && length.test(IntNode.valueOf(actual.size()));
  }

  private static boolean anyElement(JsonNode array, ValueTest test) {
    for (int i = 0; i < array.size(); i++) {
      if (test.test(array.get(i))) {
        return true;
      }
    }
    return false;
  }

  private static String describe(JsonNode node) {
    return ConditionCompiler.describe(node);
  }
}
