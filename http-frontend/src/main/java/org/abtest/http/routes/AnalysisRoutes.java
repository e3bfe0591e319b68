package org.abtest.http.routes;

import org.abtest.http.ports.AnalysisService;
import org.abtest.http.ports.AnalysisService.Operation;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.Role;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code POST /v1/analysis}, {@code /v1/analysis/adjust|boundaries|bandit} and {@code /v1/power}:
 * the engine as a calculator for numbers the caller brings. Reading, so viewers may use it.
 */
public final class AnalysisRoutes extends ApiDirectives {

  private final AnalysisService analysis;

  public AnalysisRoutes(Authenticator authenticator, AnalysisService analysis) {
    super(authenticator);
    this.analysis = analysis;
  }

  public Route route() {
    return concat(
        pathPrefix(
            "analysis",
            () ->
                concat(
                    pathEnd(() -> calculate(Operation.ANALYSIS)),
                    path("adjust", () -> calculate(Operation.ADJUST)),
                    path("boundaries", () -> calculate(Operation.BOUNDARIES)),
                    path("bandit", () -> calculate(Operation.BANDIT)))),
        path("power", () -> calculate(Operation.POWER)));
  }

  private Route calculate(Operation operation) {
    return post(
        () ->
            authorized(
                Role::canRead,
                role -> jsonObject(body -> completeStage(analysis.run(operation, body), 200))));
  }
}
