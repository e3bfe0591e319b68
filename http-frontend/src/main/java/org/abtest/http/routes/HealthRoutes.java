package org.abtest.http.routes;

import java.util.LinkedHashMap;
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
                                                    r.ready() ? 200 : 503, readyBody(r))))))));
  }

  private Map<String, Object> readyBody(ReadinessCheck.Readiness r) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", r.ready() ? "ready" : "not_ready");
    body.put("reasons", r.reasons());
    Map<String, String> degraded = readiness.degradedExperiments();
    if (!degraded.isEmpty()) {
      body.put("degradedExperiments", degraded);
    }
    return body;
  }
}
