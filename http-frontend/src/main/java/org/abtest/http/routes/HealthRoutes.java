package org.abtest.http.routes;

import java.util.Map;
import org.abtest.http.ports.ReadinessCheck;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /health/alive} (the process answers) and {@code /health/ready} (it may take traffic). */
public final class HealthRoutes extends AllDirectives {

  private final ReadinessCheck readiness;

  public HealthRoutes(ReadinessCheck readiness) {
    this.readiness = readiness;
  }

  public Route route() {
    return pathPrefix(
        "health",
        () ->
            get(
                () ->
                    concat(
                        path(
                            "alive",
                            () -> complete(ApiDirectives.json(200, Map.of("status", "alive")))),
                        path(
                            "ready",
                            () ->
                                completeWithFuture(
                                    readiness
                                        .check()
                                        .thenApply(
                                            r ->
                                                ApiDirectives.json(
                                                    r.ready() ? 200 : 503,
                                                    Map.of(
                                                        "status",
                                                        r.ready() ? "ready" : "not_ready",
                                                        "reasons",
                                                        r.reasons()))))))));
  }
}
