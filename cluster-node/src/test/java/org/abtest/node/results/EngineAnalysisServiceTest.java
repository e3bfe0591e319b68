package org.abtest.node.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.abtest.analytics.calculator.CalculatorLimits;
import org.abtest.http.ApiError;
import org.abtest.http.ports.AnalysisService.Operation;
import org.abtest.http.ports.PortFailure;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;

/** The calculator's executor and deadline: a long request ends as a 503 and frees its thread. */
class EngineAnalysisServiceTest {

  private static final CalculatorLimits DEFAULTS = CalculatorLimits.defaults();

  @Test
  void aCalculationPastItsDeadlineIs503AndStopsSoTheNextRequestRuns() throws Exception {
    // one thread, no step cap: only the deadline can stop the 20-arm bandit (seconds of work)
    var service = new EngineAnalysisService(limits(1, 4, Duration.ofMillis(300)));
    long start = System.nanoTime();
    var slow = service.run(Operation.BANDIT, bandit(20)).toCompletableFuture();
    assertThatThrownBy(() -> slow.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(PortFailure.class)
        .satisfies(e -> assertThat(ApiError.of((PortFailure) e).status()).isEqualTo(503));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    // the single thread must be free again: a cheap request runs within its own deadline
    ObjectNode adjust = Json.mapper().createObjectNode().put("method", "bh");
    adjust.putArray("pValues").add(0.01).add(0.04);
    JsonNode next =
        service.run(Operation.ADJUST, adjust).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(next.get("adjusted").size()).isEqualTo(2);
  }

  @Test
  void aFullQueueIs503WithoutWaiting() throws Exception {
    var service = new EngineAnalysisService(limits(1, 1, Duration.ofSeconds(2)));
    var running = service.run(Operation.BANDIT, bandit(20)).toCompletableFuture();
    var queued = service.run(Operation.BANDIT, bandit(20)).toCompletableFuture();
    var refused = service.run(Operation.BANDIT, bandit(2)).toCompletableFuture();
    assertThat(refused).isCompletedExceptionally();
    assertThatThrownBy(refused::join)
        .cause()
        .isInstanceOf(PortFailure.class)
        .hasMessageContaining("busy");
    running.handle((v, e) -> null).get(10, TimeUnit.SECONDS);
    queued.handle((v, e) -> null).get(10, TimeUnit.SECONDS);
  }

  private static CalculatorLimits limits(int threads, int queue, Duration timeout) {
    return new CalculatorLimits(
        DEFAULTS.maxVariants(),
        DEFAULTS.maxArms(),
        DEFAULTS.maxPValues(),
        DEFAULTS.maxSegments(),
        Long.MAX_VALUE,
        timeout,
        threads,
        queue);
  }

  private static ObjectNode bandit(int arms) {
    ObjectNode body = Json.mapper().createObjectNode();
    ArrayNode list = body.putArray("arms");
    for (int i = 0; i < arms; i++) {
      list.addObject().put("key", "a" + i).put("n", 1_000_000).put("conversions", 100_000 + i);
    }
    return body;
  }
}
