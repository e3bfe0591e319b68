package org.abtest.http.ports;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Whether this node may take traffic: member Up, Cassandra and Kafka answering. */
public interface ReadinessCheck {

  record Readiness(boolean ready, List<String> reasons) {}

  CompletionStage<Readiness> check();

  /**
   * Running experiments served as off because they cannot be built (key → reason). They do not make
   * the node unready (every other experiment is served), but readiness names them.
   */
  default Map<String, String> degradedExperiments() {
    return Map.of();
  }
}
