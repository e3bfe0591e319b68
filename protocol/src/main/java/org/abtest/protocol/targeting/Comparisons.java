package org.abtest.protocol.targeting;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * GrowthBook's type coercion, which is JavaScript's: a string condition matches {@code value + ""}
 * (so {@code 8} matches {@code "8"} and a missing attribute matches {@code "null"}), a number
 * condition matches {@code value * 1}, and {@code $gt}-style operators compare two strings as
 * strings and anything else as numbers (null is 0, so a missing attribute is 0; arrays compare as
 * their comma-joined text).
 */
final class Comparisons {

  static final int LESS = -1;
  static final int EQUAL = 0;
  static final int GREATER = 1;

  /** Either side is NaN: every ordering operator is false. */
  static final int UNORDERED = 2;

  private Comparisons() {}

  /** A compile-time operand of an ordering operator, already reduced to a JavaScript primitive. */
  record Operand(boolean isString, String string, double number) {

    static Operand of(JsonNode expected) {
      if (expected.isTextual() || expected.isContainerNode()) {
        String text = toJsString(expected);
        return new Operand(true, text, JsNumbers.parse(text));
      }
      return new Operand(false, null, toNumber(expected));
    }
  }

  /** {@code actual < / == / > expected} under JavaScript's abstract relational comparison. */
  static int compare(JsonNode actual, Operand expected) {
    if (actual.isTextual() || actual.isContainerNode()) {
      String text = actual.isTextual() ? actual.textValue() : toJsString(actual);
      if (expected.isString()) {
        return Integer.signum(text.compareTo(expected.string()));
      }
      return compare(JsNumbers.parse(text), expected.number());
    }
    return compare(toNumber(actual), expected.number());
  }

  private static int compare(double a, double b) {
    if (a < b) {
      return LESS;
    }
    if (a > b) {
      return GREATER;
    }
    return a == b ? EQUAL : UNORDERED;
  }

  /** {@code ToNumber}: null 0, booleans 0/1, strings parsed, arrays via their text, objects NaN. */
  static double toNumber(JsonNode value) {
    if (value.isNumber()) {
      return value.doubleValue();
    }
    if (value.isTextual()) {
      return JsNumbers.parse(value.textValue());
    }
    if (value.isBoolean()) {
      return value.booleanValue() ? 1 : 0;
    }
    if (value.isArray()) {
      return JsNumbers.parse(toJsString(value));
    }
    return value.isObject() ? Double.NaN : 0;
  }

  /** {@code String(value)}: arrays join with commas, objects are {@code [object Object]}. */
  static String toJsString(JsonNode value) {
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isNumber()) {
      return JsNumbers.format(value.doubleValue());
    }
    if (value.isBoolean()) {
      return value.booleanValue() ? "true" : "false";
    }
    if (value.isArray()) {
      StringBuilder joined = new StringBuilder();
      for (int i = 0; i < value.size(); i++) {
        if (i > 0) {
          joined.append(',');
        }
        JsonNode element = value.get(i);
        if (!element.isNull()) {
          joined.append(toJsString(element));
        }
      }
      return joined.toString();
    }
    return value.isObject() ? "[object Object]" : "null";
  }

  /** JavaScript truthiness: false, 0, NaN, "" and null are falsy; arrays and objects are not. */
  static boolean truthy(JsonNode value) {
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isNumber()) {
      double d = value.doubleValue();
      return d != 0 && !Double.isNaN(d);
    }
    if (value.isTextual()) {
      return !value.textValue().isEmpty();
    }
    return value.isContainerNode();
  }

  /** GrowthBook's {@code typeof}-based type name; a missing attribute is {@code "null"}. */
  static String typeOf(JsonNode value) {
    if (value.isTextual()) {
      return "string";
    }
    if (value.isNumber()) {
      return "number";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    if (value.isArray()) {
      return "array";
    }
    return value.isObject() ? "object" : "null";
  }

  /**
   * {@code JSON.stringify(a) === JSON.stringify(b)} without building either string: same shape,
   * same key order, numbers equal as doubles.
   */
  static boolean sameJson(JsonNode a, JsonNode b) {
    if (a.isNumber() || b.isNumber()) {
      return a.isNumber() && b.isNumber() && a.doubleValue() == b.doubleValue();
    }
    if (a.getNodeType() != b.getNodeType() || a.size() != b.size()) {
      return false;
    }
    if (a.isArray()) {
      for (int i = 0; i < a.size(); i++) {
        if (!sameJson(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> left = a.properties().iterator();
      Iterator<Map.Entry<String, JsonNode>> right = b.properties().iterator();
      while (left.hasNext()) {
        Map.Entry<String, JsonNode> l = left.next();
        Map.Entry<String, JsonNode> r = right.next();
        if (!l.getKey().equals(r.getKey()) || !sameJson(l.getValue(), r.getValue())) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }
}
