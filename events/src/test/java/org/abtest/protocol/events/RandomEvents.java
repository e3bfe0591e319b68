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

  /** Null one time in ten, else any second of years 0001–9999 at milli, micro or nano precision. */
  static Instant ts(SplittableRandom random) {
    if (random.nextInt(10) == 0) {
      return null;
    }
    return Instant.ofEpochSecond(
        random.nextLong(-62_200_000_000L, 253_500_000_000L),
        switch (random.nextInt(4)) {
          case 0 -> 0;
          case 1 -> random.nextInt(1000) * 1_000_000;
          case 2 -> random.nextInt(1_000_000) * 1000;
          default -> random.nextInt(1_000_000_000);
        });
  }

  /** Null one time in five, else whole, tiny, huge, negative or ordinary values. */
  static Double value(SplittableRandom random) {
    return switch (random.nextInt(5)) {
      case 0 -> null;
      case 1 -> (double) random.nextInt(-5, 100);
      case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(-30, 30));
      case 3 -> -random.nextDouble() * Math.pow(10, random.nextInt(-30, 30));
      default -> random.nextDouble(-1000, 1000);
    };
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
