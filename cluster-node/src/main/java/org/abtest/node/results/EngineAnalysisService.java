package org.abtest.node.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.abtest.analytics.calculator.CalculatorJson;
import org.abtest.analytics.calculator.CalculatorLimits;
import org.abtest.analytics.calculator.InvalidInput;
import org.abtest.analytics.stats.Budget;
import org.abtest.http.ports.AnalysisService;
import org.abtest.http.ports.PortFailure;

/**
 * The calculator endpoints on the pure statistics engine. A caller chooses how much work a request
 * asks for (arms, looks), so it runs on the calculator's own few threads with a bounded queue,
 * never on a dispatcher that serves HTTP or actors, and within a budget whose deadline is the
 * request's: when it passes, the answer is a 503 and the computation stops at its next check
 * instead of running on for nobody.
 */
public final class EngineAnalysisService implements AnalysisService {

  private final CalculatorLimits limits;
  private final ThreadPoolExecutor executor;

  public EngineAnalysisService(CalculatorLimits limits) {
    this.limits = limits;
    AtomicInteger count = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            limits.threads(),
            limits.threads(),
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(Math.max(1, limits.queue())),
            runnable -> {
              Thread t = new Thread(runnable, "abtest-calculator-" + count.incrementAndGet());
              t.setDaemon(true); // holds no state: nothing to drain at shutdown
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
  }

  /** The port's operation as the engine's (a new port operation fails the build here). */
  static CalculatorJson.Operation engine(Operation operation) {
    return switch (operation) {
      case ANALYSIS -> CalculatorJson.Operation.ANALYSIS;
      case ADJUST -> CalculatorJson.Operation.ADJUST;
      case BOUNDARIES -> CalculatorJson.Operation.BOUNDARIES;
      case BANDIT -> CalculatorJson.Operation.BANDIT;
      case POWER -> CalculatorJson.Operation.POWER;
    };
  }

  @Override
  public CompletionStage<JsonNode> run(Operation operation, JsonNode body) {
    CalculatorJson.Operation op = engine(operation);
    Budget budget = limits.budget();
    CompletableFuture<JsonNode> answer;
    try {
      answer =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return CalculatorJson.run(op, body, limits, budget);
                } catch (InvalidInput e) {
                  throw PortFailure.invalid(e.code(), e.getMessage(), e.field());
                } catch (Budget.Exceeded e) {
                  throw outOfTime();
                }
              },
              executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          PortFailure.unavailable("the calculator is busy with other requests; retry shortly"));
    }
    return answer
        .orTimeout(limits.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(
            failure -> {
              budget.cancel();
              Throwable cause =
                  failure instanceof CompletionException && failure.getCause() != null
                      ? failure.getCause()
                      : failure;
              if (cause instanceof PortFailure e) {
                throw e;
              }
              if (cause instanceof TimeoutException) {
                throw outOfTime();
              }
              throw new CompletionException(cause);
            });
  }

  private PortFailure outOfTime() {
    return PortFailure.unavailable(
        "the calculation did not finish within "
            + limits.timeout().toMillis()
            + " ms; retry later");
  }
}
