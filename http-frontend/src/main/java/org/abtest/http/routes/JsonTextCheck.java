package org.abtest.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.abtest.http.ApiError;
import org.abtest.http.RequestLimits;

/**
 * One walk over a parsed body for what the parser does not refuse: a string or field name with a
 * lone surrogate (it has no UTF-8 form, so Cassandra, Kafka and the journal would fail on it long
 * after the request was accepted, as a 503), a string longer than the limit, an object with too
 * many fields.
 */
final class JsonTextCheck {

  private JsonTextCheck() {}

  static void check(JsonNode root, RequestLimits limits) {
    walk(root, "", limits);
  }

  private static void walk(JsonNode node, String path, RequestLimits limits) {
    if (node.isTextual()) {
      text(node.textValue(), path, limits);
    } else if (node.isObject()) {
      if (node.size() > limits.objectFields()) {
        throw ApiError.badRequest(
            "too_many_fields",
            (path.isEmpty() ? "the body" : path)
                + " has more than "
                + limits.objectFields()
                + " fields",
            path.isEmpty() ? null : path);
      }
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        // a broken name cannot name itself (it has no UTF-8 form): the error names its parent
        text(field.getKey(), path, limits);
        walk(
            field.getValue(),
            path.isEmpty() ? field.getKey() : path + "." + field.getKey(),
            limits);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), path + "[" + i + "]", limits);
      }
    }
  }

  private static void text(String s, String path, RequestLimits limits) {
    String field = path.isEmpty() ? null : path;
    if (!TextChecks.wellFormed(s)) {
      throw ApiError.badRequest(
          "invalid_text",
          (field == null ? "a field name of the body" : field)
              + " holds a lone UTF-16 surrogate, which is not text",
          field);
    }
    if (s.length() > limits.stringChars()) {
      throw ApiError.badRequest(
          "string_too_long",
          (field == null ? "a field name of the body" : field)
              + " is longer than "
              + limits.stringChars()
              + " characters",
          field);
    }
  }
}
