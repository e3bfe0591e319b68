package org.abtest.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.abtest.http.ApiError;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.Authenticator.Principal;
import org.abtest.http.ports.EnvironmentRegistry;
import org.abtest.http.ports.ExperimentService;
import org.abtest.http.ports.ExperimentService.Described;
import org.abtest.http.ports.Role;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.Author;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentPatch;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.Lifecycle;
import org.abtest.protocol.experiment.Overlaps;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /v1/experiments}: create, list, read, change, delete, lifecycle, archive and history. */
public final class ExperimentRoutes extends ApiDirectives {

  private final ExperimentService experiments;
  private final EnvironmentRegistry environments;
  private final Clock clock;

  public ExperimentRoutes(Authenticator authenticator, ExperimentService experiments, Clock clock) {
    this(authenticator, experiments, EnvironmentRegistry.DEFAULTS_ONLY, clock);
  }

  /** {@code environments}: what an experiment's {@code environments} may name. */
  public ExperimentRoutes(
      Authenticator authenticator,
      ExperimentService experiments,
      EnvironmentRegistry environments,
      Clock clock) {
    super(authenticator);
    this.experiments = experiments;
    this.environments = environments;
    this.clock = clock;
  }

  public Route route() {
    return pathPrefix(
        "experiments",
        () ->
            concat(
                pathEnd(() -> concat(post(this::create), get(this::list))),
                path(
                    segment(),
                    key ->
                        concat(
                            get(() -> read(key)),
                            patch(() -> change(key)),
                            delete(() -> remove(key)))),
                path(segment().slash("history"), key -> get(() -> history(key))),
                path(segment().slash("archive"), key -> post(() -> archive(key, true))),
                path(segment().slash("unarchive"), key -> post(() -> archive(key, false))),
                lifecycle(Lifecycle.START),
                lifecycle(Lifecycle.PAUSE),
                lifecycle(Lifecycle.RESUME),
                path(segment().slash("conclude"), key -> post(() -> conclude(key))),
                lifecycle(Lifecycle.KILL)));
  }

  private Route create() {
    return authorizedAs(
        Role::canEdit,
        who ->
            jsonObject(
                body -> {
                  Experiment definition =
                      ExperimentRequests.parseCreate(body, bounds(), clock.instant());
                  EnvironmentRequests.registered(definition.environments(), environments.known());
                  return completeStage(
                      experiments.create(definition, author(who)).thenCompose(this::withOverlaps),
                      created -> created);
                }));
  }

  /**
   * The 201 of a create, with {@code warnings} naming the running experiments it overlaps ({@link
   * Overlaps}) when there are any. Listing them never fails the create: without the list, no
   * warnings.
   */
  private CompletionStage<HttpResponse> withOverlaps(Described created) {
    return experiments
        .list(ExperimentStatus.RUNNING)
        .handle(
            (running, error) -> {
              List<Overlaps.Overlap> overlaps =
                  error == null ? Overlaps.of(created.experiment(), running) : List.of();
              return described(201, created, overlaps);
            });
  }

  private Route list() {
    return authorized(
        Role::canRead,
        role ->
            parameterOptional(
                "status",
                status ->
                    parameterOptional(
                        "archived",
                        archived ->
                            guarded(
                                () -> {
                                  ExperimentStatus filter =
                                      status.map(ExperimentRoutes::status).orElse(null);
                                  return completeStage(
                                      experiments.list(filter, archived(archived)), 200);
                                }))));
  }

  /** A draft only, by an admin: 204, and the key answers 404 from then on. */
  private Route remove(String key) {
    return authorizedAs(
        Role::isAdmin,
        who ->
            completeStage(
                experiments.transition(key, Lifecycle.DELETE, author(who)),
                deleted -> HttpResponse.create().withStatus(204)));
  }

  /**
   * A concluded or killed experiment, by an admin: hidden from the default list, or shown again.
   */
  private Route archive(String key, boolean archived) {
    return authorizedAs(
        Role::isAdmin,
        who ->
            completeStage(
                experiments.archive(key, archived, author(who)),
                described -> described(200, described)));
  }

  private Route read(String key) {
    return authorized(
        Role::canRead,
        role -> completeStage(experiments.describe(key), described -> described(200, described)));
  }

  /**
   * If-Match carries the version the change was made against; without it the change is 428. A
   * change only an admin may make to a started experiment ({@link PatchAuthority}) is checked
   * against the experiment at that version: if its status moved since, so did its version, and the
   * entity refuses the patch as stale.
   */
  private Route change(String key) {
    return authorizedAs(
        Role::canEdit,
        who ->
            optionalHeaderValueByName(
                "If-Match",
                ifMatch ->
                    jsonObject(
                        body -> {
                          long version = expectedVersion(ifMatch);
                          var patch =
                              ExperimentRequests.parsePatch(body, bounds(), clock.instant());
                          EnvironmentRequests.registered(patch.changes(), environments.known());
                          return completeStage(
                              authorizedPatch(key, version, patch.changes(), who.role())
                                  .thenCompose(
                                      ok ->
                                          experiments.patch(
                                              key,
                                              version,
                                              patch.changes(),
                                              patch.sticky(),
                                              author(who))),
                              described -> described(200, described));
                        })));
  }

  private CompletionStage<Void> authorizedPatch(
      String key, long version, ExperimentPatch changes, Role role) {
    if (!PatchAuthority.mayNeedAdmin(changes, role)) {
      return CompletableFuture.completedFuture(null);
    }
    return experiments
        .get(key)
        .thenApply(
            current -> {
              var field = PatchAuthority.adminField(changes, current.status(), role);
              if (field.isPresent() && current.version() == version) {
                throw PatchAuthority.forbidden(field.get(), current.status());
              }
              return null;
            });
  }

  private Route history(String key) {
    return authorized(
        Role::canRead,
        role ->
            completeStage(
                experiments.history(key),
                entries -> {
                  ObjectNode body = Json.mapper().createObjectNode();
                  body.put("experiment", key);
                  body.set("history", Json.mapper().valueToTree(entries));
                  return json(200, body);
                }));
  }

  /** Experimenters start, pause and resume; only admins conclude or kill (API.md). */
  private Route lifecycle(Lifecycle action) {
    String name = action.name().toLowerCase(Locale.ROOT);
    return path(
        segment().slash(name),
        key ->
            post(
                () ->
                    authorizedAs(
                        action.adminOnly() ? Role::isAdmin : Role::canEdit,
                        who ->
                            completeStage(
                                experiments.transition(key, action, author(who)),
                                described -> described(200, described)))));
  }

  /**
   * An admin's conclude, with an optional body {@code {"ship": "<variant key>"}}: that variant
   * keeps being served to everyone the experiment targets. No body (or {@code {}}) ships nothing.
   */
  private Route conclude(String key) {
    return authorizedAs(
        Role::isAdmin,
        who ->
            optionalJsonObject(
                body -> {
                  JsonFields.rejectUnknown(body, Set.of("ship"), "");
                  String ship =
                      JsonFields.present(body, "ship")
                          ? JsonFields.key(body.get("ship"), "ship")
                          : null;
                  return completeStage(
                      experiments.conclude(key, ship, author(who)),
                      described -> described(200, described));
                }));
  }

  /** Per request, not at construction: a wiring without an experiment service still builds. */
  private DefinitionBounds bounds() {
    return new DefinitionBounds(experiments.limits());
  }

  static Author author(Principal principal) {
    return new Author(principal.id(), principal.name());
  }

  /** The statuses a list may ask for: every one but DELETED (deleted drafts are never listed). */
  static final List<ExperimentStatus> LISTED =
      Arrays.stream(ExperimentStatus.values()).filter(s -> s != ExperimentStatus.DELETED).toList();

  private static ExperimentStatus status(String text) {
    for (ExperimentStatus status : LISTED) {
      if (status.name().equalsIgnoreCase(text)) {
        return status;
      }
    }
    throw ApiError.badRequest(
        "invalid_value",
        "status must be one of "
            + LISTED.stream().map(Enum::name).collect(Collectors.joining(", ")),
        "status");
  }

  private static boolean archived(Optional<String> text) {
    if (text.isEmpty() || text.get().equals("false")) {
      return false;
    }
    if (text.get().equals("true")) {
      return true;
    }
    throw ApiError.badRequest("invalid_value", "archived must be true or false", "archived");
  }

  private static long expectedVersion(Optional<String> ifMatch) {
    if (ifMatch.isEmpty()) {
      throw new ApiError(
          428,
          "precondition_required",
          "send If-Match with the version you changed (from GET or the last reply)",
          "If-Match");
    }
    String value = ifMatch.get().trim().replaceFirst("^W/", "").replace("\"", "");
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(
          "invalid_if_match", "If-Match must be a version number", "If-Match");
    }
  }

  /** The experiment as stored, its phases, and its version as the ETag for the next If-Match. */
  static HttpResponse described(int status, Described described) {
    return described(status, described, List.of());
  }

  private static HttpResponse described(
      int status, Described described, List<Overlaps.Overlap> overlaps) {
    ObjectNode body = Json.mapper().valueToTree(described.experiment());
    body.set("phases", Json.mapper().valueToTree(described.phases()));
    if (!overlaps.isEmpty()) {
      var warnings = body.putArray("warnings");
      for (Overlaps.Overlap o : overlaps) {
        var w = warnings.addObject();
        w.put("code", "overlapping_experiment");
        w.put("experiment", o.experiment());
        w.set("events", Json.mapper().valueToTree(o.events()));
        w.put(
            "message",
            "running experiment "
                + o.experiment()
                + " can reach the same units and counts the same events ("
                + String.join(", ", o.events())
                + "): their effects may interact");
      }
    }
    return json(status, body)
        .addHeader(RawHeader.create("ETag", "\"" + described.experiment().version() + "\""));
  }
}
