package org.abtest.protocol.targeting;

import java.util.Locale;

/**
 * Implicit equality against a literal ({@code {"country": "US"}}), with GrowthBook's coercion: a
 * string literal matches {@code value + ""}, a number literal matches {@code value * 1}, a boolean
 * literal matches any non-null value of that truthiness. So {@code {"n": "8"}} matches {@code 8},
 * {@code {"n": 10}} matches {@code "10"}, and {@code {"flag": false}} matches {@code 0} but not a
 * missing attribute.
 */
final class Literals {

  private Literals() {}

  static ValueTest equalsAsString(String expected) {
    // Precomputed so that the common attribute types compare without building their text.
    double asNumber = JsNumbers.parse(expected);
    boolean numberText = !Double.isNaN(asNumber) && JsNumbers.format(asNumber).equals(expected);
    boolean trueText = expected.equals("true");
    boolean falseText = expected.equals("false");
    boolean nullText = expected.equals("null");
    return actual -> {
      if (actual.isTextual()) {
        return actual.textValue().equals(expected);
      }
      if (actual.isNumber()) {
        return numberText && actual.doubleValue() == asNumber;
      }
      if (actual.isBoolean()) {
        return actual.booleanValue() ? trueText : falseText;
      }
      if (actual.isNull()) {
        return nullText;
      }
      return Comparisons.toJsString(actual).equals(expected);
    };
  }

  /** Only {@code $alli} items use this: {@code String(value).toLowerCase() === lower}. */
  static ValueTest equalsIgnoringCase(String expected) {
    String lower = expected.toLowerCase(Locale.ROOT);
    return actual -> Comparisons.toJsString(actual).toLowerCase(Locale.ROOT).equals(lower);
  }

  static ValueTest equalsAsNumber(double expected) {
    return actual -> Comparisons.toNumber(actual) == expected;
  }

  static ValueTest equalsAsBoolean(boolean expected) {
    return actual -> !actual.isNull() && Comparisons.truthy(actual) == expected;
  }
}
