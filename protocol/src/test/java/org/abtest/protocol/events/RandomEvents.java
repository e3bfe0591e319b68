package org.abtest.protocol.events;

import java.time.Instant;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/** Random tracked events for the codec tests: every text field from {@code text}. */
final class RandomEvents {

  private RandomEvents() {}

  static TrackedEvent event(
      SplittableRandom random, Supplier<String> text, Double value, Instant ts) {
    return new TrackedEvent(
        text.get(),
        random.nextBoolean() ? "exposure" : "metric",
        text.get(),
        text.get(),
        text.get(),
        text.get(),
        value,
        ts,
        null);
  }

  /** Null one time in six, else up to 11 characters from {@code alphabet}'s first {@code n}. */
  static String text(SplittableRandom random, String alphabet, int n) {
    if (random.nextInt(6) == 0) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    for (int i = random.nextInt(12); i > 0; i--) {
      b.append(alphabet.charAt(random.nextInt(n)));
    }
    return b.toString();
  }
}
