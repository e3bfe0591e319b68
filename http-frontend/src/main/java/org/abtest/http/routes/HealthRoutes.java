package org.abtest.http.routes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.abtest.http.ports.LoadShedding;
import org.abtest.http.ports.ReadinessCheck;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /health/alive} (the process answers) and {@code /health/ready} (it may take traffic). */
public final class HealthRoutes extends AllDirectives {

  private final ReadinessCheck readiness;
  private final LoadShedding shedding;

  public HealthRoutes(ReadinessCheck readiness) {
    this(readiness, LoadShedding.NEVER);
  }

  public HealthRoutes(ReadinessCheck readiness, LoadShedding shedding) {
    this.readiness = readiness;
    this.shedding = shedding;
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
                                                    r.ready() ? 200 : 503, body(r))))))));
  }

  /**
   * Shedding events leaves the node ready: assignment, the part that must not fail, still works.
   * The events path is reported on its own in {@code checks}, with the pressure behind it.
   */
  private Map<String, Object> body(ReadinessCheck.Readiness r) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", r.ready() ? "ready" : "not_ready");
    body.put("reasons", r.reasons());
    Map<Integer, String> refused = readiness.refusedPartitions();
    body.put(
        "checks",
        Map.of(
            "assignment",
            "ok",
            "events",
            shedding.sheddingEvents() ? "shedding" : "ok",
            "ingestion",
            refused.isEmpty() ? "ok" : "refused_partitions"));
    if (!refused.isEmpty()) {
      Map<String, String> named = new TreeMap<>();
      refused.forEach((p, why) -> named.put(Integer.toString(p), why));
      body.put("refusedPartitions", named);
    }
    Map<String, String> degraded = readiness.degradedExperiments();
    if (!degraded.isEmpty()) {
      body.put("degradedExperiments", degraded);
    }
    Map<String, Object> memory = shedding.detail();
    if (!memory.isEmpty()) {
      body.put("memory", memory);
    }
    return body;
  }
}
