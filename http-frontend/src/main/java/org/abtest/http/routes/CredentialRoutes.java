package org.abtest.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.abtest.http.limits.EdgeLimits;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.CredentialService;
import org.abtest.http.ports.Role;
import org.abtest.protocol.Json;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /v1/tokens} and {@code /v1/sdk-keys}: issue (the secret is shown once) and revoke; {@code
 * /v1/me}: what the presented credential is (the console enables only what its role may do).
 */
public final class CredentialRoutes extends ApiDirectives {

  private static final Set<String> ROLES = Set.of("viewer", "experimenter", "admin");

  private final CredentialService credentials;
  private final EdgeLimits edge;

  public CredentialRoutes(
      Authenticator authenticator, CredentialService credentials, EdgeLimits edge) {
    super(authenticator);
    this.credentials = credentials;
    this.edge = edge;
  }

  public Route route() {
    return concat(
        path("me", () -> get(this::me)),
        pathPrefix(
            "tokens",
            () ->
                concat(
                    pathEnd(() -> post(this::issueToken)),
                    path(
                        segment(),
                        id -> delete(() -> admin(() -> revoked(credentials.revokeToken(id))))))),
        pathPrefix(
            "sdk-keys",
            () ->
                concat(
                    pathEnd(() -> post(this::issueSdkKey)),
                    path(
                        segment(),
                        id -> delete(() -> admin(() -> revoked(credentials.revokeSdkKey(id))))))));
  }

  /** Any known credential may ask who it is; never the secret. */
  private Route me() {
    return authorizedAs(
        role -> true,
        who -> {
          var body = Json.mapper().createObjectNode();
          body.put("role", who.role().name().toLowerCase(Locale.ROOT));
          body.put("id", who.id());
          body.put("name", who.name());
          if (who.environment() != null) {
            body.put("environment", who.environment());
          }
          if (who.obfuscated()) {
            body.put("obfuscated", true);
          }
          // the limit in force on this node, the key's own or its kind's default
          body.putObject("rateLimit").put("perSecond", edge.perSecond(who));
          return completeJson(200, body);
        });
  }

  private Route admin(Supplier<Route> inner) {
    return authorized(Role::isAdmin, role -> inner.get());
  }

  private Route issueToken() {
    return authorizedAs(
        Role::isAdmin,
        who ->
            jsonObject(
                body -> {
                  JsonFields.rejectUnknown(body, Set.of("role", "name"), "");
                  if (!JsonFields.present(body, "role")) {
                    throw JsonFields.bad("missing_field", "role is required", "role");
                  }
                  Role role =
                      Role.valueOf(
                          JsonFields.oneOf(body.get("role"), ROLES, "role")
                              .toUpperCase(Locale.ROOT));
                  String name = name(body);
                  return completeStage(
                      credentials.issueToken(role, name, who),
                      issued ->
                          json(
                              201,
                              Json.mapper()
                                  .createObjectNode()
                                  .put("id", issued.id())
                                  .put("token", issued.secret())
                                  .put("role", role.name().toLowerCase(Locale.ROOT))
                                  .put("name", issued.name())
                                  .put("createdAt", issued.createdAt().toString())));
                }));
  }

  private Route issueSdkKey() {
    return authorizedAs(
        Role::isAdmin,
        who ->
            jsonObject(
                body -> {
                  JsonFields.rejectUnknown(
                      body, Set.of("environment", "name", "obfuscated", "rateLimit"), "");
                  String environment = JsonFields.key(body.get("environment"), "environment");
                  EnvironmentRequests.registered(
                      environment, credentials.environments().known(), "environment");
                  String name = name(body);
                  boolean obfuscated = obfuscated(body);
                  int perSecond = rateLimit(body.get("rateLimit"));
                  return completeStage(
                      credentials.issueSdkKey(environment, name, obfuscated, perSecond, who),
                      issued -> {
                        ObjectNode reply =
                            Json.mapper()
                                .createObjectNode()
                                .put("id", issued.id())
                                .put("key", issued.secret())
                                .put("environment", environment)
                                .put("name", issued.name())
                                .put("obfuscated", obfuscated)
                                .put("createdAt", issued.createdAt().toString());
                        reply
                            .putObject("rateLimit")
                            .put(
                                "perSecond",
                                issued.rateLimitPerSecond() > 0
                                    ? issued.rateLimitPerSecond()
                                    : edge.settings().sdkKeyPerSecond())
                            .put("default", issued.rateLimitPerSecond() == 0);
                        return json(201, reply);
                      });
                }));
  }

  /** Absent or null: false (keys in clear, as before the field existed). */
  private static boolean obfuscated(ObjectNode body) {
    return JsonFields.present(body, "obfuscated")
        && JsonFields.bool(body.get("obfuscated"), "obfuscated");
  }

  /** {@code {"perSecond": n}}, 1 ≤ n ≤ the configured ceiling; absent: 0, the default. */
  private int rateLimit(JsonNode node) {
    if (node == null || node.isNull()) {
      return 0;
    }
    if (!(node instanceof ObjectNode limit)) {
      throw JsonFields.bad("invalid_type", "rateLimit must be an object", "rateLimit");
    }
    JsonFields.rejectUnknown(limit, Set.of("perSecond"), "rateLimit.");
    if (!JsonFields.present(limit, "perSecond")) {
      throw JsonFields.bad(
          "missing_field", "rateLimit.perSecond is required", "rateLimit.perSecond");
    }
    return JsonFields.intIn(
        limit.get("perSecond"), 1, edge.settings().maxPerSecond(), "rateLimit.perSecond");
  }

  private static String name(ObjectNode body) {
    return JsonFields.present(body, "name") ? JsonFields.text(body.get("name"), "name") : "";
  }

  private Route revoked(CompletionStage<Void> stage) {
    return completeStage(stage, done -> HttpResponse.create().withStatus(StatusCodes.NO_CONTENT));
  }
}
