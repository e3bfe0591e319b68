package org.abtest.multijvm;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Bounded polling on Awaitility, for what Awaitility alone does not say: a description read only on
 * timeout (what was seen meanwhile), and the last value read for the caller's own assertion.
 */
final class Await {

  private Await() {}

  static void until(String what, Duration timeout, BooleanSupplier done) {
    until(() -> what, timeout, done);
  }

  /** As above, with a description read on timeout, so it can say what was seen meanwhile. */
  static void until(Supplier<String> what, Duration timeout, BooleanSupplier done) {
    try {
      await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(done::getAsBoolean);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("timed out after " + timeout + " waiting for " + what.get(), e);
    }
  }

  /** Polls until {@code read} returns {@code expected}; returns the last value read either way. */
  static <T> T value(Duration timeout, T expected, Supplier<T> read) {
    AtomicReference<T> last = new AtomicReference<>();
    try {
      await()
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                last.set(read.get());
                return expected.equals(last.get());
              });
    } catch (ConditionTimeoutException e) {
      // the caller compares the last value with what it expected, and says what differs
    }
    return last.get();
  }
}
