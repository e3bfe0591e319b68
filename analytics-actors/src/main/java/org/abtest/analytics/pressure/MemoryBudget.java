package org.abtest.analytics.pressure;

/**
 * A structure that keeps its own account of the bytes it holds, registered with {@link
 * MemoryPressure} so that it can ask for shedding before the heap as a whole is full (on a node:
 * {@code NodePressure.register}, wired in {@code Node}). Both numbers are read after every
 * collection and once a second, and from other threads: keep them cheap (a maintained counter, not
 * a walk).
 */
public interface MemoryBudget {

  /** Stable and short: it becomes a key of the readiness detail. */
  String name();

  long usedBytes();

  /** The budget; zero or less means "no limit of its own" and the budget is reported only. */
  long limitBytes();
}
