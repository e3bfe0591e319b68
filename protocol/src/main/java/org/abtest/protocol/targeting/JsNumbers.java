package org.abtest.protocol.targeting;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * JavaScript's number-to-string and string-to-number conversions. GrowthBook coerces with them
 * ({@code value + ""}, {@code value * 1}, {@code "8" > 5}), so conditions must agree with them to
 * give the same answers on the same attributes.
 */
final class JsNumbers {

  private static final double EXACT_LONG_LIMIT = 9.007199254740992E15; // 2^53

  private JsNumbers() {}

  /** {@code Number::toString}: {@code 10}, {@code 1.5}, {@code 1e+21}, {@code 1e-7}. */
  static String format(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return "0"; // also -0
    }
    if (d < 0) {
      return "-" + format(-d);
    }
    if (d < EXACT_LONG_LIMIT && d == Math.rint(d)) {
      return Long.toString((long) d);
    }
    BigDecimal exact = shortest(d);
    String digits = exact.unscaledValue().toString();
    int k = digits.length();
    int n = k - exact.scale(); // value = 0.digits × 10^n
    if (k <= n && n <= 21) {
      return digits + "0".repeat(n - k);
    }
    if (0 < n && n <= 21) {
      return digits.substring(0, n) + "." + digits.substring(n);
    }
    if (-6 < n && n <= 0) {
      return "0." + "0".repeat(-n) + digits;
    }
    int exponent = n - 1;
    String mantissa = k == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.abs(exponent);
  }

  // The fewest significant digits that read back as d, nearest first, as JavaScript picks them.
  // (Java 17's Double.toString sometimes prints a digit more: 1.15292150460684698E18.)
  private static BigDecimal shortest(double d) {
    BigDecimal exact = new BigDecimal(d);
    for (int digits = 1; digits < 17; digits++) {
      BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == d) {
        return rounded.stripTrailingZeros();
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
  }

  /**
   * {@code StringToNumber}: trimmed; empty is 0; decimal, {@code 0x/0o/0b} or Infinity; else NaN.
   */
  static double parse(String s) {
    int begin = 0;
    int end = s.length();
    while (begin < end && isWhitespace(s.charAt(begin))) {
      begin++;
    }
    while (end > begin && isWhitespace(s.charAt(end - 1))) {
      end--;
    }
    if (begin == end) {
      return 0;
    }
    if (end - begin > 2 && s.charAt(begin) == '0') {
      int radix = radix(s.charAt(begin + 1));
      if (radix != 0) {
        return parseRadix(s.substring(begin + 2, end), radix);
      }
    }
    int i = begin;
    boolean negative = s.charAt(i) == '-';
    if (negative || s.charAt(i) == '+') {
      i++;
    }
    if (end - i == 8 && s.startsWith("Infinity", i)) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return isDecimalLiteral(s, i, end) ? Double.parseDouble(s.substring(begin, end)) : Double.NaN;
  }

  private static int radix(char c) {
    switch (c) {
      case 'x':
      case 'X':
        return 16;
      case 'o':
      case 'O':
        return 8;
      case 'b':
      case 'B':
        return 2;
      default:
        return 0;
    }
  }

  private static double parseRadix(String digits, int radix) {
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), radix) < 0) {
        return Double.NaN;
      }
    }
    return new BigInteger(digits, radix).doubleValue();
  }

  // digits [. digits] | . digits, then an optional exponent; no suffixes, no hex floats.
  private static boolean isDecimalLiteral(String s, int i, int end) {
    int digits = 0;
    while (i < end && isDigit(s.charAt(i))) {
      i++;
      digits++;
    }
    if (i < end && s.charAt(i) == '.') {
      i++;
      while (i < end && isDigit(s.charAt(i))) {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int exponentDigits = 0;
      while (i < end && isDigit(s.charAt(i))) {
        i++;
        exponentDigits++;
      }
      if (exponentDigits == 0) {
        return false;
      }
    }
    return i == end;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  // ECMAScript WhiteSpace and LineTerminator.
  private static boolean isWhitespace(char c) {
    return c == ' '
        || (c >= '\t' && c <= '\r')
        || c == '\u00A0'
        || c == '\u1680'
        || (c >= '\u2000' && c <= '\u200A')
        || c == '\u2028'
        || c == '\u2029'
        || c == '\u202F'
        || c == '\u205F'
        || c == '\u3000'
        || c == '\uFEFF';
  }
}
