package org.abtest.http.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.abtest.http.ports.AssignmentService;
import org.abtest.http.ports.AssignmentService.Explanation;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Evaluation;
import org.abtest.protocol.assignment.FlagKey;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * OFREP answers, as the protocol's OpenAPI shapes them: a success {@code {key, value, reason,
 * variant, metadata}} (no {@code value} when the caller's default applies, reason {@code DEFAULT}),
 * a failure {@code {key, errorCode, errorDetails}} (404 for FLAG_NOT_FOUND, 400 otherwise), a bulk
 * {@code {flags, metadata}} with a strong ETag over its bytes, so that {@code If-None-Match}
 * answers 304 exactly when this unit's flags are unchanged.
 */
final class OfrepJson {

  /** The unit and its attributes, checked. */
  record Context(String unit, ObjectNode attributes) {}

  /** A request refused with an OFREP error code (400). */
  static final class Failure extends RuntimeException {
    private final String code;

    Failure(String code, String details) {
      super(details, null, false, false);
      this.code = code;
    }

    String code() {
      return code;
    }
  }

  private OfrepJson() {}

  static HttpResponse failure(String key, Failure f) {
    ObjectNode body = Json.mapper().createObjectNode();
    if (key != null) {
      body.put("key", key);
    }
    body.put("errorCode", f.code());
    body.put("errorDetails", f.getMessage());
    body.putObject("metadata");
    return json(400, body);
  }

  static HttpResponse notFound(String key, String details) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("key", key);
    body.put("errorCode", "FLAG_NOT_FOUND");
    body.put("errorDetails", details);
    body.putObject("metadata");
    return json(404, body);
  }

  static HttpResponse single(FlagKey flag, Evaluation e) {
    String key =
        flag.path().isEmpty() ? flag.experiment() : flag.experiment() + "/" + flag.pathText();
    ObjectNode body = flag(key, flag, e);
    if (!body.has("errorCode")) {
      return json(200, body);
    }
    return json("FLAG_NOT_FOUND".equals(body.get("errorCode").asText()) ? 404 : 400, body);
  }

  static HttpResponse bulk(AssignmentService.Explained explained, Optional<String> ifNoneMatch) {
    ObjectNode body = Json.mapper().createObjectNode();
    ArrayNode flags = body.putArray("flags");
    for (Explanation x : explained.explanations()) {
      flags.add(flag(x.experiment(), FlagKey.parse(x.experiment()), x.evaluation()));
    }
    body.putObject("metadata").put("manifestVersion", explained.manifestVersion());
    byte[] bytes = bytes(body);
    String etag = etag(bytes);
    RawHeader header = RawHeader.create("ETag", etag);
    if (ifNoneMatch.isPresent() && matches(ifNoneMatch.get(), etag)) {
      return HttpResponse.create().withStatus(StatusCodes.NOT_MODIFIED).addHeader(header);
    }
    return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, bytes).addHeader(header);
  }

  /** One flag's answer: a success, or a failure with its OpenFeature error code. */
  private static ObjectNode flag(String key, FlagKey flag, Evaluation e) {
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("key", key);
    Evaluation.Outcome outcome = e.outcome();
    if (outcome.errorCode() != null) {
      out.put("errorCode", outcome.errorCode());
      out.put("errorDetails", outcome.problem(flag.experiment()));
    } else if (!outcome.assigned()) {
      out.put("reason", outcome.reason());
    } else {
      JsonNode config = e.assignment().config();
      JsonNode value =
          config == null || config.isNull() ? Json.mapper().createObjectNode() : config;
      if (flag.path().isEmpty()) {
        out.set("value", value);
        out.put("variant", e.assignment().variant());
        out.put("reason", outcome.reason());
      } else if (flag.lookup(config) instanceof FlagKey.Found found) {
        out.set("value", found.value());
        out.put("variant", e.assignment().variant());
        out.put("reason", outcome.reason());
      } else {
        // nothing at the path (or a non-object on the way): the caller's default, as in Java
        out.put("reason", "DEFAULT");
      }
    }
    ObjectNode metadata = out.putObject("metadata");
    flag.metadata(e).forEach(metadata::put);
    return out;
  }

  /** Whether an {@code If-None-Match} value names this ETag ({@code *}, a list, weak or not). */
  static boolean matches(String ifNoneMatch, String etag) {
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.trim();
      if (c.startsWith("W/")) {
        c = c.substring(2);
      }
      if (c.equals("*") || c.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  private static String etag(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static byte[] bytes(JsonNode body) {
    try {
      return Json.mapper().writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      // a unit's own attributes never reach the answer; configs were written once already
      return body.toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  private static HttpResponse json(int status, ObjectNode body) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(ContentTypes.APPLICATION_JSON, bytes(body));
  }
}
