package org.abtest.http.routes;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.abtest.http.ApiError;
import org.abtest.http.RequestLimits;
import org.abtest.protocol.Json;

/**
 * Reads a request body into a JSON tree within {@link RequestLimits}. Every failure is a 400 in our
 * own words, naming the JSON path where one is known: Jackson's messages quote the input back and
 * name its own features, which tell a client nothing it can act on.
 */
final class JsonBodies {

  private static final Map<RequestLimits, JsonFactory> FACTORIES = new ConcurrentHashMap<>();

  private JsonBodies() {}

  static ObjectNode parseObject(byte[] body, RequestLimits limits) {
    JsonNode node;
    JsonParser parser = null;
    try {
      parser = factory(limits).createParser(body);
      node = Json.mapper().readTree(parser);
      if (node != null && parser.nextToken() != null) {
        throw bad("malformed_json", "the body has more after its JSON value", null);
      }
    } catch (StreamConstraintsException e) {
      throw overLimit(e, limits, parser);
    } catch (JsonProcessingException e) {
      throw unparsable(e, parser);
    } catch (IOException e) {
      throw bad("malformed_json", "the body cannot be read as JSON", null);
    } finally {
      closeQuietly(parser);
    }
    if (!(node instanceof ObjectNode object)) {
      throw bad("malformed_json", "the body must be a JSON object", null);
    }
    JsonTextCheck.check(object, limits);
    return object;
  }

  private static JsonFactory factory(RequestLimits limits) {
    return FACTORIES.computeIfAbsent(
        limits,
        l ->
            JsonFactory.builder()
                .streamReadConstraints(
                    StreamReadConstraints.builder()
                        .maxNestingDepth(l.jsonDepth())
                        .maxStringLength(l.stringChars())
                        .maxNameLength(l.stringChars())
                        .build())
                // {"role": "viewer", "role": "admin"} means whatever the last reader decides
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build());
  }

  // Jackson's message only selects which of our sentences fits; it is never shown.
  private static ApiError overLimit(
      StreamConstraintsException e, RequestLimits limits, JsonParser parser) {
    String what = String.valueOf(e.getOriginalMessage());
    String field = path(parser);
    if (what.contains("depth")) {
      return bad(
          "nesting_too_deep",
          "the body nests objects and arrays deeper than " + limits.jsonDepth() + " levels",
          field);
    }
    if (what.contains("length")) {
      return bad(
          "string_too_long",
          "a string or field name is longer than " + limits.stringChars() + " characters",
          field);
    }
    return bad("malformed_json", "the body exceeds what this endpoint reads", field);
  }

  private static ApiError unparsable(JsonProcessingException e, JsonParser parser) {
    String what = String.valueOf(e.getOriginalMessage());
    String field = path(parser);
    if (what.contains("UTF-8") || what.contains("UTF8") || what.contains("surrogate")) {
      return bad("invalid_text", "the body is not valid UTF-8", field);
    }
    if (what.startsWith("Duplicate field")) {
      return bad("duplicate_field", "a field appears twice in one object", field);
    }
    if (what.contains("end-of-input")) {
      return bad("malformed_json", "the body ends before its JSON value is complete", field);
    }
    JsonLocation at = e.getLocation();
    String where =
        at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    return bad("malformed_json", "the body is not valid JSON" + where, field);
  }

  /** Where the parser stood, as the API writes paths ({@code variants[1].config.color}). */
  static String path(JsonParser parser) {
    if (parser == null) {
      return null;
    }
    Deque<JsonStreamContext> chain = new ArrayDeque<>();
    for (JsonStreamContext c = parser.getParsingContext(); c != null; c = c.getParent()) {
      chain.push(c);
    }
    StringBuilder path = new StringBuilder();
    for (JsonStreamContext c : chain) {
      if (c.inObject() && c.getCurrentName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(c.getCurrentName());
      } else if (c.inArray() && c.getCurrentIndex() >= 0) {
        path.append('[').append(c.getCurrentIndex()).append(']');
      }
    }
    return path.isEmpty() ? null : path.toString();
  }

  private static void closeQuietly(JsonParser parser) {
    if (parser != null) {
      try {
        parser.close();
      } catch (IOException ignored) {
        // a parser over a byte array holds nothing to release
      }
    }
  }

  private static ApiError bad(String code, String message, String field) {
    return ApiError.badRequest(code, message, field);
  }
}
