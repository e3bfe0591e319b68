package org.abtest.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import java.util.Set;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.ExperimentService;
import org.abtest.http.ports.Role;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /v1/layers} (mutual exclusion: each experiment in a layer owns a slot range) and {@code
 * /v1/holdout} (a slot range of the global layer whose units get defaults everywhere).
 */
public final class LayerRoutes extends ApiDirectives {

  private final ExperimentService experiments;

  public LayerRoutes(Authenticator authenticator, ExperimentService experiments) {
    super(authenticator);
    this.experiments = experiments;
  }

  public Route route() {
    return concat(
        pathPrefix(
            "layers",
            () ->
                concat(
                    pathEnd(() -> post(this::create)),
                    path(
                        segment(),
                        key ->
                            get(
                                () ->
                                    authorized(
                                        Role::canRead,
                                        role -> completeStage(experiments.layer(key), 200)))))),
        path(
            "holdout",
            () ->
                concat(
                    get(
                        () ->
                            authorized(
                                Role::canRead, role -> completeStage(experiments.holdout(), 200))),
                    put(this::setHoldout),
                    delete(this::removeHoldout))));
  }

  private Route create() {
    return authorizedAs(
        Role::canEdit,
        who ->
            jsonObject(
                body -> {
                  JsonFields.rejectUnknown(body, Set.of("key"), "");
                  String key = JsonFields.key(body.get("key"), "key");
                  return completeStage(
                      experiments.createLayer(key, ExperimentRoutes.author(who)), 201);
                }));
  }

  /** Only admins remove the holdout: its units enter every experiment again. */
  private Route removeHoldout() {
    return authorizedAs(
        Role::isAdmin,
        who ->
            completeStage(
                experiments.removeHoldout(ExperimentRoutes.author(who)),
                done -> HttpResponse.create().withStatus(StatusCodes.NO_CONTENT)));
  }

  /** Only admins move the holdout: it changes who gets defaults in every experiment. */
  private Route setHoldout() {
    return authorizedAs(
        Role::isAdmin,
        who ->
            jsonObject(
                body -> {
                  JsonFields.rejectUnknown(body, Set.of("range"), "");
                  var range = JsonFields.range(body.get("range"), "range");
                  return completeStage(
                      experiments.setHoldout(range, ExperimentRoutes.author(who)), 200);
                }));
  }
}
