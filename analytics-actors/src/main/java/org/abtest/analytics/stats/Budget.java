package org.abtest.analytics.stats;

import java.time.Duration;

/**
 * How much work one calculation may do: a number of steps (integrand evaluations, grid points) and
 * a wall-clock deadline. The engine's long loops spend from it between chunks of work, so that a
 * request whose cost the caller chose stops at a known point instead of holding a thread after its
 * answer stopped mattering. Used by one thread; {@link #cancel} may come from any.
 */
public final class Budget {

  /**
   * The step is one normal density or CDF evaluation with its arithmetic (~70 ns); a regularized
   * Beta, the bandit's integrand, costs about 32 of them (measured on the calculator's loops).
   */
  static final int BETA_CDF_STEPS = 32;

  private final long maxSteps;
  private final boolean timed;
  private final long deadline;
  private volatile boolean cancelled;
  private long spent;

  private Budget(long maxSteps, boolean timed, long deadline) {
    this.maxSteps = maxSteps;
    this.timed = timed;
    this.deadline = deadline;
  }

  /** For callers whose input the code chooses (the aggregators), not a stranger. */
  public static Budget unlimited() {
    return new Budget(Long.MAX_VALUE, false, 0);
  }

  public static Budget of(long maxSteps, Duration time) {
    return new Budget(maxSteps, true, System.nanoTime() + time.toNanos());
  }

  /** The calculation stops at its next check. */
  public void cancel() {
    cancelled = true;
  }

  public long spent() {
    return spent;
  }

  /** Checks the deadline without spending, for example before the work starts. */
  public void check() {
    if (cancelled || (timed && System.nanoTime() - deadline > 0)) {
      throw new Exceeded(true, spent);
    }
  }

  /** Spends {@code steps}; throws {@link Exceeded} past the step cap or the deadline. */
  public void spend(long steps) {
    spent = Math.addExact(spent, steps);
    if (spent > maxSteps) {
      throw new Exceeded(false, spent);
    }
    check();
  }

  /** Thrown from inside the engine; the calculator turns it into the caller's error. */
  public static final class Exceeded extends RuntimeException {
    private final boolean outOfTime;

    Exceeded(boolean outOfTime, long spent) {
      super(
          outOfTime ? "out of time after " + spent + " steps" : "over the step cap",
          null,
          false,
          false);
      this.outOfTime = outOfTime;
    }

    /** True when the deadline passed or the caller cancelled; false when the step cap was hit. */
    public boolean outOfTime() {
      return outOfTime;
    }
  }
}
