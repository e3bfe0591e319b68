package org.abtest.protocol.targeting;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One node of a compiled condition: a predicate on a single JSON value. The same shape serves the
 * whole attribute object (a condition), one attribute (an operator) and one array element ({@code
 * $elemMatch}), so trees nest without adapters.
 */
@FunctionalInterface
interface ValueTest {

  ValueTest ALWAYS = value -> true;
  ValueTest NEVER = value -> false;

  /**
   * @param value never Java {@code null}: a missing attribute arrives as {@code NullNode}, because
   *     GrowthBook does not tell missing from null either
   */
  boolean test(JsonNode value);

  static ValueTest not(ValueTest inner) {
    if (inner == ALWAYS) {
      return NEVER;
    }
    if (inner == NEVER) {
      return ALWAYS;
    }
    return value -> !inner.test(value);
  }

  static ValueTest allOf(ValueTest[] parts) {
    switch (parts.length) {
      case 0:
        return ALWAYS;
      case 1:
        return parts[0];
      case 2:
        ValueTest first = parts[0];
        ValueTest second = parts[1];
        return value -> first.test(value) && second.test(value);
      default:
        return value -> {
          for (ValueTest part : parts) {
            if (!part.test(value)) {
              return false;
            }
          }
          return true;
        };
    }
  }

  /** An empty {@code $or} passes, as in GrowthBook. */
  static ValueTest anyOf(ValueTest[] parts) {
    if (parts.length == 0) {
      return ALWAYS;
    }
    if (parts.length == 1) {
      return parts[0];
    }
    return value -> {
      for (ValueTest part : parts) {
        if (part.test(value)) {
          return true;
        }
      }
      return false;
    };
  }
}
