package org.abtest.multijvm;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling. */
final class Await {

  private Await() {}

  static void until(String what, Duration timeout, BooleanSupplier done)
      throws InterruptedException {
    until(() -> what, timeout, done);
  }

  /** As above, with a description read on timeout, so it can say what was seen meanwhile. */
  static void until(Supplier<String> what, Duration timeout, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
      }
      Thread.sleep(200);
    }
  }

  /** Polls until {@code read} returns {@code expected}; returns the last value read either way. */
  static <T> T value(Duration timeout, T expected, Supplier<T> read) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = read.get();
    while (!expected.equals(last) && System.nanoTime() < deadline) {
      Thread.sleep(500);
      last = read.get();
    }
    return last;
  }
}
