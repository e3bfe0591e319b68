package org.abtest.http.ports;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletionStage;

/**
 * The statistics calculator (API.md, "Analysis without an experiment"). Bodies stay JSON across
 * this port because the engine's request types live in a module the routes must not depend on; a
 * body the engine rejects fails the stage with a {@link PortFailure.Invalid} naming the field.
 */
public interface AnalysisService {

  /** One per endpoint. */
  enum Operation {
    ANALYSIS,
    ADJUST,
    BOUNDARIES,
    BANDIT,
    POWER
  }

  CompletionStage<JsonNode> run(Operation operation, JsonNode body);
}
