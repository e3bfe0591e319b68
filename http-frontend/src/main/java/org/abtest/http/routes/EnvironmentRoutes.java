package org.abtest.http.routes;

import java.util.Set;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.EnvironmentRegistry;
import org.abtest.http.ports.Role;
import org.abtest.protocol.Json;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /v1/environments}: the environments SDK keys are issued for and experiments are enabled
 * in. Anyone who may read experiments may list them; an admin adds one.
 */
public final class EnvironmentRoutes extends ApiDirectives {

  private final EnvironmentRegistry environments;

  public EnvironmentRoutes(Authenticator authenticator, EnvironmentRegistry environments) {
    super(authenticator);
    this.environments = environments;
  }

  public Route route() {
    return path("environments", () -> concat(get(this::list), post(this::add)));
  }

  private Route list() {
    return authorized(
        Role::canRead,
        role ->
            completeStage(
                environments.list(),
                list -> {
                  var body = Json.mapper().createObjectNode();
                  var items = body.putArray("environments");
                  list.forEach(e -> items.add(json(e)));
                  return json(200, body);
                }));
  }

  private Route add() {
    return authorizedAs(
        Role::isAdmin,
        who ->
            jsonObject(
                body -> {
                  JsonFields.rejectUnknown(body, Set.of("key"), "");
                  if (!JsonFields.present(body, "key")) {
                    throw JsonFields.bad("missing_field", "key is required", "key");
                  }
                  String key = JsonFields.key(body.get("key"), "key");
                  return completeStage(environments.add(key, who), e -> json(201, json(e)));
                }));
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode json(
      EnvironmentRegistry.Environment e) {
    var node = Json.mapper().createObjectNode().put("key", e.key()).put("builtIn", e.builtIn());
    if (e.createdAt() != null) {
      node.put("createdAt", e.createdAt().toString());
    }
    return node;
  }
}
