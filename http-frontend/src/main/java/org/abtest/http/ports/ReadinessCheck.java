package org.abtest.http.ports;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Whether this node may take traffic: member Up, Cassandra and Kafka answering. */
public interface ReadinessCheck {

  record Readiness(boolean ready, List<String> reasons) {}

  CompletionStage<Readiness> check();
}
