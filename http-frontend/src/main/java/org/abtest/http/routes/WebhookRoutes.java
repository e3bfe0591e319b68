package org.abtest.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.Role;
import org.abtest.http.ports.WebhookService;
import org.abtest.protocol.Json;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /v1/webhooks}: add, list and remove, admin only; a secret is never shown back. */
public final class WebhookRoutes extends ApiDirectives {

  private final WebhookService webhooks;

  public WebhookRoutes(Authenticator authenticator, WebhookService webhooks) {
    super(authenticator);
    this.webhooks = webhooks;
  }

  public Route route() {
    return pathPrefix(
        "webhooks",
        () ->
            concat(
                pathEnd(() -> concat(post(this::add), get(this::list))),
                path(
                    segment(),
                    id ->
                        delete(
                            () ->
                                authorized(
                                    Role::isAdmin,
                                    role ->
                                        completeStage(
                                            webhooks.remove(id),
                                            done ->
                                                HttpResponse.create()
                                                    .withStatus(StatusCodes.NO_CONTENT)))))));
  }

  private Route list() {
    return authorized(
        Role::isAdmin,
        role ->
            completeStage(
                webhooks.list(),
                list -> {
                  var body = Json.mapper().createObjectNode();
                  var items = body.putArray("webhooks");
                  list.forEach(w -> items.add(json(w)));
                  return json(200, body);
                }));
  }

  private Route add() {
    return authorizedAs(
        Role::isAdmin,
        who ->
            jsonObject(
                body -> {
                  JsonFields.rejectUnknown(body, Set.of("url", "secret", "events"), "");
                  for (String required : List.of("url", "secret", "events")) {
                    if (!JsonFields.present(body, required)) {
                      throw JsonFields.bad("missing_field", required + " is required", required);
                    }
                  }
                  String url = url(body.get("url"));
                  String secret = JsonFields.nonEmptyText(body.get("secret"), "secret");
                  if (secret.length() > WebhookService.MAX_SECRET_CHARS) {
                    throw JsonFields.bad(
                        "too_long",
                        "secret may have at most "
                            + WebhookService.MAX_SECRET_CHARS
                            + " characters",
                        "secret");
                  }
                  return completeStage(
                      webhooks.add(url, secret, events(body.get("events")), who),
                      w -> json(201, json(w)));
                }));
  }

  /** An absolute http or https URL of bounded length. */
  private static String url(JsonNode value) {
    String url = JsonFields.nonEmptyText(value, "url");
    if (url.length() > WebhookService.MAX_URL_CHARS) {
      throw JsonFields.bad(
          "too_long",
          "url may have at most " + WebhookService.MAX_URL_CHARS + " characters",
          "url");
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return url;
      }
    } catch (java.net.URISyntaxException e) {
      // answered below
    }
    throw JsonFields.bad("invalid_url", "url must be an absolute http or https URL", "url");
  }

  /** A non-empty list of known kinds. */
  private static Set<String> events(JsonNode value) {
    if (value == null || !value.isArray() || value.isEmpty()) {
      throw JsonFields.bad(
          "missing_field",
          "events must be a non-empty array of " + new TreeSet<>(WebhookService.KINDS),
          "events");
    }
    Set<String> out = new TreeSet<>();
    for (int i = 0; i < value.size(); i++) {
      out.add(JsonFields.oneOf(value.get(i), WebhookService.KINDS, "events[" + i + "]"));
    }
    return out;
  }

  private static ObjectNode json(WebhookService.Webhook w) {
    ObjectNode node = Json.mapper().createObjectNode().put("id", w.id()).put("url", w.url());
    w.events().forEach(node.putArray("events")::add);
    return node.put("createdAt", w.createdAt().toString());
  }
}
