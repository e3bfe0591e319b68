package org.abtest.http.ports;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The results document of an experiment (API.md, Results), and its history hour by hour. */
public interface ResultsService {
  CompletionStage<JsonNode> results(String key);

  /**
   * Hourly snapshots of the experiment's aggregates ({@code GET .../results/timeseries}). A default
   * so that results services without a history (route-test fakes) still compile: none is found.
   */
  default CompletionStage<JsonNode> timeseries(String key) {
    return CompletableFuture.failedFuture(PortFailure.notFound("no results history for " + key));
  }
}
