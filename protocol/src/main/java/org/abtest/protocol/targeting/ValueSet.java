package org.abtest.protocol.targeting;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The operand of {@code $in}-style operators and of saved groups, prepared for lookups that do not
 * allocate. Membership is JavaScript's {@code includes}: same type and value, so {@code "2"} is not
 * in {@code [2]}, and arrays or objects in the operand never match anything. An array attribute
 * matches if any of its elements is a member (GrowthBook's intersection rule).
 */
final class ValueSet {

  static final ValueSet EMPTY = new ValueSet(Set.of(), new double[0], false, false, false, false);

  private final Set<String> strings;
  private final double[] numbers; // sorted, -0 folded into 0
  private final boolean hasTrue;
  private final boolean hasFalse;
  private final boolean hasNull;
  private final boolean caseFolded;

  private ValueSet(
      Set<String> strings,
      double[] numbers,
      boolean hasTrue,
      boolean hasFalse,
      boolean hasNull,
      boolean caseFolded) {
    this.strings = strings;
    this.numbers = numbers;
    this.hasTrue = hasTrue;
    this.hasFalse = hasFalse;
    this.hasNull = hasNull;
    this.caseFolded = caseFolded;
  }

  /**
   * @param caseFolded compare strings lower-cased on both sides ({@code $ini}, {@code $nini})
   */
  static ValueSet of(JsonNode array, boolean caseFolded) {
    Set<String> strings = new HashSet<>();
    double[] numbers = new double[array.size()];
    int count = 0;
    boolean hasTrue = false;
    boolean hasFalse = false;
    boolean hasNull = false;
    for (JsonNode element : array) {
      if (element.isTextual()) {
        strings.add(caseFolded ? fold(element.textValue()) : element.textValue());
      } else if (element.isNumber()) {
        numbers[count++] = element.doubleValue() + 0.0;
      } else if (element.isBoolean()) {
        hasTrue |= element.booleanValue();
        hasFalse |= !element.booleanValue();
      } else if (element.isNull()) {
        hasNull = true;
      }
    }
    numbers = Arrays.copyOf(numbers, count);
    Arrays.sort(numbers);
    return new ValueSet(Set.copyOf(strings), numbers, hasTrue, hasFalse, hasNull, caseFolded);
  }

  /** The attribute, or for an array attribute any of its elements, is a member. */
  boolean matches(JsonNode value) {
    if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        if (contains(value.get(i))) {
          return true;
        }
      }
      return false;
    }
    return contains(value);
  }

  boolean contains(JsonNode value) {
    if (value.isTextual()) {
      return strings.contains(caseFolded ? fold(value.textValue()) : value.textValue());
    }
    if (value.isNumber()) {
      return Arrays.binarySearch(numbers, value.doubleValue() + 0.0) >= 0;
    }
    if (value.isBoolean()) {
      return value.booleanValue() ? hasTrue : hasFalse;
    }
    return value.isNull() && hasNull;
  }

  private static String fold(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
