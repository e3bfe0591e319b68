package org.abtest.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.ExperimentService;
import org.abtest.http.ports.Role;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /v1/experiments}: create, read and lifecycle. */
public final class ExperimentRoutes extends ApiDirectives {

  private final ExperimentService experiments;

  public ExperimentRoutes(Authenticator authenticator, ExperimentService experiments) {
    super(authenticator);
    this.experiments = experiments;
  }

  public Route route() {
    return pathPrefix(
        "experiments",
        () ->
            concat(
                pathEnd(() -> post(this::create)),
                path(segment(), key -> get(() -> read(key))),
                path(segment().slash("start"), key -> post(() -> start(key)))));
  }

  private Route create() {
    return authorized(
        Role::canEdit,
        role ->
            jsonObject(
                body ->
                    completeStage(experiments.create(ExperimentRequests.parseCreate(body)), 201)));
  }

  private Route read(String key) {
    return authorized(Role::canRead, role -> completeStage(experiments.get(key), 200));
  }

  private Route start(String key) {
    return authorized(Role::canEdit, role -> completeStage(experiments.start(key), 200));
  }
}
