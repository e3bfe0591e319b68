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

  /**
   * Event partitions this node refuses to consume because restoring them would silently lose events
   * (partition → reason). Assignment does not depend on them, so they do not make the node unready;
   * readiness names them and says ingestion is degraded.
   */
  default Map<Integer, String> refusedPartitions() {
    return Map.of();
  }
}
