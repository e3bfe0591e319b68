package org.abtest.protocol.targeting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/** Test shorthand: JSON written with single quotes, and strict matching in one call. */
final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static JsonNode json(String singleQuoted) {
    try {
      return MAPPER.readTree(singleQuoted.replace('\'', '"'));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean matches(String condition, String attributes) {
    return Conditions.compile(json(condition)).matches(json(attributes));
  }

  static boolean matches(String condition, String attributes, SavedGroups groups) {
    return Conditions.compile(json(condition), groups).matches(json(attributes));
  }
}
