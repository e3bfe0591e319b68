package org.abtest.analytics.calculator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.abtest.analytics.calculator.CalculatorJson.Operation;
import org.abtest.analytics.stats.Boundaries;
import org.abtest.analytics.stats.Budget;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;

/** Each limit of {@link CalculatorLimits}, and the budget that stops a long calculation. */
class CalculatorLimitsTest {

  private static final CalculatorLimits LIMITS = CalculatorLimits.defaults();

  @Test
  void banditWithArmsAtTheLimitOrOverIsRefusedOnlyOverIt() {
    assertThatThrownBy(() -> run(Operation.BANDIT, bandit(LIMITS.maxArms() + 1)))
        .asInstanceOf(type(InvalidInput.class))
        .satisfies(
            e -> {
              assertThat(e.code()).isEqualTo("too_many_items");
              assertThat(e.field()).isEqualTo("arms");
            });
    CalculatorLimits roomy = withSteps(Long.MAX_VALUE);
    JsonNode small = CalculatorJson.run(Operation.BANDIT, bandit(3), roomy, Budget.unlimited());
    assertThat(small.get("allocation").size()).isEqualTo(3);
  }

  @Test
  void analysisWithMoreVariantsThanTheLimitIsRefusedNamingVariants() {
    ObjectNode body = Json.mapper().createObjectNode().put("kind", "proportion");
    ArrayNode variants = body.putArray("variants");
    for (int i = 0; i <= LIMITS.maxVariants(); i++) {
      variants.addObject().put("key", "v" + i).put("n", 100).put("conversions", 10);
    }
    assertThatThrownBy(() -> run(Operation.ANALYSIS, body))
        .asInstanceOf(type(InvalidInput.class))
        .satisfies(e -> assertThat(e.field()).isEqualTo("variants"));
  }

  @Test
  void adjustWithMorePValuesThanTheLimitIsRefusedNamingPValues() {
    ObjectNode body = Json.mapper().createObjectNode().put("method", "bh");
    ArrayNode p = body.putArray("pValues");
    for (int i = 0; i <= LIMITS.maxPValues(); i++) {
      p.add(0.5);
    }
    assertThatThrownBy(() -> run(Operation.ADJUST, body))
        .asInstanceOf(type(InvalidInput.class))
        .satisfies(e -> assertThat(e.field()).isEqualTo("pValues"));
    p.remove(0);
    assertThat(run(Operation.ADJUST, body).get("adjusted").size()).isEqualTo(LIMITS.maxPValues());
  }

  @Test
  void moreLooksThanTheEngineAllowsAreRefusedNamingLooks() {
    ObjectNode body = Json.mapper().createObjectNode().put("looks", Boundaries.MAX_LOOKS + 1);
    assertThatThrownBy(() -> run(Operation.BOUNDARIES, body))
        .asInstanceOf(type(InvalidInput.class))
        .satisfies(e -> assertThat(e.field()).isEqualTo("looks"));
  }

  @Test
  void aBanditOverTheStepCapIsTooCostlyNamingArms() {
    assertThatThrownBy(
            () ->
                CalculatorJson.run(
                    Operation.BANDIT,
                    bandit(6),
                    withSteps(10_000),
                    Budget.of(10_000, LIMITS.timeout())))
        .asInstanceOf(type(InvalidInput.class))
        .satisfies(
            e -> {
              assertThat(e.code()).isEqualTo("too_costly");
              assertThat(e.field()).isEqualTo("arms");
            });
  }

  @Test
  void boundariesOverTheStepCapAreTooCostlyNamingLooks() {
    ObjectNode body = Json.mapper().createObjectNode().put("looks", 20);
    assertThatThrownBy(
            () ->
                CalculatorJson.run(
                    Operation.BOUNDARIES,
                    body,
                    withSteps(1_000),
                    Budget.of(1_000, LIMITS.timeout())))
        .asInstanceOf(type(InvalidInput.class))
        .satisfies(e -> assertThat(e.field()).isEqualTo("looks"));
  }

  @Test
  void theDefaultStepCapAllowsTheLargestBoundariesRequest() {
    ObjectNode body = Json.mapper().createObjectNode().put("looks", Boundaries.MAX_LOOKS);
    Budget budget = Budget.of(LIMITS.maxSteps(), Duration.ofMinutes(5));
    JsonNode out = CalculatorJson.run(Operation.BOUNDARIES, body, LIMITS, budget);
    assertThat(out.get("boundaries").size()).isEqualTo(Boundaries.MAX_LOOKS);
  }

  @Test
  void aRequestWhoseDeadlinePassedBeforeItStartedIsNeverComputed() {
    Budget expired = Budget.of(Long.MAX_VALUE, Duration.ofNanos(1));
    assertThatThrownBy(() -> CalculatorJson.run(Operation.BANDIT, bandit(3), LIMITS, expired))
        .isInstanceOf(Budget.Exceeded.class)
        .satisfies(e -> assertThat(((Budget.Exceeded) e).outOfTime()).isTrue());
    assertThat(expired.spent()).isZero();
  }

  @Test
  void aCancelledCalculationStopsAtItsNextCheck() throws Exception {
    Budget budget = Budget.of(Long.MAX_VALUE, Duration.ofMinutes(5));
    CalculatorLimits roomy = withSteps(Long.MAX_VALUE);
    // 20 large arms run for seconds; cancelled after 200 ms it must end well before that
    CompletableFuture<JsonNode> running =
        CompletableFuture.supplyAsync(
            () -> CalculatorJson.run(Operation.BANDIT, bandit(20), roomy, budget));
    Thread.sleep(200);
    long cancelledAt = System.nanoTime();
    budget.cancel();
    assertThatThrownBy(() -> running.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(Budget.Exceeded.class);
    assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void aBudgetPastItsDeadlineStopsTheBanditMidway() {
    Budget budget = Budget.of(Long.MAX_VALUE, Duration.ofMillis(100));
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                CalculatorJson.run(Operation.BANDIT, bandit(20), withSteps(Long.MAX_VALUE), budget))
        .isInstanceOf(Budget.Exceeded.class);
    assertThat(budget.spent()).isPositive();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  private static JsonNode run(Operation op, JsonNode body) {
    return CalculatorJson.run(
        op, body, LIMITS, Budget.of(LIMITS.maxSteps(), Duration.ofMinutes(1)));
  }

  private static CalculatorLimits withSteps(long steps) {
    return new CalculatorLimits(
        LIMITS.maxVariants(),
        LIMITS.maxArms(),
        LIMITS.maxPValues(),
        LIMITS.maxSegments(),
        steps,
        LIMITS.timeout(),
        LIMITS.threads(),
        LIMITS.queue());
  }

  /** Arms with large, close counts: the expensive shape for the exact integral. */
  private static ObjectNode bandit(int arms) {
    ObjectNode body = Json.mapper().createObjectNode();
    ArrayNode list = body.putArray("arms");
    for (int i = 0; i < arms; i++) {
      list.addObject().put("key", "a" + i).put("n", 1_000_000).put("conversions", 100_000 + i);
    }
    return body;
  }
}
