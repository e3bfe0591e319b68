package org.abtest.node.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.abtest.analytics.calculator.CalculatorJson;
import org.abtest.analytics.calculator.InvalidInput;
import org.abtest.http.ApiError;
import org.abtest.http.ports.AnalysisService;

/**
 * The calculator endpoints on the pure statistics engine. The work is CPU only but can take tens of
 * milliseconds (numerical integration for boundaries and bandits), so it runs on the given executor
 * rather than on the thread that serves HTTP.
 */
public final class EngineAnalysisService implements AnalysisService {

  private final Executor executor;

  public EngineAnalysisService(Executor executor) {
    this.executor = executor;
  }

  @Override
  public CompletionStage<JsonNode> run(Operation operation, JsonNode body) {
    CalculatorJson.Operation op = CalculatorJson.Operation.valueOf(operation.name());
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return CalculatorJson.run(op, body);
          } catch (InvalidInput e) {
            throw ApiError.badRequest(e.code(), e.getMessage(), e.field());
          }
        },
        executor);
  }
}
