package org.abtest.client;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition that background threads make true, failing with a message at the end. */
final class Eventually {

  private Eventually() {}

  static void within(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
