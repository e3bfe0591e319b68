package org.abtest.analytics.stats;

/**
 * Turns doubles into the engine's notion of "a number or undefined", the one rule of this package:
 * every public result field is a boxed {@link Double} that is {@code null} when the quantity is
 * undefined, never NaN or infinite (NaN stays inside the arithmetic, see {@link #raw}). A whole
 * part of a result that was not asked for is an empty {@code Optional} instead ({@link
 * VariantComparison}).
 */
public final class Num {
  private Num() {}

  /** The value, or {@code null} when it is NaN or infinite. */
  public static Double of(double value) {
    return Double.isFinite(value) ? value : null;
  }

  /** {@code null}-tolerant unboxing for internal arithmetic: null becomes NaN. */
  static double raw(Double value) {
    return value == null ? Double.NaN : value;
  }

  /**
   * The engine's validation: throws {@link IllegalArgumentException} with the message, which starts
   * with the path of the field at fault.
   */
  public static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** {@code alpha} when it is strictly between 0 and 1, else the {@link #require} failure. */
  public static double probability(double alpha, String field) {
    require(alpha > 0 && alpha < 1, field + " must be strictly between 0 and 1, got " + alpha);
    return alpha;
  }
}
