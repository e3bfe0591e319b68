package org.abtest.analytics.calculator;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.abtest.analytics.stats.Budget;

/**
 * What one calculator request may cost, from {@code abtest.calculator} (defaults and {@code
 * ABTEST_CALCULATOR_*} overrides in this module's {@code reference.conf}).
 *
 * @param maxVariants most variants in one {@code /v1/analysis}
 * @param maxArms most arms in one {@code /v1/analysis/bandit}
 * @param maxPValues most p-values in one {@code /v1/analysis/adjust}
 * @param maxSegments most segments in one {@code /v1/analysis}
 * @param maxSteps the cost cap, in the engine's steps (see {@link Budget})
 * @param timeout wall time a request may wait and compute
 * @param threads threads of the calculator's own executor
 * @param queue requests that may wait for one of them
 */
public record CalculatorLimits(
    int maxVariants,
    int maxArms,
    int maxPValues,
    int maxSegments,
    long maxSteps,
    Duration timeout,
    int threads,
    int queue) {

  private static final CalculatorLimits DEFAULTS = fromConfig(ConfigFactory.defaultReference());

  public CalculatorLimits {
    if (maxVariants < 2 || maxArms < 2 || maxPValues < 1 || maxSegments < 1 || maxSteps < 1) {
      throw new IllegalArgumentException("abtest.calculator: limits must allow a calculation");
    }
    if (timeout.isNegative() || timeout.isZero() || threads < 1 || queue < 0) {
      throw new IllegalArgumentException("abtest.calculator: timeout, threads or queue invalid");
    }
  }

  public static CalculatorLimits fromConfig(Config config) {
    Config c = config.getConfig("abtest.calculator");
    return new CalculatorLimits(
        c.getInt("max-variants"),
        c.getInt("max-arms"),
        c.getInt("max-p-values"),
        c.getInt("max-segments"),
        c.getLong("max-steps"),
        c.getDuration("timeout"),
        c.getInt("threads"),
        c.getInt("queue"));
  }

  public static CalculatorLimits defaults() {
    return DEFAULTS;
  }

  /** A fresh budget for one request, its deadline counted from now. */
  public Budget budget() {
    return Budget.of(maxSteps, timeout);
  }
}
