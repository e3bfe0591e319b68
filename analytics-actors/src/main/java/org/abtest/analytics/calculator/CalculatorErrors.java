package org.abtest.analytics.calculator;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Collection;
import java.util.Map;

/**
 * Binding failures in our own words. Jackson's messages name its coercion settings and Java types
 * ("Cannot coerce … CoercionConfig"); a caller needs the field and what it should have been.
 */
final class CalculatorErrors {

  private CalculatorErrors() {}

  static InvalidInput binding(JsonMappingException e) {
    String field = path(e);
    String subject = field == null ? "the body" : field;
    if (e instanceof UnrecognizedPropertyException u) {
      String name = u.getPropertyName();
      return new InvalidInput(
          "unknown_field",
          "'" + name + "' is not a field of this request",
          field == null ? name : field);
    }
    Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
    return new InvalidInput("invalid_type", subject + " must be " + expected(target), field);
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == Double.class || type == double.class || type == Float.class) {
      return "a number";
    }
    if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
      return "an integer";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "an object";
    }
    return "of another type";
  }

  /** The API's path notation: {@code variants[1].covariate.sum}. */
  static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.isEmpty() ? null : path.toString();
  }

  static InvalidInput tooMany(String field, int max, String what) {
    return new InvalidInput(
        "too_many_items", field + " may list at most " + max + " " + what, field);
  }

  static InvalidInput tooCostly(String field) {
    return new InvalidInput(
        "too_costly",
        "this calculation needs more work than one request may ask for; send fewer " + field,
        field);
  }

  /** Commons-math gave up on the numbers (no convergence, out of its domain). */
  static InvalidInput notComputable() {
    return new InvalidInput(
        "not_computable", "these numbers are outside what the calculator can compute", null);
  }
}
