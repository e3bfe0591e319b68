package org.abtest.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.http.ApiError;
import org.abtest.http.ports.AssignmentService;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.Authenticator.Principal;
import org.abtest.http.ports.Role;
import org.abtest.protocol.Json;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code /v1/assignments}: a unit's variants, answered from the node's in-memory manifest. Bad
 * input is a 400; nothing on the server side ever makes this a 5xx (the service fails open).
 *
 * <p>GET takes attributes as query parameters, so every attribute arrives as a string ({@code
 * ?age=30} is {@code "30"}); targeting that compares numbers or booleans needs POST. POST also
 * takes {@code "overrides": {"experiment": "variant"}}, honoured for admin credentials only. The
 * unit id and attributes keep the events' limits (too long, too large, lone surrogates: 400 naming
 * the field), since every assignment listed is logged as an exposure that must fit them. An
 * obfuscated SDK key gets experiment and variant keys as keyed hashes, as in its manifest.
 */
public final class AssignmentRoutes extends ApiDirectives {

  private final AssignmentService assignments;

  public AssignmentRoutes(Authenticator authenticator, AssignmentService assignments) {
    super(authenticator);
    this.assignments = assignments;
  }

  public Route route() {
    return path(
        "assignments",
        () ->
            concat(
                post(
                    () ->
                        optionalHeaderValueByName(
                            "Authorization",
                            header ->
                                entity(
                                    Unmarshaller.entityToByteString(),
                                    body -> completeWithFuture(post(header, body.toArray()))))),
                authorizedAs(Role::canEvaluate, who -> get(() -> fromQuery(who)))));
  }

  /**
   * {@code POST /v1/assignments} as one function of its credential and body, so that {@link
   * org.abtest.http.ApiRoutes} can answer a complete request directly, without the routing tree;
   * the route above calls it too. Never throws: errors are JSON responses.
   */
  public CompletionStage<HttpResponse> post(Optional<String> authorization, byte[] body) {
    return postAs(identify(authorization), body);
  }

  /** As {@link #post}, for a caller that has already identified the credential. */
  public CompletionStage<HttpResponse> postAs(Optional<Principal> principal, byte[] body) {
    try {
      HttpResponse refused = refusal(principal, Role::canEvaluate);
      if (refused != null) {
        return CompletableFuture.completedFuture(refused);
      }
      return fromBody(parseObject(body), principal.get());
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(error(e));
    }
  }

  private CompletionStage<HttpResponse> fromBody(ObjectNode body, Principal who) {
    JsonNode unit = body.get("unit");
    if (unit == null || !unit.isTextual() || unit.asText().isEmpty()) {
      throw ApiError.badRequest("missing_field", "unit must be a non-empty string", "unit");
    }
    EventChecks.unit(unit.asText(), assignments.limits());
    JsonNode attributes = body.get("attributes");
    if (attributes != null && !attributes.isNull() && !attributes.isObject()) {
      throw ApiError.badRequest("invalid_type", "attributes must be a JSON object", "attributes");
    }
    EventChecks.attributes(attributes, assignments.limits());
    JsonNode logNode = body.get("log");
    if (logNode != null && !logNode.isBoolean()) {
      throw ApiError.badRequest("invalid_type", "log must be true or false", "log");
    }
    boolean log = logNode == null || logNode.asBoolean();
    ObjectNode attrs = attributes instanceof ObjectNode o ? o : Json.mapper().createObjectNode();
    Map<String, String> overrides = overrides(body.get("overrides"));
    // Request overrides are for QA: only an admin credential's are honoured; an SDK key's are
    // ignored rather than refused, so a stray field never breaks a production caller.
    return answer(who, unit.asText(), attrs, log, who.role() == Role.ADMIN ? overrides : Map.of());
  }

  /** Once the unit's stored sticky variants are ready (at once, in most cases). */
  private CompletionStage<HttpResponse> answer(
      Principal who, String unit, ObjectNode attrs, boolean log, Map<String, String> overrides) {
    String environment = who.servedEnvironment();
    return assignments
        .prepare(environment, unit)
        .thenApply(
            ready ->
                AssignmentJson.response(
                    assignments.assign(environment, unit, attrs, log, overrides, who.obfuscated())))
        .exceptionally(ApiDirectives::error);
  }

  private static Map<String, String> overrides(JsonNode node) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw ApiError.badRequest(
          "invalid_type", "overrides must map experiment keys to variant keys", "overrides");
    }
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw ApiError.badRequest(
            "invalid_type", "an override must be a variant key", "overrides." + e.getKey());
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  private Route fromQuery(Principal who) {
    return parameterMap(
        params ->
            guarded(
                () -> {
                  String unit = params.get("unit");
                  if (unit == null || unit.isEmpty()) {
                    throw ApiError.badRequest(
                        "missing_field", "the unit query parameter is required", "unit");
                  }
                  ObjectNode attrs = Json.mapper().createObjectNode();
                  for (Map.Entry<String, String> p : params.entrySet()) {
                    if (!p.getKey().equals("unit") && !p.getKey().equals("log")) {
                      attrs.put(p.getKey(), p.getValue());
                    }
                  }
                  EventChecks.unit(unit, assignments.limits());
                  EventChecks.attributes(attrs, assignments.limits());
                  boolean log = !"false".equals(params.get("log"));
                  return completeWithFuture(answer(who, unit, attrs, log, Map.of()));
                }));
  }
}
